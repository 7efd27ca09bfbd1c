-- The queue's search by index (app/domain/concerns/queue.server.ts): a GIN index over the words
-- of concerns.search_text (written by concernSearchText: folded words separated by spaces),
-- split at ASCII spaces and punctuation exactly like SQLite's FTS5 "ascii" tokenizer; the query
-- repeats this expression (PG_SEARCH_VECTOR) so the index serves it. No text search
-- configuration or dictionary: the words are already folded (searchKey) and matched by prefix.
-- Search texts written before the words were split at Unicode punctuation (any non-ASCII
-- character), or holding a word longer than 60 characters (index entries stay small), are
-- emptied here and folded again in JavaScript after the migrations (backfillSearchText).
UPDATE "concerns" SET "search_text" = NULL WHERE "search_text" ~ '[^\x01-\x7f]' OR "search_text" ~ '[^\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]{61}';--> statement-breakpoint
CREATE INDEX "concerns_search" ON "concerns" USING gin (array_to_tsvector(array_remove(regexp_split_to_array("search_text", '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+'), '')));
