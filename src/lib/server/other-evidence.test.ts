import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { dbGet, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { seedDemoData } from '$lib/server/demo';
import { user } from '$lib/server/db/schema';
import { mapTestimony, namesARelative, observationsOf, recordObservation, recordTestimony, testimoniesOf, type TestimonyInput } from './other-evidence';

let db: Db;
let amira: string, ola: string, gareth: string;
const NOW = new Date('2026-03-10T12:00:00Z');

const testimony: TestimonyInput = {
	witnessName: 'Dafydd Ap Rhys',
	witnessRole: 'Customer service team leader',
	relationship: 'Line manager',
	witnessContact: '01632 960 001',
	statement: 'I watched Amira check a caller’s identity before discussing the account, as our procedure requires.',
	witnessedOn: '2026-03-02',
	witnessSignedName: 'Dafydd Ap Rhys',
	witnessSignedOn: '2026-03-03',
	notRelative: 'yes',
	declaredCriteria: ['PC01']
};

async function idOf(email: string): Promise<string> {
	return (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
}

beforeEach(async () => {
	db = await openTestDatabase();
	await seedDemoData(db);
	amira = await idOf('learner@custodian.test');
	ola = await idOf('learner3@custodian.test');
	gareth = await idOf('assessor@custodian.test');
});

describe('witness testimony', () => {
	it('is recorded by the learner unmapped, then mapped to criteria by their assessor', async () => {
		const recorded = await recordTestimony(db, amira, amira, testimony, NOW);
		if (!recorded.ok) throw new Error(recorded.error.message);
		expect(recorded.value).toMatchObject({ declaredCriteria: ['PC01'], criteria: null, mappedBy: null, recordedBy: amira });
		const mapped = await mapTestimony(db, gareth, recorded.value.id, ['PC01', 'PC02', 'PC01'], NOW);
		expect(mapped).toMatchObject({ ok: true, value: { criteria: ['PC01', 'PC02'], mappedBy: gareth } });
		expect(await testimoniesOf(db, amira)).toMatchObject([{ witnessName: 'Dafydd Ap Rhys', criteria: ['PC01', 'PC02'], recordedByName: 'Amira Khan', mappedByName: 'Gareth Llewellyn' }]);
	});

	it('refuses a date in the future, an impossible date, missing fields, overlong text and unknown criteria, field by field', async () => {
		const refused = await recordTestimony(
			db,
			amira,
			amira,
			{ ...testimony, witnessName: '  ', statement: 'x'.repeat(6001), witnessedOn: '2026-03-11', declaredCriteria: ['PC01', 'NOPE'] },
			NOW
		);
		expect(refused).toMatchObject({
			ok: false,
			error: {
				code: 'evidence.invalid',
				fields: { witnessName: expect.stringMatching(/name/), statement: expect.stringMatching(/6,000/), witnessedOn: expect.stringMatching(/future/), declaredCriteria: expect.stringMatching(/criteria/) }
			}
		});
		expect(await recordTestimony(db, amira, amira, { ...testimony, witnessedOn: '2026-02-30' }, NOW)).toMatchObject({ ok: false, error: { fields: { witnessedOn: expect.stringMatching(/real date/) } } });
		expect((await recordTestimony(db, amira, amira, { ...testimony, witnessedOn: '2026-03-10', witnessSignedOn: '2026-03-10' }, NOW)).ok).toBe(true);
		expect(await testimoniesOf(db, amira)).toHaveLength(1);
	});

	it('keeps the witness’s contact details and signature, and the confirmation that they are not a relative', async () => {
		const recorded = await recordTestimony(db, amira, amira, testimony, NOW);
		expect(recorded).toMatchObject({ ok: true, value: { witnessContact: '01632 960 001', witnessSignedName: 'Dafydd Ap Rhys', witnessSignedOn: '2026-03-03', notRelative: true } });
		const unconfirmed = await recordTestimony(db, amira, amira, { ...testimony, notRelative: '', witnessContact: ' ', witnessSignedName: '', witnessSignedOn: '2026-03-01' }, NOW);
		expect(unconfirmed).toMatchObject({
			ok: false,
			error: { fields: { notRelative: expect.stringMatching(/not a relative/), witnessContact: expect.stringMatching(/telephone/), witnessSignedName: expect.stringMatching(/signed/) } }
		});
	});

	it('refuses a relative as a witness, with a clear message', async () => {
		for (const relationship of ['Mother', 'my partner', 'Brother', 'brother-in-law', 'Step-father', 'Wife', 'Fiancée', 'cousin']) {
			const refused = await recordTestimony(db, amira, amira, { ...testimony, relationship }, NOW);
			expect(refused, relationship).toMatchObject({ ok: false, error: { fields: { relationship: expect.stringMatching(/must not be a relative or partner/) } } });
		}
		for (const relationship of ['Line manager', 'Supervisor', 'Colleague on the same shift', 'Team leader']) {
			expect((await recordTestimony(db, amira, amira, { ...testimony, relationship }, NOW)).ok, relationship).toBe(true);
		}
		expect(namesARelative('Partnership manager')).toBe(false);
	});

	it('lets only the learner’s own assessor map it: another assessor gets “not found”', async () => {
		const recorded = await recordTestimony(db, ola, ola, testimony, NOW);
		if (!recorded.ok) throw new Error(recorded.error.message);
		expect(await mapTestimony(db, gareth, recorded.value.id, ['PC01'])).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(await mapTestimony(db, gareth, 'not-a-real-id', ['PC01'])).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(await mapTestimony(db, ola, recorded.value.id, ['PC01'])).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
	});

	it('answers any hostile input with a typed result', async () => {
		await fc.assert(
			fc.asyncProperty(fc.anything(), fc.anything(), fc.anything(), async (a, b, c) => {
				const result = await recordTestimony(
					db,
					amira,
					amira,
					{ witnessName: a, witnessRole: b, relationship: c, witnessContact: a, statement: a, witnessedOn: b, witnessSignedName: c, witnessSignedOn: a, notRelative: b, declaredCriteria: c },
					NOW
				);
				expect(typeof result.ok).toBe('boolean');
				// An id that is no testimony of Amira's (String(a) would itself throw for an object like { toString: {} }).
				const mapped = await mapTestimony(db, gareth, typeof a === 'string' ? a : 'no-such-testimony', c);
				expect(mapped.ok).toBe(false);
			}),
			{ numRuns: 100 }
		);
	});
});

describe('observation records', () => {
	it('are recorded by the learner’s assessor with at least one criterion', async () => {
		const input = { observedOn: '2026-03-09', setting: 'Front desk, Monday morning', description: 'Verified a caller by the security questions.', criteria: ['PC01'] };
		expect(await recordObservation(db, gareth, amira, input, NOW)).toMatchObject({ ok: true, value: { criteria: ['PC01'], assessorId: gareth } });
		expect(await recordObservation(db, gareth, amira, { ...input, criteria: [] }, NOW)).toMatchObject({ ok: false, error: { fields: { criteria: expect.stringMatching(/at least one/) } } });
		expect(await recordObservation(db, gareth, amira, { ...input, observedOn: '2027-01-01' }, NOW)).toMatchObject({ ok: false, error: { fields: { observedOn: expect.stringMatching(/future/) } } });
		expect(await recordObservation(db, gareth, ola, input, NOW)).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(await observationsOf(db, amira)).toMatchObject([{ setting: 'Front desk, Monday morning', assessorName: 'Gareth Llewellyn' }]);
	});
});
