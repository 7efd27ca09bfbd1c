CREATE TABLE `confirmation_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`confirmation_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`answer` text NOT NULL,
	`method` text NOT NULL,
	`lang` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`confirmation_id`) REFERENCES `confirmations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `confirmation_answers_confirmation_id_unique` ON `confirmation_answers` (`confirmation_id`);--> statement-breakpoint
CREATE TABLE `confirmations` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`action_key` text NOT NULL,
	`ai_system_slug` text NOT NULL,
	`interaction_id` integer,
	`summary` text NOT NULL,
	`amount_hundredths` integer,
	`currency` text,
	`channel` text,
	`effective_at` integer,
	`expires_at` integer NOT NULL,
	`api_key_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interaction_id`) REFERENCES `interactions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `confirmations_customer` ON `confirmations` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `confirmations_expiry` ON `confirmations` (`expires_at`);--> statement-breakpoint
CREATE TABLE `permission_breaches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`interaction_ai_id` integer NOT NULL,
	`interaction_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`system_id` integer NOT NULL,
	`action_key` text NOT NULL,
	`decision_id` text,
	`reason` text NOT NULL,
	`concern_id` integer,
	`contest_concern_id` integer,
	`detected_at` integer NOT NULL,
	FOREIGN KEY (`interaction_ai_id`) REFERENCES `interaction_ai`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`interaction_id`) REFERENCES `interactions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`concern_id`) REFERENCES `concerns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`contest_concern_id`) REFERENCES `concerns`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `permission_breaches_interaction_ai_id_unique` ON `permission_breaches` (`interaction_ai_id`);--> statement-breakpoint
CREATE INDEX `permission_breaches_customer` ON `permission_breaches` (`customer_id`);--> statement-breakpoint
CREATE INDEX `permission_breaches_detected` ON `permission_breaches` (`detected_at`);--> statement-breakpoint
CREATE TABLE `training_uses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`interaction_id` integer NOT NULL,
	`dataset` text NOT NULL,
	`used_at` integer NOT NULL,
	`api_key_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`interaction_id`) REFERENCES `interactions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_uses_interaction_dataset` ON `training_uses` (`interaction_id`,`dataset`);--> statement-breakpoint
ALTER TABLE `concerns` ADD `origin` text DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE `consent_events` ADD `limits` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `confirmation_id` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `context` text;--> statement-breakpoint
ALTER TABLE `decisions` ADD `retry_after` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_confirmation_use` ON `decisions` (`confirmation_id`) WHERE reason = 'confirmed_by_customer';--> statement-breakpoint
ALTER TABLE `interaction_ai` ADD `decision_id` text;--> statement-breakpoint
CREATE INDEX `interaction_ai_decision` ON `interaction_ai` (`decision_id`);--> statement-breakpoint
ALTER TABLE `link_tokens` ADD `confirmation_id` text;--> statement-breakpoint
ALTER TABLE `preferences` ADD `limits` text;