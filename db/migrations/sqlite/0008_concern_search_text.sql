ALTER TABLE `concerns` ADD `search_text` text;
-- backfill (keep when regenerating)
-- The folding (NFKD, marks removed, lower case) is Unicode work SQLite cannot do: runMigrations()
-- fills every NULL search_text in JavaScript right after the migrations (backfillSearchText).
