-- The queue's exact counts per status (concern_status_counts), kept by triggers in the same
-- transaction as every write of concerns — the domain, seeds, bulk loads and hand-written rows
-- alike. One row per status; the first fill counts the cases once.
INSERT INTO `concern_status_counts` (`status`, `n`)
  SELECT `s`.`status`, (SELECT count(*) FROM `concerns` WHERE `concerns`.`status` = `s`.`status`)
  FROM (SELECT 'new' AS `status` UNION ALL SELECT 'in_progress' UNION ALL SELECT 'waiting_customer' UNION ALL SELECT 'waiting_third_party'
    UNION ALL SELECT 'escalated' UNION ALL SELECT 'resolved' UNION ALL SELECT 'closed' UNION ALL SELECT 'merged' UNION ALL SELECT 'withdrawn'
    UNION ALL SELECT 'spam' UNION ALL SELECT DISTINCT `status` FROM `concerns`) AS `s`
  WHERE true
  ON CONFLICT (`status`) DO NOTHING;--> statement-breakpoint
CREATE TRIGGER `concern_status_counts_inserted` AFTER INSERT ON `concerns` BEGIN
  INSERT INTO `concern_status_counts` (`status`, `n`) VALUES (new.`status`, 1) ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `concern_status_counts_deleted` AFTER DELETE ON `concerns` BEGIN
  UPDATE `concern_status_counts` SET `n` = `n` - 1 WHERE `status` = old.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `concern_status_counts_updated` AFTER UPDATE OF `status` ON `concerns` WHEN old.`status` IS NOT new.`status` BEGIN
  UPDATE `concern_status_counts` SET `n` = `n` - 1 WHERE `status` = old.`status`;
  INSERT INTO `concern_status_counts` (`status`, `n`) VALUES (new.`status`, 1) ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;
