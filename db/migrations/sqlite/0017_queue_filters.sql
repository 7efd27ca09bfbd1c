DROP INDEX `concerns_open_origin`;--> statement-breakpoint
CREATE INDEX `concerns_origin_status` ON `concerns` (`origin`,`status`);--> statement-breakpoint
CREATE INDEX `concerns_kind_status` ON `concerns` (`kind`,`status`);--> statement-breakpoint
CREATE INDEX `concerns_lang_status` ON `concerns` (`lang`,`status`);--> statement-breakpoint
CREATE INDEX `concerns_priority_status` ON `concerns` (`priority`,`status`);--> statement-breakpoint
CREATE INDEX `confirmations_interaction` ON `confirmations` (`interaction_id`);--> statement-breakpoint
CREATE INDEX `permission_breaches_interaction` ON `permission_breaches` (`interaction_id`);