-- Monitoring figures (app/domain/monitoring.server.ts): every writer of concerns queues the filing
-- time of a concern changed in a way the weekly concern counts see (old and new); the refresh
-- recounts only those weeks. Without a state row the first refresh counts everything from the start.
CREATE FUNCTION "monitoring_concern_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO "monitoring_concern_changes" ("filed_at") VALUES (OLD."created_at");
		RETURN NULL;
	END IF;
	INSERT INTO "monitoring_concern_changes" ("filed_at") VALUES (NEW."created_at");
	IF TG_OP = 'UPDATE' AND OLD."created_at" IS DISTINCT FROM NEW."created_at" THEN
		INSERT INTO "monitoring_concern_changes" ("filed_at") VALUES (OLD."created_at");
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "monitoring_concerns_inserted_deleted" AFTER INSERT OR DELETE ON "concerns"
	FOR EACH ROW EXECUTE FUNCTION "monitoring_concern_changed"();
--> statement-breakpoint
CREATE TRIGGER "monitoring_concerns_updated" AFTER UPDATE OF "created_at", "status", "origin", "system_id", "outcome_code" ON "concerns"
	FOR EACH ROW
	WHEN (OLD."created_at" IS DISTINCT FROM NEW."created_at" OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."origin" IS DISTINCT FROM NEW."origin"
		OR OLD."system_id" IS DISTINCT FROM NEW."system_id" OR OLD."outcome_code" IS DISTINCT FROM NEW."outcome_code")
	EXECUTE FUNCTION "monitoring_concern_changed"();
