import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { afterCommit, dbExec, dbQuery, writeTransaction, type Db } from './database';
import { closeTestDatabase, openTestDatabase } from './testing-database';

let db: Db | undefined;
afterEach(() => {
	if (db) closeTestDatabase(db);
	db = undefined;
});

/** Whether the row the transaction wrote can be seen from outside it, as the code run after it sees. */
const visible = async (db: Db, id: string) => (await dbQuery(db, sql`select id from workspace where id = ${id}`)).length === 1;

describe('afterCommit', () => {
	it('runs at once outside a transaction', () => {
		const ran: string[] = [];
		afterCommit(() => ran.push('now'));
		expect(ran).toEqual(['now']);
	});

	it('runs once the transaction has committed, when what it wrote can be seen, even if the transaction waited on a timer', async () => {
		db = await openTestDatabase();
		const open = db;
		const seen: boolean[] = [];
		let later: Promise<void> | undefined;
		await writeTransaction(open, async () => {
			await dbExec(open, sql`insert into workspace (id, organisation_name, region, policy_mode, dpo_name, dpo_email, settings, created_at) values ('w-after', 'O', 'england-and-wales', 'record', 'D', 'd@o.example', '{}', '2025-01-01')`);
			afterCommit(() => {
				later = (async () => void seen.push(await visible(open, 'w-after')))();
			});
			await new Promise((done) => setImmediate(done));
			expect(later).toBeUndefined();
		});
		await later;
		expect(seen).toEqual([true]);
	});

	it('never runs when the transaction rolls back', async () => {
		db = await openTestDatabase();
		const open = db;
		const ran: string[] = [];
		await expect(
			writeTransaction(open, async () => {
				afterCommit(() => ran.push('committed'));
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		expect(ran).toEqual([]);
	});

	it('never runs what a savepoint asked for when the savepoint rolls back, and runs what the rest of the transaction asked for', async () => {
		db = await openTestDatabase();
		const open = db;
		const ran: string[] = [];
		await writeTransaction(open, async () => {
			afterCommit(() => ran.push('before the savepoint'));
			await expect(
				writeTransaction(open, async () => {
					afterCommit(() => ran.push('in the savepoint'));
					throw new Error('refused');
				})
			).rejects.toThrow('refused');
			await writeTransaction(open, async () => {
				afterCommit(() => ran.push('in a savepoint kept'));
			});
			afterCommit(() => ran.push('after the savepoint'));
			expect(ran).toEqual([]);
		});
		expect(ran).toEqual(['before the savepoint', 'in a savepoint kept', 'after the savepoint']);
	});
});
