ALTER TABLE `outbox_emails` ADD `claimed_until` integer;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `claimed_until` integer;