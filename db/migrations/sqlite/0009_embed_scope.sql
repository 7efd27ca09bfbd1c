CREATE TABLE `embed_token_uses` (
	`site_id` integer NOT NULL,
	`jti` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `jti`),
	FOREIGN KEY (`site_id`) REFERENCES `embed_sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `embed_token_uses_expiry` ON `embed_token_uses` (`expires_at`);--> statement-breakpoint
ALTER TABLE `customer_sessions` ADD `embed_site` text;--> statement-breakpoint
-- backfill (keep when regenerating)
-- Sessions without a link were started by embeds, whose site is unknown: end them rather than let them act as portal sessions.
UPDATE `customer_sessions` SET `revoked_at` = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE `link_id` IS NULL AND `revoked_at` IS NULL;
