-- Public statistics (app/domain/public-statistics.server.ts, SPEC §12 "Public accountability"):
-- every writer of concerns queues the filing time of what it changed, in the same transaction, so
-- /:lang/statistics reads day figures and never the concerns. Inserts only.
-- The state row without a time zone makes the first refresh rebuild every figure.
INSERT INTO `public_statistics_state` (`id`, `time_zone`, `built_at`) VALUES (1, NULL, 0);
--> statement-breakpoint
CREATE TRIGGER `public_concerns_inserted` AFTER INSERT ON `concerns`
BEGIN
	INSERT INTO `public_concern_changes` (`filed_at`) VALUES (NEW.`created_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `public_concerns_updated` AFTER UPDATE OF `created_at`, `status`, `origin`, `system_id`, `outcome_code`, `first_response_at`, `resolved_at` ON `concerns`
WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`status` IS NOT NEW.`status` OR OLD.`origin` IS NOT NEW.`origin`
	OR OLD.`system_id` IS NOT NEW.`system_id` OR OLD.`outcome_code` IS NOT NEW.`outcome_code`
	OR OLD.`first_response_at` IS NOT NEW.`first_response_at` OR OLD.`resolved_at` IS NOT NEW.`resolved_at`
BEGIN
	INSERT INTO `public_concern_changes` (`filed_at`) VALUES (NEW.`created_at`);
	INSERT INTO `public_concern_changes` (`filed_at`) SELECT OLD.`created_at` WHERE OLD.`created_at` IS NOT NEW.`created_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_concerns_deleted` AFTER DELETE ON `concerns`
BEGIN
	INSERT INTO `public_concern_changes` (`filed_at`) VALUES (OLD.`created_at`);
END;
