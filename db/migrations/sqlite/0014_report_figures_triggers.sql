-- Report figures (app/domain/reports.server.ts): every writer of concerns, preferences and
-- customers — the domain, the hot path's prepared statements, seeds, bulk loads — queues what the
-- reports need in the same transaction. Inserts only: no counter row is updated on the hot path.
-- The state row without a time zone makes the first report build every figure from scratch.
INSERT INTO `report_figures_state` (`id`, `time_zone`, `built_at`) VALUES (1, NULL, 0);
--> statement-breakpoint
CREATE TRIGGER `report_concerns_inserted` AFTER INSERT ON `concerns`
BEGIN
	INSERT INTO `report_concern_changes` (`filed_at`) VALUES (NEW.`created_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_concerns_updated` AFTER UPDATE OF `created_at`, `status`, `origin`, `kind`, `system_id`, `outcome_code`, `first_response_at`, `resolved_at` ON `concerns`
WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`status` IS NOT NEW.`status` OR OLD.`origin` IS NOT NEW.`origin`
	OR OLD.`kind` IS NOT NEW.`kind` OR OLD.`system_id` IS NOT NEW.`system_id` OR OLD.`outcome_code` IS NOT NEW.`outcome_code`
	OR OLD.`first_response_at` IS NOT NEW.`first_response_at` OR OLD.`resolved_at` IS NOT NEW.`resolved_at`
BEGIN
	INSERT INTO `report_concern_changes` (`filed_at`) VALUES (NEW.`created_at`);
	INSERT INTO `report_concern_changes` (`filed_at`) SELECT OLD.`created_at` WHERE OLD.`created_at` IS NOT NEW.`created_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_concerns_deleted` AFTER DELETE ON `concerns`
BEGIN
	INSERT INTO `report_concern_changes` (`filed_at`) VALUES (OLD.`created_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `report_preferences_inserted` AFTER INSERT ON `preferences`
WHEN NOT EXISTS (SELECT 1 FROM `customers` WHERE `id` = NEW.`customer_id` AND `erased_at` IS NOT NULL)
BEGIN
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`) VALUES (NEW.`choice_key`, NEW.`value`, 1);
END;
--> statement-breakpoint
CREATE TRIGGER `report_preferences_updated` AFTER UPDATE OF `customer_id`, `choice_key`, `value` ON `preferences`
WHEN OLD.`customer_id` IS NOT NEW.`customer_id` OR OLD.`choice_key` IS NOT NEW.`choice_key` OR OLD.`value` IS NOT NEW.`value`
BEGIN
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`)
		SELECT OLD.`choice_key`, OLD.`value`, -1
		WHERE NOT EXISTS (SELECT 1 FROM `customers` WHERE `id` = OLD.`customer_id` AND `erased_at` IS NOT NULL);
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`)
		SELECT NEW.`choice_key`, NEW.`value`, 1
		WHERE NOT EXISTS (SELECT 1 FROM `customers` WHERE `id` = NEW.`customer_id` AND `erased_at` IS NOT NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `report_preferences_deleted` AFTER DELETE ON `preferences`
WHEN NOT EXISTS (SELECT 1 FROM `customers` WHERE `id` = OLD.`customer_id` AND `erased_at` IS NOT NULL)
BEGIN
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`) VALUES (OLD.`choice_key`, OLD.`value`, -1);
END;
--> statement-breakpoint
CREATE TRIGGER `report_customers_inserted` AFTER INSERT ON `customers`
WHEN NEW.`erased_at` IS NULL
BEGIN
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`) VALUES ('', '', 1);
END;
--> statement-breakpoint
CREATE TRIGGER `report_customers_erased` AFTER UPDATE OF `erased_at` ON `customers`
WHEN (OLD.`erased_at` IS NULL) <> (NEW.`erased_at` IS NULL)
BEGIN
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`)
		VALUES ('', '', CASE WHEN NEW.`erased_at` IS NULL THEN 1 ELSE -1 END);
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`)
		SELECT `choice_key`, `value`, CASE WHEN NEW.`erased_at` IS NULL THEN 1 ELSE -1 END FROM `preferences` WHERE `customer_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_customers_deleted` AFTER DELETE ON `customers`
WHEN OLD.`erased_at` IS NULL
BEGIN
	INSERT INTO `report_choice_changes` (`choice_key`, `value`, `delta`) VALUES ('', '', -1);
END;
