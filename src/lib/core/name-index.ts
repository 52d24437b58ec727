/**
 * Writing the name-search index (search.ts reads it): one document per customer holding the folded
 * form of all their names. On SQLite the core writes a customer's document once, after every value
 * of a collection is stored (migration 0029): a trigger that rewrote it for each name inserted made
 * FTS5 flush and, with secure-delete, edit the doclist of every token of the document, the
 * workspace's key among them, so recording a customer cost more the larger the workspace. Triggers
 * still rewrite the document when a name is corrected or erased (0005), so an erased name leaves
 * the index at once. On PostgreSQL triggers keep the index (drizzle-pg/0000, customer_name_search):
 * nothing to do here.
 */
import type { Db } from './database';
import { engineOf, preparedStatements, type Statement } from './database';

/** The fields whose words are indexed: the same list as the index's triggers (0005). */
const NAME_FIELD_LIST = "'givenName', 'middleNames', 'familyName', 'preferredName'";

interface IndexStatements {
	remove: Statement<[string], unknown>;
	write: Statement<[string, string], unknown>;
	missing: Statement<[], { id: string }>;
}

const statements = preparedStatements<IndexStatements>((client) => ({
	remove: client.prepare<[string], unknown>('delete from customer_name_search where rowid = (select rowid from customer where id = ?)'),
	// The document as the update trigger writes it: the customer's rowid, names, workspace key and id.
	write: client.prepare<[string, string], unknown>(
		`insert into customer_name_search(rowid, names, workspace_key, customer_id)
		 select c.rowid, n.names, 'w' || hex(c.workspace_id), c.id
		 from customer c, (
			select group_concat(normalised, ' ') as names from customer_field
			where customer_id = ? and field in (${NAME_FIELD_LIST}) and normalised is not null
		 ) n
		 where c.id = ? and n.names is not null`
	),
	missing: client.prepare<[], { id: string }>(
		`select c.id from customer c
		 where exists (select 1 from customer_field f where f.customer_id = c.id and f.field in (${NAME_FIELD_LIST}) and f.normalised is not null)
		 and not exists (select 1 from customer_name_search s where s.rowid = c.rowid)
		 order by c.rowid`
	)
}));

/**
 * (Re)writes the documents of these customers from their stored names. Call it inside the write
 * transaction that stored the names, once per customer after all of them: a customer recorded for
 * the first time has no document yet, so nothing is deleted (the costly part of FTS5's secure-delete).
 */
export async function indexCustomerNames(db: Db, customerIds: Iterable<string>, options: { isNew?: boolean } = {}): Promise<void> {
	if (engineOf(db) === 'postgres') return;
	const stmts = statements(db);
	for (const id of customerIds) {
		if (!options.isNew) await stmts.remove.run(id);
		await stmts.write.run(id, id);
	}
}

/**
 * Writes the documents of every customer whose names are stored but not indexed: what an import
 * that inserted customer_field rows directly needs at its end (server/transfer). Returns how many.
 */
export async function indexUnindexedNames(db: Db): Promise<number> {
	if (engineOf(db) === 'postgres') return 0;
	const ids = (await statements(db).missing.all()).map((r) => r.id);
	await indexCustomerNames(db, ids, { isNew: true });
	return ids.length;
}
