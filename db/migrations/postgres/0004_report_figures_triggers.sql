-- Report figures (app/domain/reports.server.ts): every writer of concerns, preferences and
-- customers — the domain, the hot path, seeds, bulk loads — queues what the reports need in the
-- same transaction. Inserts only: no counter row is updated (and locked) on the hot path.
-- The state row without a time zone makes the first report build every figure from scratch.
INSERT INTO "report_figures_state" ("id", "time_zone", "built_at") OVERRIDING SYSTEM VALUE VALUES (1, NULL, 0);
--> statement-breakpoint
CREATE FUNCTION "report_concern_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		INSERT INTO "report_concern_changes" ("filed_at") VALUES (OLD."created_at");
		RETURN NULL;
	END IF;
	INSERT INTO "report_concern_changes" ("filed_at") VALUES (NEW."created_at");
	IF TG_OP = 'UPDATE' AND OLD."created_at" IS DISTINCT FROM NEW."created_at" THEN
		INSERT INTO "report_concern_changes" ("filed_at") VALUES (OLD."created_at");
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "report_concerns_inserted_deleted" AFTER INSERT OR DELETE ON "concerns"
	FOR EACH ROW EXECUTE FUNCTION "report_concern_changed"();
--> statement-breakpoint
CREATE TRIGGER "report_concerns_updated" AFTER UPDATE OF "created_at", "status", "origin", "kind", "system_id", "outcome_code", "first_response_at", "resolved_at" ON "concerns"
	FOR EACH ROW
	WHEN (OLD."created_at" IS DISTINCT FROM NEW."created_at" OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."origin" IS DISTINCT FROM NEW."origin"
		OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."system_id" IS DISTINCT FROM NEW."system_id" OR OLD."outcome_code" IS DISTINCT FROM NEW."outcome_code"
		OR OLD."first_response_at" IS DISTINCT FROM NEW."first_response_at" OR OLD."resolved_at" IS DISTINCT FROM NEW."resolved_at")
	EXECUTE FUNCTION "report_concern_changed"();
--> statement-breakpoint
CREATE FUNCTION "report_preference_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND NOT EXISTS (SELECT 1 FROM "customers" WHERE "id" = OLD."customer_id" AND "erased_at" IS NOT NULL) THEN
		INSERT INTO "report_choice_changes" ("choice_key", "value", "delta") VALUES (OLD."choice_key", OLD."value", -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NOT EXISTS (SELECT 1 FROM "customers" WHERE "id" = NEW."customer_id" AND "erased_at" IS NOT NULL) THEN
		INSERT INTO "report_choice_changes" ("choice_key", "value", "delta") VALUES (NEW."choice_key", NEW."value", 1);
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "report_preferences_inserted_deleted" AFTER INSERT OR DELETE ON "preferences"
	FOR EACH ROW EXECUTE FUNCTION "report_preference_changed"();
--> statement-breakpoint
CREATE TRIGGER "report_preferences_updated" AFTER UPDATE OF "customer_id", "choice_key", "value" ON "preferences"
	FOR EACH ROW
	WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."choice_key" IS DISTINCT FROM NEW."choice_key" OR OLD."value" IS DISTINCT FROM NEW."value")
	EXECUTE FUNCTION "report_preference_changed"();
--> statement-breakpoint
CREATE FUNCTION "report_customer_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	d bigint;
BEGIN
	IF TG_OP = 'INSERT' THEN
		d := CASE WHEN NEW."erased_at" IS NULL THEN 1 ELSE 0 END;
	ELSIF TG_OP = 'DELETE' THEN
		d := CASE WHEN OLD."erased_at" IS NULL THEN -1 ELSE 0 END;
	ELSE
		d := CASE WHEN NEW."erased_at" IS NULL THEN 1 ELSE -1 END;
		INSERT INTO "report_choice_changes" ("choice_key", "value", "delta")
			SELECT "choice_key", "value", d FROM "preferences" WHERE "customer_id" = NEW."id";
	END IF;
	IF d <> 0 THEN
		INSERT INTO "report_choice_changes" ("choice_key", "value", "delta") VALUES ('', '', d);
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "report_customers_inserted_deleted" AFTER INSERT OR DELETE ON "customers"
	FOR EACH ROW EXECUTE FUNCTION "report_customer_changed"();
--> statement-breakpoint
CREATE TRIGGER "report_customers_erased" AFTER UPDATE OF "erased_at" ON "customers"
	FOR EACH ROW
	WHEN ((OLD."erased_at" IS NULL) <> (NEW."erased_at" IS NULL))
	EXECUTE FUNCTION "report_customer_changed"();
