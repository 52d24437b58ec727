-- Name search (core/search.ts): one FTS5 document per customer holding the folded form (lower
-- case, accents removed) of all their names, with prefix indexes for partial names. The document's
-- rowid is the customer's rowid; workspace_key ('w' || hex(workspace_id)) is one token, so a query
-- is confined to its workspace inside the index. Triggers rebuild a customer's document whenever
-- one of their names is recorded, corrected or erased, so an erased name leaves the index.
-- secure-delete makes FTS5 remove a deleted document's tokens from the index pages at once,
-- rather than leaving them until segments merge.
-- VACUUM may renumber customer rowids: rebuild the index after one (core/search.ts rebuildNameIndex).
CREATE VIRTUAL TABLE `customer_name_search` USING fts5(
	`names`,
	`workspace_key`,
	`customer_id` UNINDEXED,
	tokenize='unicode61 remove_diacritics 2',
	prefix='1 2 3'
);
--> statement-breakpoint
INSERT INTO `customer_name_search`(`customer_name_search`, `rank`) VALUES('secure-delete', 1);
--> statement-breakpoint
-- The index's vocabulary by column, for fuzzy matching.
CREATE VIRTUAL TABLE `customer_name_terms` USING fts5vocab(`customer_name_search`, 'col');
--> statement-breakpoint
CREATE TRIGGER `customer_name_search_insert` AFTER INSERT ON `customer_field`
WHEN new.`field` IN ('givenName', 'middleNames', 'familyName', 'preferredName')
BEGIN
	DELETE FROM `customer_name_search` WHERE `rowid` = (SELECT `rowid` FROM `customer` WHERE `id` = new.`customer_id`);
	INSERT INTO `customer_name_search`(`rowid`, `names`, `workspace_key`, `customer_id`)
	SELECT c.`rowid`, n.`names`, 'w' || hex(c.`workspace_id`), c.`id`
	FROM `customer` c, (
		SELECT group_concat(`normalised`, ' ') AS `names` FROM `customer_field`
		WHERE `customer_id` = new.`customer_id` AND `field` IN ('givenName', 'middleNames', 'familyName', 'preferredName') AND `normalised` IS NOT NULL
	) n
	WHERE c.`id` = new.`customer_id` AND n.`names` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `customer_name_search_update` AFTER UPDATE OF `normalised`, `field` ON `customer_field`
WHEN new.`field` IN ('givenName', 'middleNames', 'familyName', 'preferredName') OR old.`field` IN ('givenName', 'middleNames', 'familyName', 'preferredName')
BEGIN
	DELETE FROM `customer_name_search` WHERE `rowid` = (SELECT `rowid` FROM `customer` WHERE `id` = new.`customer_id`);
	INSERT INTO `customer_name_search`(`rowid`, `names`, `workspace_key`, `customer_id`)
	SELECT c.`rowid`, n.`names`, 'w' || hex(c.`workspace_id`), c.`id`
	FROM `customer` c, (
		SELECT group_concat(`normalised`, ' ') AS `names` FROM `customer_field`
		WHERE `customer_id` = new.`customer_id` AND `field` IN ('givenName', 'middleNames', 'familyName', 'preferredName') AND `normalised` IS NOT NULL
	) n
	WHERE c.`id` = new.`customer_id` AND n.`names` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `customer_name_search_delete` AFTER DELETE ON `customer_field`
WHEN old.`field` IN ('givenName', 'middleNames', 'familyName', 'preferredName')
BEGIN
	DELETE FROM `customer_name_search` WHERE `rowid` = (SELECT `rowid` FROM `customer` WHERE `id` = old.`customer_id`);
	INSERT INTO `customer_name_search`(`rowid`, `names`, `workspace_key`, `customer_id`)
	SELECT c.`rowid`, n.`names`, 'w' || hex(c.`workspace_id`), c.`id`
	FROM `customer` c, (
		SELECT group_concat(`normalised`, ' ') AS `names` FROM `customer_field`
		WHERE `customer_id` = old.`customer_id` AND `field` IN ('givenName', 'middleNames', 'familyName', 'preferredName') AND `normalised` IS NOT NULL
	) n
	WHERE c.`id` = old.`customer_id` AND n.`names` IS NOT NULL;
END;
