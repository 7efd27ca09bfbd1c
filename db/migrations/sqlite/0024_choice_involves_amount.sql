ALTER TABLE `choice_definitions` ADD `involves_amount` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- Existing databases: the demo's action kinds whose actions never involve money.
UPDATE `choice_definitions` SET `involves_amount` = 0 WHERE `kind` = 'action' AND `key` IN ('troubleshooting', 'proactive-outreach', 'disclose_account_information');
