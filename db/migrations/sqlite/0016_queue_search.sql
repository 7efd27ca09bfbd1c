-- The queue's search by index (app/domain/concerns/queue.server.ts): FTS5 over the words of
-- concerns.search_text (written by concernSearchText: folded words separated by spaces), kept
-- current by triggers in the same transaction as every write of the column. The "ascii"
-- tokenizer splits at ASCII spaces and punctuation only, exactly as PostgreSQL's index does.
-- Search texts written before the words were split at Unicode punctuation (any non-ASCII
-- character in them) are emptied here and folded again in JavaScript after the migrations
-- (backfillSearchText, through the partial index concerns_search_pending).
UPDATE `concerns` SET `search_text` = NULL WHERE `search_text` GLOB '*[^ -~]*';--> statement-breakpoint
CREATE VIRTUAL TABLE `concerns_fts` USING fts5(search_text, content='concerns', content_rowid='id', tokenize='ascii');--> statement-breakpoint
INSERT INTO `concerns_fts`(`concerns_fts`) VALUES ('rebuild');--> statement-breakpoint
CREATE TRIGGER `concerns_fts_inserted` AFTER INSERT ON `concerns` BEGIN
  INSERT INTO `concerns_fts`(rowid, search_text) VALUES (new.id, new.search_text);
END;--> statement-breakpoint
CREATE TRIGGER `concerns_fts_deleted` AFTER DELETE ON `concerns` BEGIN
  INSERT INTO `concerns_fts`(`concerns_fts`, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;--> statement-breakpoint
CREATE TRIGGER `concerns_fts_updated` AFTER UPDATE OF `search_text` ON `concerns` BEGIN
  INSERT INTO `concerns_fts`(`concerns_fts`, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  INSERT INTO `concerns_fts`(rowid, search_text) VALUES (new.id, new.search_text);
END;
