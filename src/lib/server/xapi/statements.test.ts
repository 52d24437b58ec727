import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import validateStatement from 'xapi-validation';
import {
	VERBS,
	attemptEnded,
	attemptStarted,
	centreAccount,
	decisionSigned,
	learnerAction,
	registrationOf,
	statementIdOf,
	testStatement,
	uuidV5,
	type AttemptResultEvent,
	type AttemptStatementBase,
	type XapiStatement
} from './statements';

const centre = { base: 'https://custodian.college.example' };
const base: AttemptStatementBase = {
	centre,
	learner: centreAccount(centre, 'learner-7f3a'),
	attemptId: 'attempt-not-a-uuid-42',
	scenario: { id: 'spouse-caller', title: 'The spouse on the phone', criteria: ['PC01', 'PC04', 'K02'] }
};

/** Every statement a test builds is checked against the xAPI spec by Learning Locker's validator. */
function valid<T extends object>(statement: T): T {
	expect(validateStatement(statement)).toEqual([]);
	return statement;
}

const result = (over: Partial<AttemptResultEvent> = {}): AttemptResultEvent => ({
	score: 92,
	earned: 46,
	possible: 50,
	passed: false,
	endedEarly: false,
	criticalMisses: ['no-disclosure'],
	points: [
		{ id: 'verify-identity', description: 'Checks who is calling', critical: false, criteria: ['PC01'] },
		{ id: 'no-disclosure', description: 'Discloses nothing to the spouse', critical: true, criteria: ['PC04', 'K02'] }
	],
	criteriaEvidenced: ['PC01'],
	endedAt: '2026-03-02T10:15:00.000Z',
	...over
});

describe('xAPI statements', () => {
	it('tells of the attempt’s start as "attempted", by an account on the centre’s home page, with the attempt as the registration', () => {
		const s = valid(attemptStarted(base, '2026-03-02T10:00:00.000Z'));
		expect(s.verb.id).toBe(VERBS.attempted);
		expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://custodian.college.example', name: 'learner-7f3a' } });
		expect(s.context.registration).toBe(registrationOf(centre.base, 'attempt-not-a-uuid-42'));
		expect(s.context.registration).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(s.object.id).toBe('https://custodian.college.example/xapi/activities/scenarios/spouse-caller');
		expect(s.object.definition?.extensions).toEqual({ 'https://custodian.college.example/xapi/extensions/criteria': ['PC01', 'PC04', 'K02'] });
	});

	it('sets no version, no 2.0-only property, and gives every time in UTC with a Z', () => {
		const all: object[] = [attemptStarted(base, '2026-03-02T11:00:00+01:00'), ...attemptEnded(base, result())];
		for (const s of all) {
			const json = JSON.stringify(valid(s));
			expect(json).not.toContain('"version"');
			expect(json).not.toMatch(/contextAgents|contextGroups/);
			expect((s as XapiStatement).timestamp).toMatch(/Z$/);
		}
		expect((all[0] as XapiStatement).timestamp).toBe('2026-03-02T10:00:00.000Z');
	});

	it('tells of a conversation choice as "responded" and an operation as "interacted", naming the step but never its input', () => {
		const choice = valid(learnerAction(base, { seq: 1, kind: 'choice', name: 'ask-for-password' }, '2026-03-02T10:01:00Z'));
		expect(choice.verb.id).toBe(VERBS.responded);
		expect(choice.object.id).toBe(attemptStarted(base, '2026-03-02T10:00:00Z').object.id);
		expect(choice.context.contextActivities?.other?.[0]?.id).toBe('https://custodian.college.example/xapi/activities/scenarios/spouse-caller/choices/ask-for-password');
		const op = valid(learnerAction(base, { seq: 2, kind: 'core', name: 'searchCustomers' }, '2026-03-02T10:02:00Z'));
		expect(op.verb.id).toBe(VERBS.interacted);
		expect(op.context.extensions).toEqual({ 'https://custodian.college.example/xapi/extensions/action': { seq: 2, kind: 'core', name: 'searchCustomers' } });
		expect(op.context.registration).toBe(choice.context.registration);
	});

	it('gives a critical fail at 92 % as success false with its score, completion set on its own, and the critical point missed named', () => {
		const [ended, outcome] = attemptEnded(base, result()).map(valid);
		expect(ended!.verb.id).toBe(VERBS.completed);
		expect(ended!.result).toEqual({ completion: true });
		expect(outcome!.verb.id).toBe(VERBS.failed);
		expect(outcome!.result?.success).toBe(false);
		expect(outcome!.result?.completion).toBe(true);
		expect(outcome!.result?.score).toEqual({ scaled: 0.92, raw: 46, min: 0, max: 50 });
		expect(outcome!.result?.extensions?.['https://custodian.college.example/xapi/extensions/critical-points-missed']).toEqual([
			'https://custodian.college.example/xapi/activities/scenarios/spouse-caller/marking-points/no-disclosure'
		]);
		const points = outcome!.context.contextActivities?.other ?? [];
		expect(points.map((p) => p.definition?.extensions?.['https://custodian.college.example/xapi/extensions/criteria'])).toEqual([['PC01'], ['PC04', 'K02']]);
		expect(outcome!.context.contextActivities?.grouping?.map((g) => g.id.split('/').pop())).toEqual(['PC01', 'PC04', 'K02']);
	});

	it('gives an attempt ended before the conversation as "terminated", not completed, and a pass as "passed" with success true', () => {
		const [ended, outcome] = attemptEnded(base, result({ endedEarly: true, passed: true, criticalMisses: [], score: 64.5, earned: 32.25 })).map(valid);
		expect(ended!.verb.id).toBe(VERBS.terminated);
		expect(ended!.result).toEqual({ completion: false });
		expect(outcome!.verb.id).toBe(VERBS.passed);
		expect(outcome!.result).toMatchObject({ success: true, completion: false, score: { scaled: 0.645 } });
	});

	it('tells of the assessor’s signed decision with the learner as actor and the assessor as instructor, by account only', () => {
		const decision = {
			id: 'd-1',
			assessor: centreAccount(centre, 'assessor-9'),
			outcome: 'not-yet-met' as const,
			criteria: [
				{ code: 'PC01', met: true },
				{ code: 'PC04', met: false }
			],
			signedAt: '2026-03-03T09:00:00.000Z',
			signatureHash: 'ab'.repeat(32),
			requiresCountersignature: false,
			supersedesId: null
		};
		const s = valid(decisionSigned(base, decision, null));
		expect(s.actor.account.name).toBe('learner-7f3a');
		expect(s.context.instructor).toEqual({ objectType: 'Agent', account: { homePage: centre.base, name: 'assessor-9' } });
		expect(s.verb.id).toBe(VERBS.failed);
		expect(s.result?.success).toBe(false);
		expect(s.result?.extensions?.['https://custodian.college.example/xapi/extensions/decision']).toMatchObject({ outcome: 'not-yet-met', criteria: { PC01: 'met', PC04: 'not-met' } });
		expect(s.context.registration).toBe(registrationOf(centre.base, base.attemptId));
		const again = valid(decisionSigned(base, { ...decision, id: 'd-2', outcome: 'met', supersedesId: 'd-1' }, statementIdOf(centre.base, 'decision/d-1')));
		expect(again.verb.id).toBe(VERBS.passed);
		expect(again.id).not.toBe(s.id);
		expect(JSON.stringify([s, again])).not.toMatch(/mbox|@|"name":"[A-Z]/);
	});

	it('builds a valid test statement about nobody', () => {
		const s = valid(testStatement(centre, '4f0c2a7e-3a55-4c1d-8e2b-0a9d1f6c7b21', '2026-03-02T10:00:00Z'));
		expect(s.actor.account.name).toBe('custodian-lrs-check');
	});

	it('derives version 5 UUIDs as RFC 4122 does (as Python’s uuid5 gives for www.example.com in the DNS namespace)', () => {
		expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
	});

	it('makes the same statement id for the same event, and distinct ids for distinct events (property)', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), fc.string(), (origin, a, b) => {
				const first = statementIdOf(origin, a);
				expect(statementIdOf(origin, a)).toBe(first);
				expect(validateStatement({ ...attemptStarted(base, '2026-03-02T10:00:00Z'), id: first })).toEqual([]);
				if (a !== b) expect(statementIdOf(origin, b)).not.toBe(first);
				expect(registrationOf(origin, a)).not.toBe(first);
			})
		);
		fc.assert(
			fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 2, maxLength: 50 }), (seqs) => {
				const ids = seqs.map((seq) => learnerAction(base, { seq, kind: 'choice', name: 'x' }, '2026-03-02T10:00:00Z').id);
				expect(new Set(ids).size).toBe(seqs.length);
			})
		);
	});
});
