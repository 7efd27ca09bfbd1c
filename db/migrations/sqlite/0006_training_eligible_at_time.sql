ALTER TABLE `interaction_ai` ADD `training_reported` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- backfill (keep when regenerating)
-- Rows recorded before this migration stored only the reporting system's flag: keep it as
-- training_reported. training_eligible becomes that flag AND the customer's training choice at
-- the interaction's time: the value of their latest "training" consent event at or before
-- occurred_at, else the choice's default (a GPC objection is such an event). Best effort: a choice
-- whose events were never recorded falls back to the default.
UPDATE `interaction_ai` SET `training_reported` = `training_eligible`;
--> statement-breakpoint
UPDATE `interaction_ai` SET `training_eligible` = 0
WHERE `training_eligible` = 1 AND COALESCE(
  (SELECT ce.`value` FROM `consent_events` ce JOIN `interactions` i ON i.`id` = `interaction_ai`.`interaction_id`
    WHERE ce.`customer_id` = i.`customer_id` AND ce.`choice_key` = 'training' AND ce.`created_at` <= i.`occurred_at`
    ORDER BY ce.`created_at` DESC, ce.`id` DESC LIMIT 1),
  (SELECT `default_value` FROM `choice_definitions` WHERE `key` = 'training'),
  'no'
) <> 'yes';
