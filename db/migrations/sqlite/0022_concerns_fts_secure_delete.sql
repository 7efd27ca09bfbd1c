-- Erasure (GDPR Art. 17) must not leave a customer's words in the search index: with FTS5's
-- secure-delete, removing or replacing a row's search_text (customer-erasure.server.ts) deletes
-- its entries from the index at once instead of leaving them beside a delete marker until a merge.
INSERT INTO `concerns_fts`(`concerns_fts`, `rank`) VALUES ('secure-delete', 1);
