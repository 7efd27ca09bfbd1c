DROP INDEX "concerns_status_due";--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "due_at" bigint GENERATED ALWAYS AS (least(coalesce("statutory_due_at", 8640000000000000), case when "sla_paused_at" is null or "sla_due_at" < "sla_paused_at" then coalesce("sla_due_at", 8640000000000000) else 8640000000000000 end)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "concerns_open_due" ON "concerns" USING btree ("due_at","created_at","id") WHERE "status" in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated');--> statement-breakpoint
CREATE INDEX "concerns_open_created" ON "concerns" USING btree ("created_at","id") WHERE "status" in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated');--> statement-breakpoint
CREATE INDEX "concerns_open_assignee" ON "concerns" USING btree ("assignee_id","due_at","created_at","id") WHERE "status" in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated');--> statement-breakpoint
CREATE INDEX "concerns_open_system" ON "concerns" USING btree ("system_id","due_at","created_at","id") WHERE "status" in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated');--> statement-breakpoint
CREATE INDEX "concerns_open_origin" ON "concerns" USING btree ("origin","due_at","created_at","id") WHERE "status" in ('new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated');--> statement-breakpoint
CREATE INDEX "concerns_assignee_status" ON "concerns" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "concerns_system_status" ON "concerns" USING btree ("system_id","status");--> statement-breakpoint
CREATE INDEX "concerns_search_pending" ON "concerns" USING btree ("id") WHERE "concerns"."search_text" is null;--> statement-breakpoint
CREATE INDEX "concerns_status_due" ON "concerns" USING btree ("status","due_at","created_at","id");