CREATE TABLE `report_choice_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`choice_key` text NOT NULL,
	`value` text NOT NULL,
	`delta` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_choice_figures` (
	`choice_key` text NOT NULL,
	`value` text NOT NULL,
	`customers` integer NOT NULL,
	PRIMARY KEY(`choice_key`, `value`)
);
--> statement-breakpoint
CREATE TABLE `report_concern_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`filed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_concern_days` (
	`dimension` text NOT NULL,
	`day` text NOT NULL,
	`key` text NOT NULL,
	`concerns` integer NOT NULL,
	PRIMARY KEY(`dimension`, `day`, `key`)
);
--> statement-breakpoint
CREATE TABLE `report_concern_durations` (
	`measure` text NOT NULL,
	`day` text NOT NULL,
	`seconds` integer NOT NULL,
	`concerns` integer NOT NULL,
	PRIMARY KEY(`measure`, `day`, `seconds`)
);
--> statement-breakpoint
CREATE TABLE `report_figures_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`time_zone` text,
	`built_at` integer DEFAULT 0 NOT NULL
);
