DROP INDEX "concerns_open_origin";--> statement-breakpoint
CREATE INDEX "concerns_origin_status" ON "concerns" USING btree ("origin","status");--> statement-breakpoint
CREATE INDEX "concerns_kind_status" ON "concerns" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "concerns_lang_status" ON "concerns" USING btree ("lang","status");--> statement-breakpoint
CREATE INDEX "concerns_priority_status" ON "concerns" USING btree ("priority","status");--> statement-breakpoint
CREATE INDEX "confirmations_interaction" ON "confirmations" USING btree ("interaction_id");--> statement-breakpoint
CREATE INDEX "permission_breaches_interaction" ON "permission_breaches" USING btree ("interaction_id");