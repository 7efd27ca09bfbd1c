CREATE TABLE `retention_runs` (
	`day` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`counts` text
);
--> statement-breakpoint
CREATE TABLE `staff_trainings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` integer NOT NULL,
	`course` text NOT NULL,
	`completed_on` text NOT NULL,
	`valid_until` text,
	`evidence_note` text DEFAULT '' NOT NULL,
	`recorded_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_trainings_staff` ON `staff_trainings` (`staff_id`,`valid_until`);