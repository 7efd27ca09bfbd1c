CREATE TABLE `ai_system_audit_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`audit_id` integer NOT NULL,
	`system_id` integer NOT NULL,
	`text` text NOT NULL,
	`owner_id` integer,
	`due_on` text NOT NULL,
	`done_at` integer,
	`done_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`audit_id`) REFERENCES `ai_system_audits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ai_system_audit_actions_audit` ON `ai_system_audit_actions` (`audit_id`);--> statement-breakpoint
CREATE INDEX `ai_system_audit_actions_open` ON `ai_system_audit_actions` (`done_at`,`due_on`);--> statement-breakpoint
CREATE TABLE `ai_system_audit_summaries` (
	`audit_id` integer NOT NULL,
	`lang` text NOT NULL,
	`summary` text NOT NULL,
	PRIMARY KEY(`audit_id`, `lang`),
	FOREIGN KEY (`audit_id`) REFERENCES `ai_system_audits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `ai_system_audits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`system_id` integer NOT NULL,
	`audited_on` text NOT NULL,
	`auditor_name` text NOT NULL,
	`auditor_staff_id` integer,
	`scope` text NOT NULL,
	`findings` text NOT NULL,
	`result` text NOT NULL,
	`recorded_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`system_id`) REFERENCES `ai_systems`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`auditor_staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ai_system_audits_system_day` ON `ai_system_audits` (`system_id`,`audited_on`);--> statement-breakpoint
CREATE INDEX `ai_system_audits_day` ON `ai_system_audits` (`audited_on`);--> statement-breakpoint
CREATE TABLE `public_concern_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`filed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `public_concern_days` (
	`day` text NOT NULL,
	`system_key` text NOT NULL,
	`received` integer NOT NULL,
	`resolved` integer NOT NULL,
	`upheld` integer NOT NULL,
	PRIMARY KEY(`day`, `system_key`)
);
--> statement-breakpoint
CREATE TABLE `public_first_answers` (
	`day` text NOT NULL,
	`system_key` text NOT NULL,
	`seconds` integer NOT NULL,
	`concerns` integer NOT NULL,
	PRIMARY KEY(`day`, `system_key`, `seconds`)
);
--> statement-breakpoint
CREATE TABLE `public_statistics_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`time_zone` text,
	`built_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `ai_systems` ADD `audit_interval_months` integer DEFAULT 12 NOT NULL;