ALTER TABLE "outbox_emails" ADD COLUMN "claimed_until" bigint;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "claimed_until" bigint;