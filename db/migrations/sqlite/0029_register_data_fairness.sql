ALTER TABLE `ai_system_texts` ADD `provider_use_clause` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_system_texts` ADD `protected_characteristics_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_system_texts` ADD `fairness_test_method` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_system_texts` ADD `fairness_test_result` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_systems` ADD `data_recipients` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_systems` ADD `provider_data_use` text DEFAULT 'no' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_systems` ADD `uses_protected_characteristics` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_systems` ADD `fairness_tested_at` integer;