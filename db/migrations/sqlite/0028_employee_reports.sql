ALTER TABLE `concerns` ADD `reporter_staff_id` integer;--> statement-breakpoint
ALTER TABLE `concerns` ADD `reporter_name` text;