-- Monitoring figures (app/domain/monitoring.server.ts): every writer of concerns queues the filing
-- time of a concern changed in a way the weekly concern counts see (old and new); the refresh
-- recounts only those weeks. Without a state row the first refresh counts everything from the start.
CREATE TRIGGER `monitoring_concerns_inserted` AFTER INSERT ON `concerns`
BEGIN
	INSERT INTO `monitoring_concern_changes` (`filed_at`) VALUES (NEW.`created_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `monitoring_concerns_updated` AFTER UPDATE OF `created_at`, `status`, `origin`, `system_id`, `outcome_code` ON `concerns`
WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`status` IS NOT NEW.`status` OR OLD.`origin` IS NOT NEW.`origin`
	OR OLD.`system_id` IS NOT NEW.`system_id` OR OLD.`outcome_code` IS NOT NEW.`outcome_code`
BEGIN
	INSERT INTO `monitoring_concern_changes` (`filed_at`) VALUES (NEW.`created_at`);
	INSERT INTO `monitoring_concern_changes` (`filed_at`) SELECT OLD.`created_at` WHERE OLD.`created_at` IS NOT NEW.`created_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `monitoring_concerns_deleted` AFTER DELETE ON `concerns`
BEGIN
	INSERT INTO `monitoring_concern_changes` (`filed_at`) VALUES (OLD.`created_at`);
END;
