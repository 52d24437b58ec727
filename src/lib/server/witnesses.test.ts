import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbGet, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { user } from '$lib/server/db/schema';
import { recordTestimony } from './other-evidence';
import { witnessesForAssessor, witnessesForCentre } from './witnesses';

let db: Db;
const idOf = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const NOW = new Date('2026-03-10T12:00:00Z');
const testimony = {
	witnessName: 'Dafydd Ap Rhys',
	witnessRole: 'Customer service team leader',
	relationship: 'Line manager',
	witnessContact: 'dafydd@employer.example',
	statement: 'I watched the learner check a caller’s identity.',
	witnessedOn: '2026-03-02',
	witnessSignedName: 'Dafydd Ap Rhys',
	witnessSignedOn: '2026-03-03',
	notRelative: 'yes',
	declaredCriteria: ['PC01']
};

beforeEach(async () => {
	db = await openTestDatabase();
	await seedDemoData(db);
});

describe('the witness status list', () => {
	it('lists each witness once with their testimonies, for the assessor of those learners and for the centre', async () => {
		const amira = await idOf('learner@custodian.test');
		const tomas = await idOf('learner2@custodian.test');
		const ola = await idOf('learner3@custodian.test');
		for (const learner of [amira, tomas]) expect((await recordTestimony(db, learner, learner, testimony, NOW)).ok).toBe(true);
		expect((await recordTestimony(db, ola, ola, { ...testimony, witnessName: 'Ewa Nowak', witnessContact: '01632 960 002' }, NOW)).ok).toBe(true);
		const gareth = await witnessesForAssessor(db, await idOf('assessor@custodian.test'));
		expect(gareth).toEqual([
			expect.objectContaining({ name: 'Dafydd Ap Rhys', contact: 'dafydd@employer.example', roles: ['Customer service team leader'], relationships: ['Line manager'], allSigned: true, allConfirmedNotRelative: true })
		]);
		expect(gareth[0]!.testimonies.map((t) => t.learnerName).sort()).toEqual(['Amira Khan', 'Tomás Ó Briain']);
		expect((await witnessesForCentre(db, DEMO_ORGANISATION_ID)).map((w) => w.name)).toEqual(['Dafydd Ap Rhys', 'Ewa Nowak']);
		expect(await witnessesForCentre(db, 'another-centre')).toEqual([]);
	});
});
