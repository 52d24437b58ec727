import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '$lib/core/database';
import { seedDemoData } from '$lib/server/demo';
import { user } from '$lib/server/db/schema';
import { mapTestimony, observationsOf, recordObservation, recordTestimony, testimoniesOf, type TestimonyInput } from './other-evidence';

let db: Db;
let amira: string, ola: string, gareth: string;
const NOW = new Date('2026-03-10T12:00:00Z');

const testimony: TestimonyInput = {
	witnessName: 'Dafydd Ap Rhys',
	witnessRole: 'Customer service team leader',
	relationship: 'Line manager',
	statement: 'I watched Amira check a caller’s identity before discussing the account, as our procedure requires.',
	witnessedOn: '2026-03-02',
	declaredCriteria: ['PC01']
};

function idOf(email: string): string {
	return db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
}

beforeEach(async () => {
	db = openDatabase(':memory:');
	await seedDemoData(db);
	amira = idOf('learner@custodian.test');
	ola = idOf('learner3@custodian.test');
	gareth = idOf('assessor@custodian.test');
});

describe('witness testimony', () => {
	it('is recorded by the learner unmapped, then mapped to criteria by their assessor', () => {
		const recorded = recordTestimony(db, amira, amira, testimony, NOW);
		if (!recorded.ok) throw new Error(recorded.error.message);
		expect(recorded.value).toMatchObject({ declaredCriteria: ['PC01'], criteria: null, mappedBy: null, recordedBy: amira });
		const mapped = mapTestimony(db, gareth, recorded.value.id, ['PC01', 'PC02', 'PC01'], NOW);
		expect(mapped).toMatchObject({ ok: true, value: { criteria: ['PC01', 'PC02'], mappedBy: gareth } });
		expect(testimoniesOf(db, amira)).toMatchObject([{ witnessName: 'Dafydd Ap Rhys', criteria: ['PC01', 'PC02'], recordedByName: 'Amira Khan', mappedByName: 'Gareth Llewellyn' }]);
	});

	it('refuses a date in the future, an impossible date, missing fields, overlong text and unknown criteria, field by field', () => {
		const refused = recordTestimony(
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
		expect(recordTestimony(db, amira, amira, { ...testimony, witnessedOn: '2026-02-30' }, NOW)).toMatchObject({ ok: false, error: { fields: { witnessedOn: expect.stringMatching(/real date/) } } });
		expect(recordTestimony(db, amira, amira, { ...testimony, witnessedOn: '2026-03-10' }, NOW).ok).toBe(true);
		expect(testimoniesOf(db, amira)).toHaveLength(1);
	});

	it('lets only the learner’s own assessor map it: another assessor gets “not found”', () => {
		const recorded = recordTestimony(db, ola, ola, testimony, NOW);
		if (!recorded.ok) throw new Error(recorded.error.message);
		expect(mapTestimony(db, gareth, recorded.value.id, ['PC01'])).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(mapTestimony(db, gareth, 'not-a-real-id', ['PC01'])).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(mapTestimony(db, ola, recorded.value.id, ['PC01'])).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
	});

	it('answers any hostile input with a typed result', () => {
		fc.assert(
			fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, c) => {
				const result = recordTestimony(db, amira, amira, { witnessName: a, witnessRole: b, relationship: c, statement: a, witnessedOn: b, declaredCriteria: c }, NOW);
				expect(typeof result.ok).toBe('boolean');
				// An id that is no testimony of Amira's (String(a) would itself throw for an object like { toString: {} }).
				const mapped = mapTestimony(db, gareth, typeof a === 'string' ? a : 'no-such-testimony', c);
				expect(mapped.ok).toBe(false);
			}),
			{ numRuns: 100 }
		);
	});
});

describe('observation records', () => {
	it('are recorded by the learner’s assessor with at least one criterion', () => {
		const input = { observedOn: '2026-03-09', setting: 'Front desk, Monday morning', description: 'Verified a caller by the security questions.', criteria: ['PC01'] };
		expect(recordObservation(db, gareth, amira, input, NOW)).toMatchObject({ ok: true, value: { criteria: ['PC01'], assessorId: gareth } });
		expect(recordObservation(db, gareth, amira, { ...input, criteria: [] }, NOW)).toMatchObject({ ok: false, error: { fields: { criteria: expect.stringMatching(/at least one/) } } });
		expect(recordObservation(db, gareth, amira, { ...input, observedOn: '2027-01-01' }, NOW)).toMatchObject({ ok: false, error: { fields: { observedOn: expect.stringMatching(/future/) } } });
		expect(recordObservation(db, gareth, ola, input, NOW)).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(observationsOf(db, amira)).toMatchObject([{ setting: 'Front desk, Monday morning', assessorName: 'Gareth Llewellyn' }]);
	});
});
