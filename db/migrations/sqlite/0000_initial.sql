CREATE TABLE `ai_system_actions` (
	`system_id` integer NOT NULL,
	`choice_key` text NOT NULL,
	PRIMARY KEY(`system_id`, `choice_key`),
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`choice_key`) REFERENCES `choice_definitions`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ai_system_texts` (
	`system_id` integer NOT NULL,
	`lang` text NOT NULL,
	`name` text NOT NULL,
	`short_description` text NOT NULL,
	`risk_reason` text NOT NULL,
	`purpose` text NOT NULL,
	`not_for` text NOT NULL,
	`how_it_works` text NOT NULL,
	`limitations` text NOT NULL,
	`data_operating` text NOT NULL,
	`data_training` text NOT NULL,
	`legal_basis` text NOT NULL,
	`oversight` text NOT NULL,
	`risks` text NOT NULL,
	`impact_assessment` text NOT NULL,
	`retention` text NOT NULL,
	PRIMARY KEY(`system_id`, `lang`),
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `ai_system_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`system_id` integer NOT NULL,
	`version` integer NOT NULL,
	`change_note` text NOT NULL,
	`material` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_system_versions_system_version` ON `ai_system_versions` (`system_id`,`version`);--> statement-breakpoint
CREATE TABLE `ai_systems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`provider` text NOT NULL,
	`risk_class` text NOT NULL,
	`autonomy` text NOT NULL,
	`channels` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`contact_email` text NOT NULL,
	`last_reviewed_at` integer NOT NULL,
	`current_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_systems_slug_unique` ON `ai_systems` (`slug`);--> statement-breakpoint
CREATE TABLE `choice_definitions` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`default_value` text NOT NULL,
	`notice_version` integer DEFAULT 1 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `choice_notices` (
	`choice_key` text NOT NULL,
	`version` integer NOT NULL,
	`lang` text NOT NULL,
	`label` text NOT NULL,
	`explanation` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`choice_key`, `version`, `lang`),
	FOREIGN KEY (`choice_key`) REFERENCES `choice_definitions`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `concern_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concern_id` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`staff_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`concern_id`) REFERENCES `concerns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `concern_events_concern` ON `concern_events` (`concern_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `concern_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`concern_id` integer NOT NULL,
	`author` text NOT NULL,
	`staff_id` integer,
	`author_name` text,
	`visibility` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`concern_id`) REFERENCES `concerns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `concern_messages_concern` ON `concern_messages` (`concern_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `concerns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ref` text NOT NULL,
	`customer_id` text,
	`tracking_token_hash` text,
	`contact_email` text,
	`contact_method` text NOT NULL,
	`lang` text NOT NULL,
	`kind` text NOT NULL,
	`interaction_id` integer,
	`system_id` integer,
	`description` text NOT NULL,
	`desired_outcome` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`outcome_code` text,
	`outcome_reason` text,
	`assignee_id` integer,
	`serious_incident` integer DEFAULT false NOT NULL,
	`merged_into_id` integer,
	`sla_due_at` integer,
	`statutory_due_at` integer,
	`first_response_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`interaction_id`) REFERENCES `interactions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `concerns_ref_unique` ON `concerns` (`ref`);--> statement-breakpoint
CREATE UNIQUE INDEX `concerns_tracking_token_hash_unique` ON `concerns` (`tracking_token_hash`);--> statement-breakpoint
CREATE INDEX `concerns_customer` ON `concerns` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `concerns_status_due` ON `concerns` (`status`,`sla_due_at`);--> statement-breakpoint
CREATE TABLE `consent_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`choice_key` text NOT NULL,
	`value` text NOT NULL,
	`previous_value` text,
	`notice_version` integer NOT NULL,
	`lang` text NOT NULL,
	`method` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_events_receipt_id_unique` ON `consent_events` (`receipt_id`);--> statement-breakpoint
CREATE INDEX `consent_events_customer` ON `consent_events` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `customer_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`link_id` integer,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`link_id`) REFERENCES `link_tokens`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `customer_sessions_customer` ON `customer_sessions` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`locale` text DEFAULT 'en' NOT NULL,
	`preference_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	`erased_at` integer
);
--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`action_key` text NOT NULL,
	`ai_system_slug` text NOT NULL,
	`interaction_id` integer,
	`decision` text NOT NULL,
	`reason` text NOT NULL,
	`preference_version` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `decisions_customer` ON `decisions` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `decisions_interaction` ON `decisions` (`interaction_id`);--> statement-breakpoint
CREATE TABLE `interaction_ai` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`interaction_id` integer NOT NULL,
	`system_id` integer NOT NULL,
	`role` text NOT NULL,
	`action_key` text,
	`action_detail` text,
	`human_reviewed` integer NOT NULL,
	`training_eligible` integer NOT NULL,
	FOREIGN KEY (`interaction_id`) REFERENCES `interactions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `interaction_ai_interaction` ON `interaction_ai` (`interaction_id`);--> statement-breakpoint
CREATE TABLE `interactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` text NOT NULL,
	`source` text NOT NULL,
	`ref` text NOT NULL,
	`channel` text NOT NULL,
	`subject` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interactions_source_ref` ON `interactions` (`source`,`ref`);--> statement-breakpoint
CREATE INDEX `interactions_customer_time` ON `interactions` (`customer_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `link_redemptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`link_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`link_id`) REFERENCES `link_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `link_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`customer_id` text NOT NULL,
	`lang` text,
	`interaction_ref` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_tokens_token_hash_unique` ON `link_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `link_tokens_customer` ON `link_tokens` (`customer_id`);--> statement-breakpoint
CREATE TABLE `preferences` (
	`customer_id` text NOT NULL,
	`choice_key` text NOT NULL,
	`value` text NOT NULL,
	`notice_version` integer NOT NULL,
	`method` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `choice_key`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`choice_key`) REFERENCES `choice_definitions`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
