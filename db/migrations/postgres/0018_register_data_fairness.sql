ALTER TABLE "ai_system_texts" ADD COLUMN "provider_use_clause" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_system_texts" ADD COLUMN "protected_characteristics_note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_system_texts" ADD COLUMN "fairness_test_method" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_system_texts" ADD COLUMN "fairness_test_result" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_systems" ADD COLUMN "data_recipients" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_systems" ADD COLUMN "provider_data_use" text DEFAULT 'no' NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_systems" ADD COLUMN "uses_protected_characteristics" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_systems" ADD COLUMN "fairness_tested_at" bigint;