CREATE TABLE `staff_notification_choices` (
	`staff_id` integer NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`staff_id`, `kind`),
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `staff_notification_cursors` (
	`source` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`last_id` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` integer NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`outbox_email_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbox_email_id`) REFERENCES `outbox_emails`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_notifications_once` ON `staff_notifications` (`staff_id`,`kind`,`subject`);