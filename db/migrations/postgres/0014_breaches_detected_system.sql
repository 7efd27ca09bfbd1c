DROP INDEX "permission_breaches_detected";--> statement-breakpoint
CREATE INDEX "permission_breaches_detected_system" ON "permission_breaches" USING btree ("detected_at","system_id");