ALTER TABLE `choice_notices` ADD `change_note` text;--> statement-breakpoint
ALTER TABLE `choice_notices` ADD `cause_system_id` integer;--> statement-breakpoint
-- backfill (keep when regenerating)
-- Notice versions published earlier by a material change of an AI system: their audit entry
-- "choice.notice_published" names the system and its version; the change note is that version's
-- note in the notice's language, else English. Other notice versions keep no note (the page then
-- shows how the text differs from the one the customer chose under).
UPDATE `choice_notices` SET `cause_system_id` = (
  SELECT json_extract(a.`details`, '$.systemId') FROM `audit_log` a
  WHERE a.`action` = 'choice.notice_published' AND a.`target_id` = `choice_notices`.`choice_key`
    AND json_extract(a.`details`, '$.noticeVersion') = `choice_notices`.`version`
    AND json_extract(a.`details`, '$.cause') = 'ai_system_material_change'
  ORDER BY a.`id` DESC LIMIT 1
) WHERE `cause_system_id` IS NULL;
--> statement-breakpoint
UPDATE `choice_notices` SET `change_note` = (
  SELECT COALESCE(json_extract(v.`change_note`, '$.' || `choice_notices`.`lang`), json_extract(v.`change_note`, '$.en'))
  FROM `audit_log` a JOIN `ai_system_versions` v
    ON v.`system_id` = json_extract(a.`details`, '$.systemId') AND v.`version` = json_extract(a.`details`, '$.systemVersion')
  WHERE a.`action` = 'choice.notice_published' AND a.`target_id` = `choice_notices`.`choice_key`
    AND json_extract(a.`details`, '$.noticeVersion') = `choice_notices`.`version`
    AND json_extract(a.`details`, '$.cause') = 'ai_system_material_change'
  ORDER BY a.`id` DESC LIMIT 1
) WHERE `cause_system_id` IS NOT NULL AND `change_note` IS NULL;
