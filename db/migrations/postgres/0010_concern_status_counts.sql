-- The queue's exact counts per status (concern_status_counts), kept by triggers in the same
-- transaction as every write of concerns — the domain, seeds, bulk loads and hand-written rows
-- alike. One row per status, made here, so a change only updates rows: both rows of a status
-- change in one UPDATE (rows locked in one order: two opposite changes cannot deadlock).
INSERT INTO "concern_status_counts" ("status", "n")
  SELECT "s"."status", (SELECT count(*) FROM "concerns" WHERE "concerns"."status" = "s"."status")
  FROM (SELECT unnest(ARRAY['new', 'in_progress', 'waiting_customer', 'waiting_third_party', 'escalated', 'resolved', 'closed', 'merged', 'withdrawn', 'spam']) AS "status"
    UNION SELECT DISTINCT "status" FROM "concerns") AS "s";
--> statement-breakpoint
CREATE FUNCTION "concern_status_counted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE "concern_status_counts" SET "n" = "n" + 1 WHERE "status" = NEW."status";
		IF NOT FOUND THEN
			INSERT INTO "concern_status_counts" ("status", "n") VALUES (NEW."status", 1)
				ON CONFLICT ("status") DO UPDATE SET "n" = "concern_status_counts"."n" + 1;
		END IF;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE "concern_status_counts" SET "n" = "n" - 1 WHERE "status" = OLD."status";
	ELSE
		INSERT INTO "concern_status_counts" ("status", "n") VALUES (NEW."status", 0) ON CONFLICT ("status") DO NOTHING;
		UPDATE "concern_status_counts"
			SET "n" = "n" + (CASE WHEN "status" = NEW."status" THEN 1 ELSE 0 END) - (CASE WHEN "status" = OLD."status" THEN 1 ELSE 0 END)
			WHERE "status" IN (OLD."status", NEW."status");
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "concern_status_counts_inserted_deleted" AFTER INSERT OR DELETE ON "concerns"
	FOR EACH ROW EXECUTE FUNCTION "concern_status_counted"();
--> statement-breakpoint
CREATE TRIGGER "concern_status_counts_updated" AFTER UPDATE OF "status" ON "concerns"
	FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION "concern_status_counted"();
