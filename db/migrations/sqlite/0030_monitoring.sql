CREATE TABLE `monitoring_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`system_id` integer NOT NULL,
	`metric` text NOT NULL,
	`week_start` integer NOT NULL,
	`value_hundredths` integer NOT NULL,
	`threshold_hundredths` integer NOT NULL,
	`raised_at` integer NOT NULL,
	`acknowledged_at` integer,
	`acknowledged_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `monitoring_alerts_system_metric_week` ON `monitoring_alerts` (`system_id`,`metric`,`week_start`);--> statement-breakpoint
CREATE INDEX `monitoring_alerts_open` ON `monitoring_alerts` (`raised_at`) WHERE "monitoring_alerts"."acknowledged_at" is null;--> statement-breakpoint
CREATE TABLE `monitoring_concern_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`filed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `monitoring_figures` (
	`system_id` integer NOT NULL,
	`week_start` integer NOT NULL,
	`key` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`week_start`, `system_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `monitoring_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`time_zone` text,
	`decisions_created_at` integer DEFAULT 0 NOT NULL,
	`decisions_id` text DEFAULT '' NOT NULL,
	`answers_id` integer DEFAULT 0 NOT NULL,
	`breaches_id` integer DEFAULT 0 NOT NULL,
	`involvements_id` integer DEFAULT 0 NOT NULL,
	`built_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `monitoring_thresholds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`system_id` integer NOT NULL,
	`metric` text NOT NULL,
	`value_hundredths` integer NOT NULL,
	`updated_by` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `monitoring_thresholds_system_metric` ON `monitoring_thresholds` (`system_id`,`metric`);--> statement-breakpoint
CREATE INDEX `decisions_created` ON `decisions` (`created_at`,`id`);