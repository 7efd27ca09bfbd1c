-- Public statistics (app/domain/public-statistics.server.ts, SPEC §12 "Public accountability"):
-- every writer of concerns queues the filing time of what it changed, in the same transaction, so
-- /:lang/statistics reads day figures and never the concerns. Inserts only.
-- The state row without a time zone makes the first refresh rebuild every figure.
INSERT INTO "public_statistics_state" ("id", "time_zone", "built_at") OVERRIDING SYSTEM VALUE VALUES (1, NULL, 0);
--> statement-breakpoint
CREATE FUNCTION "public_concern_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO "public_concern_changes" ("filed_at") VALUES (OLD."created_at");
		RETURN NULL;
	END IF;
	INSERT INTO "public_concern_changes" ("filed_at") VALUES (NEW."created_at");
	IF TG_OP = 'UPDATE' AND OLD."created_at" IS DISTINCT FROM NEW."created_at" THEN
		INSERT INTO "public_concern_changes" ("filed_at") VALUES (OLD."created_at");
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "public_concerns_inserted_deleted" AFTER INSERT OR DELETE ON "concerns"
	FOR EACH ROW EXECUTE FUNCTION "public_concern_changed"();
--> statement-breakpoint
CREATE TRIGGER "public_concerns_updated" AFTER UPDATE OF "created_at", "status", "origin", "system_id", "outcome_code", "first_response_at", "resolved_at" ON "concerns"
	FOR EACH ROW
	WHEN (OLD."created_at" IS DISTINCT FROM NEW."created_at" OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."origin" IS DISTINCT FROM NEW."origin"
		OR OLD."system_id" IS DISTINCT FROM NEW."system_id" OR OLD."outcome_code" IS DISTINCT FROM NEW."outcome_code"
		OR OLD."first_response_at" IS DISTINCT FROM NEW."first_response_at" OR OLD."resolved_at" IS DISTINCT FROM NEW."resolved_at")
	EXECUTE FUNCTION "public_concern_changed"();
