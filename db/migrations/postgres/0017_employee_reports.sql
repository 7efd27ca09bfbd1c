ALTER TABLE "concerns" ADD COLUMN "reporter_staff_id" bigint;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "reporter_name" text;