ALTER TABLE "choice_definitions" ADD COLUMN "involves_amount" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Existing databases: the demo's action kinds whose actions never involve money.
UPDATE "choice_definitions" SET "involves_amount" = false WHERE "kind" = 'action' AND "key" IN ('troubleshooting', 'proactive-outreach', 'disclose_account_information');
