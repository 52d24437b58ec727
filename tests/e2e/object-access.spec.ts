import type { APIRequestContext } from '@playwright/test';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import type { Role } from '../../src/lib/server/db/schema';
import { e2eDatabasePath, fingerprint } from './support/fingerprint';
import { createOwnCohort, createOwnUser, expect, requestContextAsOwn, test, type OwnUser } from './support/fixtures';
import { discoverRoutes, requiredRole } from './support/routes';

/**
 * No insecure direct object references, generated like the role matrix: every route with an id in its
 * path is tried, by every role allowed into its area, with real ids of objects that role may not see —
 * an attempt of Ola's (a learner of the test's own, in a cohort the test's assessor does not assess
 * and which no other learner owns), Ola herself, and a cohort and a draft scenario of another centre. Every account is the
 * test's own, made in each worker's beforeAll. A page answers 404 exactly as for
 * an id that does not exist; an action is refused and changes nothing of Ola's or the other centre's.
 *
 * Each route parameter name maps to the foreign object used for it; a new parameter name fails the
 * first test until it is given one, so no route escapes the check.
 */
/**
 * Each worker's own: the digest below covers every row that mentions these ids, so a centre shared
 * between workers would change under one worker's check while the other's set-up adds its people
 * (seen in CI as "changed nothing" failing on refused posts).
 */
const WORKER = Math.random().toString(36).slice(2, 8);
const OTHER_CENTRE = `idor-other-centre-${WORKER}`;
const OTHER_COHORT = `idor-other-cohort-${WORKER}`;
/** A draft scenario of the other centre: its tutors' work, which nobody here may open, play or change. */
const OTHER_SCENARIO = `idor-other-scenario-${WORKER}`;
/** A sampling plan of the other centre's cohort: no IQA here may open or change it. */
const OTHER_PLAN = `idor-other-plan-${WORKER}`;
/** An external quality assurer's access to the other centre's cohort: no EQA, IQA or administrator here may open it. */
const OTHER_GRANT = `idor-other-grant-${WORKER}`;

interface Foreign {
	attemptId: string;
	learnerId: string;
	/** An assessor of another centre. */
	assessorId: string;
	/** A notification of Ola's. */
	notificationId: string;
	/** An IQA sample of the other centre's. */
	sampleId: string;
	/** Ola's submitted workplace evidence: only her own cohort's assessor may judge it. */
	evidenceId: string;
	/** A file stored on a draft of Ola's workplace evidence. */
	uploadId: string;
	/** Ola's Open Badge: only she may download it. */
	badgeId: string;
}

/** Which foreign id goes in which parameter; `null`: the parameter names something every holder of the area's role may see. */
function foreignValue(param: string, foreign: Foreign): string | null | undefined {
	const values: Record<string, string | null> = {
		attemptId: foreign.attemptId,
		learnerId: foreign.learnerId,
		userId: foreign.learnerId,
		assessorId: foreign.assessorId,
		cohortId: OTHER_COHORT,
		// The library's built-in scenarios are everyone's; another centre's draft is nobody's here.
		scenarioId: OTHER_SCENARIO,
		// A password-reset link is public: whoever holds the token may use it (password-reset.spec.ts).
		token: null,
		// Help topics are the same for every tutor.
		topic: null,
		notificationId: foreign.notificationId,
		planId: OTHER_PLAN,
		sampleId: foreign.sampleId,
		accessId: OTHER_GRANT,
		evidenceId: foreign.evidenceId,
		uploadId: foreign.uploadId,
		badgeId: foreign.badgeId,
		// A centre's DID document and revocation lists are public (Open Badges verifiers fetch them).
		centre: null,
		list: null
	};
	return param in values ? values[param] : undefined;
}

/** Whether a role may legitimately see this foreign object in this area (and so is not expected to be refused). */
function mayLegitimatelySee(role: Role, path: string, param: string): boolean {
	// The centre's administrator manages every user of the centre, Ola included.
	if (role === 'admin' && (param === 'userId' || param === 'learnerId') && path.startsWith('/admin')) return true;
	// The centre's IQA may have the evidence pack of every learner of the centre (issue 17, item 6), Ola included.
	if (role === 'iqa' && param === 'learnerId' && path.startsWith('/iqa/learners/')) return true;
	// A stored upload is for the centre's IQAs and administrators too (uploads/access.ts), Ola's included.
	if ((role === 'iqa' || role === 'admin') && param === 'uploadId' && path.startsWith('/uploads/')) return true;
	return false;
}

const ROLES: readonly Role[] = ['learner', 'assessor', 'tutor', 'admin', 'iqa', 'eqa'];
const ROUTES = discoverRoutes().filter((r) => /\[[^\]]+\]/.test(r.id));
const params = (id: string) => [...id.matchAll(/\[\[?(?:\.\.\.)?([^\]]+?)\]?\]/g)].map((m) => m[1]!);

test.describe('object access: ids of what a user may not see are refused', () => {
	let foreign: Foreign;
	let db: Database.Database;
	const clients = new Map<Role, APIRequestContext>();

	test.beforeAll(async () => {
		// One account per role; Ola is in a cohort of her own, assessed by an assessor who is not among them.
		const people = new Map<Role, OwnUser>();
		for (const role of ROLES) people.set(role, await createOwnUser([role], `idor ${role}`));
		const ola = await createOwnUser(['learner'], 'idor ola');
		await createOwnCohort(people.get('tutor')!, { learners: [ola], assessors: [await createOwnUser(['assessor'], 'idor her assessor')] });
		// Ola's attempt, made through the app.
		const olaClient = await requestContextAsOwn(ola);
		const started = await olaClient.post('/learn/scenarios/spouse-caller?/start', { form: {}, maxRedirects: 0 });
		expect(started.status()).toBe(303);
		// A draft of Ola's workplace evidence with a file on it, sent as the browser sends one (tus).
		const evidence = await olaClient.post('/learn/evidence/new', { form: { title: 'Ola’s call notes' }, maxRedirects: 0 });
		expect(evidence.status()).toBe(303);
		const draftEvidenceId = evidence.headers()['location']!.split('/').pop()!;
		const file = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
		const tus = { 'Tus-Resumable': '1.0.0' };
		const created = await olaClient.post('/learn/uploads', {
			headers: { ...tus, 'Upload-Length': String(file.byteLength), 'Upload-Metadata': `filename ${btoa('notes.pdf')},evidence ${btoa(draftEvidenceId)}` },
			maxRedirects: 0
		});
		expect(created.status()).toBe(201);
		const uploadId = created.headers()['location']!.split('/').pop()!;
		const sent = await olaClient.patch(`/learn/uploads/${uploadId}`, { headers: { ...tus, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, data: file });
		expect(sent.status()).toBe(204);
		await olaClient.dispose();
		// Another centre with a cohort and an assessor of its own: nobody here may open them.
		const rw = new Database(e2eDatabasePath(), { fileMustExist: true });
		rw.pragma('busy_timeout = 5000');
		const now = new Date().toISOString();
		rw.prepare(`INSERT OR IGNORE INTO organisation (id, name, updated_at) VALUES (?, 'Elsewhere College', ?)`).run(OTHER_CENTRE, now);
		rw.prepare(`INSERT OR IGNORE INTO cohort (id, organisation_id, name, description, created_by, created_at) VALUES (?, ?, 'Elsewhere cohort', '', ?, ?)`).run(OTHER_COHORT, OTHER_CENTRE, people.get('tutor')!.id, now);
		const draft = readFileSync('scenarios/spouse-caller.yaml', 'utf8').replace(/^id: spouse-caller$/m, `id: ${OTHER_SCENARIO}`);
		rw.prepare(
			`INSERT OR IGNORE INTO centre_scenario (scenario_id, organisation_id, draft_source, based_on, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`
		).run(OTHER_SCENARIO, OTHER_CENTRE, draft, people.get('tutor')!.id, now, people.get('tutor')!.id, now);
		rw.prepare(
			`INSERT OR IGNORE INTO sampling_plan (id, organisation_id, cohort_id, qualification_title, rates, methods, criteria, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, 'Elsewhere qualification', '{"new":100,"trainee":100,"low":10,"medium":25,"high":50}', '["simulation"]', '["PC01"]', ?, ?, ?, ?)`
		).run(OTHER_PLAN, OTHER_CENTRE, OTHER_COHORT, people.get('tutor')!.id, now, people.get('tutor')!.id, now);
		// A notification of Ola's: nobody else may open it (or mark it read).
		const notificationId = `idor-notification-${ola.id}`;
		rw.prepare(`INSERT INTO notification (id, user_id, kind, subject, title, link, created_at) VALUES (?, ?, 'decision', ?, 'Your work has been assessed', '/learn', ?)`).run(notificationId, ola.id, notificationId, now);
		// Ola's workplace evidence, submitted for her own assessor to judge.
		const evidenceId = `idor-evidence-${ola.id}`;
		rw.prepare(
			`INSERT INTO workplace_evidence (id, organisation_id, learner_id, title, situation, task, action, result, criteria, declaration, declared_at, state, created_at, updated_at, submitted_at)
			 VALUES (?, ?, ?, 'Ola''s evidence', 's', 't', 'a', 'r', '["PC01"]', 'This is my own work.', ?, 'submitted', ?, ?, ?)`
		).run(evidenceId, ola.organisationId, ola.id, now, now, now, now);
		// Ola's Open Badge, stored as issued (its position far beyond any the centre's counter gives out).
		const badgeId = `idor-badge-${ola.id}`;
		rw.prepare(
			`INSERT INTO badge (id, organisation_id, learner_id, achievement, status_index, awarded_at, credential, signed_at) VALUES (?, ?, ?, 'unit', ?, ?, ?, ?)`
		).run(badgeId, ola.organisationId, ola.id, 900_000_000 + Math.floor(Math.random() * 90_000_000), now, JSON.stringify({ id: badgeId }), now);
		rw.close();
		const elsewhere = await createOwnUser(['assessor'], 'idor elsewhere assessor', { organisationId: OTHER_CENTRE });
		// A sample of the other centre's (its assessor's decision on Ola's work): no IQA here may open or judge it.
		const sampleId = `idor-sample-${WORKER}`;
		const writer = new Database(e2eDatabasePath(), { fileMustExist: true });
		writer.pragma('busy_timeout = 5000');
		writer
			.prepare(`INSERT OR IGNORE INTO iqa_sample (id, organisation_id, plan_id, decision_kind, decision_id, learner_id, assessor_id, stage, pick, reason, picked_by, picked_at) VALUES (?, ?, NULL, 'simulation', ?, ?, ?, 'interim', 'manual', 'Elsewhere', NULL, ?)`)
			.run(sampleId, OTHER_CENTRE, `idor-decision-${WORKER}`, ola.id, elsewhere.id, now);
		writer.close();
		const elsewhereEqa = await createOwnUser(['eqa'], 'idor elsewhere eqa', { organisationId: OTHER_CENTRE });
		const grants = new Database(e2eDatabasePath(), { fileMustExist: true });
		grants.pragma('busy_timeout = 5000');
		const today = now.slice(0, 10);
		grants
			.prepare(`INSERT OR IGNORE INTO eqa_access (id, organisation_id, eqa_user_id, cohort_id, starts_on, ends_on, invited_by, invited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
			.run(OTHER_GRANT, OTHER_CENTRE, elsewhereEqa.id, OTHER_COHORT, today, '2099-12-31', elsewhere.id, now);
		grants.close();
		foreign = { attemptId: started.headers()['location']!.split('/').pop()!, learnerId: ola.id, assessorId: elsewhere.id, notificationId, sampleId, evidenceId, uploadId, badgeId };
		db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
		for (const role of ROLES) clients.set(role, await requestContextAsOwn(people.get(role)!, { connection: 'close' }));
	});

	test.afterAll(async () => {
		for (const client of clients.values()) await client.dispose();
		db?.close();
	});

	test('every route parameter has a foreign object to try', () => {
		const unknown = [...new Set(ROUTES.flatMap((r) => params(r.id)).filter((p) => foreignValue(p, { attemptId: 'a', learnerId: 'l', assessorId: 's', notificationId: 'n', sampleId: 'x', evidenceId: 'e', uploadId: 'u', badgeId: 'b' }) === undefined))];
		expect(unknown, 'route parameters with no foreign object in object-access.spec.ts').toEqual([]);
	});

	for (const route of ROUTES) {
		const label = `${route.method} ${route.id}${route.action ? `?/${route.action}` : ''}`;
		test(`${label}: another person's or centre's id is refused like a missing one`, async () => {
			const needed = requiredRole(route.path);
			const roles = ROLES.filter((role) => needed === 'signed-in' || needed === role || (typeof needed === 'object' && needed?.includes(role)));
			for (const role of roles) {
				for (const param of params(route.id)) {
					const value = foreignValue(param, foreign);
					if (!value || mayLegitimatelySee(role, route.path, param)) continue;
					// The other parameters keep a made-up id; this one gets the foreign object's.
					const path = route.id
						.split('/')
						.filter((segment) => !/^\(.*\)$/.test(segment))
						.map((segment) => segment.replace(/\[\[?(?:\.\.\.)?([^\]]+?)\]?\]/g, (_, name: string) => (name === param ? encodeURIComponent(value) : 'not-a-real-id')))
						.join('/');
					const url = route.action ? `${path}?/${route.action}` : path;
					const where = `${label} as ${role} with ${param} = another's`;
					const client = clients.get(role)!;
					if (route.method === 'GET') {
						const response = await client.get(url, { maxRedirects: 0 });
						if (route.endpoint && response.status() === 303) {
							// A download's GET issues nothing and sends the user back to its page, which must
							// refuse the foreign id in turn, or show nothing of it.
							const page = await client.get(response.headers()['location']!, { maxRedirects: 0 });
							if (page.status() !== 404) expect(page.status(), `${where}: its page`).toBe(200);
							const shown = await page.text();
							if (page.status() === 200) expect(shown, `${where}: its page shows nothing of it`).not.toContain(value);
							continue;
						}
						expect(response.status(), where).toBe(404);
						expect(await response.text(), `${where}: nothing of it shown`).not.toContain(value);
					} else {
						const before = fingerprint(db, [foreign.attemptId, foreign.learnerId, foreign.assessorId, OTHER_CENTRE, OTHER_COHORT, OTHER_SCENARIO, OTHER_PLAN, foreign.sampleId, foreign.evidenceId, foreign.uploadId, OTHER_GRANT]);
						const response = await client.post(url, { form: { probe: 'object-access', expectedActionSeq: '1', name: 'x', dueOn: '2099-01-01' }, maxRedirects: 0 });
						expect(response.status(), where).toBeGreaterThanOrEqual(400);
						expect(response.status(), `${where}: no server error`).toBeLessThan(500);
						expect(fingerprint(db, [foreign.attemptId, foreign.learnerId, foreign.assessorId, OTHER_CENTRE, OTHER_COHORT, OTHER_SCENARIO, OTHER_PLAN, foreign.sampleId, foreign.evidenceId, foreign.uploadId, OTHER_GRANT]), `${where}: changed nothing`).toBe(before);
					}
				}
			}
		});
	}
});
