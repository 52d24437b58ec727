import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbGet, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { DEMO_ACCOUNTS, seedDemoData } from '$lib/server/demo';
import { user, type Role } from '$lib/server/db/schema';
import { canReadUpload } from './access';

let db: Db;
let centre: string;
const ids: Record<string, string> = {};
beforeAll(async () => {
	db = await openTestDatabase();
	await seedDemoData(db);
	for (const account of DEMO_ACCOUNTS) ids[account.email.split('@')[0]!] = (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, account.email))))!.id;
	centre = (await dbGet(db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, ids.learner!))))!.organisationId;
});

const reader = (name: string, roles: Role[], organisationId = centre) => ({ id: ids[name]!, organisationId, roles });
const fileOf = (owner: string, state: 'stored' | 'receiving' | 'refused' = 'stored') => ({ ownerId: ids[owner]!, organisationId: centre, state });

describe('who may read a stored upload', () => {
	it('lets the owner, an assessor of the owner’s cohort, the centre’s IQAs and admins read it', async () => {
		const file = fileOf('learner');
		expect(await canReadUpload(db, reader('learner', ['learner']), file)).toBe(true);
		expect(await canReadUpload(db, reader('assessor', ['assessor']), file)).toBe(true);
		expect(await canReadUpload(db, reader('iqa', ['iqa']), file)).toBe(true);
		expect(await canReadUpload(db, reader('admin', ['admin']), file)).toBe(true);
	});

	it('refuses another learner, an assessor of other cohorts, a tutor, another centre, and a file not yet stored', async () => {
		const file = fileOf('learner');
		expect(await canReadUpload(db, reader('learner2', ['learner']), file)).toBe(false);
		expect(await canReadUpload(db, reader('tutor', ['tutor']), file)).toBe(false);
		expect(await canReadUpload(db, reader('assessor', ['assessor']), fileOf('learner3'))).toBe(false);
		expect(await canReadUpload(db, reader('admin', ['admin'], 'another-centre'), file)).toBe(false);
		expect(await canReadUpload(db, reader('learner', ['learner']), fileOf('learner', 'receiving'))).toBe(false);
		expect(await canReadUpload(db, reader('learner', ['learner']), fileOf('learner', 'refused'))).toBe(false);
	});
});
