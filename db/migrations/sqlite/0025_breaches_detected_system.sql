DROP INDEX `permission_breaches_detected`;--> statement-breakpoint
CREATE INDEX `permission_breaches_detected_system` ON `permission_breaches` (`detected_at`,`system_id`);