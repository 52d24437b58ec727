/**
 * xAPI 1.0.3 statements of what happens in an attempt (issue 20 item 2), kept safe for an LRS that
 * speaks 2.0 too: timestamps in UTC with a Z, no 2.0-only property (no `contextAgents`,
 * `contextGroups`), and `version` left for the LRS to set (xAPI 1.0.3 §2.4.10: "SHOULD NOT be set
 * by the Activity Provider"). Pure functions: the caller gives every value, times included.
 *
 * Who: an `account` Agent (homePage, name), never an e-mail, a name or anything that identifies the
 * person beyond the account (UK GDPR Art 5(1)(c), data minimisation). Today the account is the
 * centre's ORIGIN and our user id; after an LTI launch it can be the platform's issuer and `sub`
 * (issue 20 item 1) by passing another XapiAccount.
 *
 * Statement ids are UUIDs derived (RFC 4122 version 5, SHA-1) from the event's own id, so enqueueing
 * the same event again makes the same statement, which the outbox and the LRS both keep once.
 */
import { createHash } from 'node:crypto';
import type { CriterionCode } from '$lib/criteria';

/** The account an actor or instructor is known by: `homePage` the system, `name` the id there. */
export interface XapiAccount {
	homePage: string;
	name: string;
}

export interface XapiAgent {
	objectType: 'Agent';
	account: XapiAccount;
}

export interface XapiActivity {
	objectType: 'Activity';
	id: string;
	definition?: {
		type?: string;
		name?: Record<string, string>;
		description?: Record<string, string>;
		extensions?: Record<string, unknown>;
	};
}

export interface XapiStatement {
	id: string;
	actor: XapiAgent;
	verb: { id: string; display: Record<string, string> };
	object: XapiActivity;
	result?: {
		success?: boolean;
		completion?: boolean;
		score?: { scaled: number; raw?: number; min?: number; max?: number };
		extensions?: Record<string, unknown>;
	};
	context: {
		registration: string;
		instructor?: XapiAgent;
		platform: string;
		language: string;
		contextActivities?: { parent?: XapiActivity[]; grouping?: XapiActivity[]; category?: XapiActivity[]; other?: XapiActivity[] };
		extensions?: Record<string, unknown>;
	};
	timestamp: string;
}

/** ADL's verbs (https://registry.tincanapi.com, the ADL vocabulary), each used for what ADL defines it as. */
export const VERBS = {
	/** ADL: "an effort to access the object" — the learner started an attempt. */
	attempted: 'http://adlnet.gov/expapi/verbs/attempted',
	/** ADL: "replied to a question" — a line the learner chose in the scenario's conversation. */
	responded: 'http://adlnet.gov/expapi/verbs/responded',
	/** ADL: "engaged with a physical or virtual object" — an operation on the simulated record system. */
	interacted: 'http://adlnet.gov/expapi/verbs/interacted',
	/** ADL: "completed the activity" — the conversation reached its end. */
	completed: 'http://adlnet.gov/expapi/verbs/completed',
	/** ADL: "ended the activity" — the attempt was ended before the conversation reached its end. */
	terminated: 'http://adlnet.gov/expapi/verbs/terminated',
	passed: 'http://adlnet.gov/expapi/verbs/passed',
	failed: 'http://adlnet.gov/expapi/verbs/failed'
} as const;
type VerbName = keyof typeof VERBS;

const verb = (name: VerbName) => ({ id: VERBS[name], display: { 'en-GB': name } });

/** ADL activity types. */
const ACTIVITY_TYPES = {
	simulation: 'http://adlnet.gov/expapi/activities/simulation',
	interaction: 'http://adlnet.gov/expapi/activities/interaction',
	objective: 'http://adlnet.gov/expapi/activities/objective',
	assessment: 'http://adlnet.gov/expapi/activities/assessment'
} as const;

/** Our namespace for version 5 UUIDs (a random UUID, fixed for good: changing it changes every id). */
const CUSTODIAN_NAMESPACE = '7c1f3b0e-5a2d-4e8b-9f61-2d4c8a9e0b17';

/** RFC 4122 §4.3: a name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string = CUSTODIAN_NAMESPACE): string {
	const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
	const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
	hash[6] = (hash[6]! & 0x0f) | 0x50;
	hash[8] = (hash[8]! & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The registration of an attempt (xAPI: "the registration … the Statement is associated with"):
 * one UUID per attempt, derived from its id, which need not be a UUID. The base keeps two
 * installations' attempts apart.
 */
export function registrationOf(base: string, attemptId: string): string {
	return uuidV5(`${base}|registration|${attemptId}`);
}

/** A statement's id, from the event it tells of (`attempt/…/action/3`, `decision/…`). */
export function statementIdOf(base: string, eventKey: string): string {
	return uuidV5(`${base}|statement|${eventKey}`);
}

/** The centre's own names for its activities and extensions, under its ORIGIN. */
export interface XapiCentre {
	/** ORIGIN without a trailing slash: every IRI we coin is under it. */
	base: string;
}

export const extensionIri = (centre: XapiCentre, name: string) => `${centre.base}/xapi/extensions/${name}`;
const activityIri = (centre: XapiCentre, ...path: string[]) => `${centre.base}/xapi/activities/${path.map(encodeURIComponent).join('/')}`;

/** The learner's account when no LMS launched them: the centre's home page and our user id. */
export function centreAccount(centre: XapiCentre, userId: string): XapiAccount {
	return { homePage: centre.base, name: userId };
}

const agent = (account: XapiAccount): XapiAgent => ({ objectType: 'Agent', account: { homePage: account.homePage, name: account.name } });

export interface ScenarioActivity {
	id: string;
	title: string;
	/** The criteria its marking points evidence, in the unit's order. */
	criteria: readonly CriterionCode[];
}

export interface MarkingPointActivity {
	id: string;
	description: string;
	critical: boolean;
	criteria: readonly CriterionCode[];
}

export function scenarioActivity(centre: XapiCentre, scenario: ScenarioActivity): XapiActivity {
	return {
		objectType: 'Activity',
		id: activityIri(centre, 'scenarios', scenario.id),
		definition: {
			type: ACTIVITY_TYPES.simulation,
			name: { 'en-GB': scenario.title },
			extensions: { [extensionIri(centre, 'criteria')]: [...scenario.criteria] }
		}
	};
}

export function markingPointActivity(centre: XapiCentre, scenarioId: string, point: MarkingPointActivity): XapiActivity {
	return {
		objectType: 'Activity',
		id: activityIri(centre, 'scenarios', scenarioId, 'marking-points', point.id),
		definition: {
			type: ACTIVITY_TYPES.objective,
			description: { 'en-GB': point.description },
			extensions: { [extensionIri(centre, 'criteria')]: [...point.criteria], [extensionIri(centre, 'critical')]: point.critical }
		}
	};
}

/** A criterion of the unit (PC01, K03…) as an activity, for `grouping`. */
export function criterionActivity(centre: XapiCentre, code: string): XapiActivity {
	return { objectType: 'Activity', id: activityIri(centre, 'criteria', code), definition: { type: ACTIVITY_TYPES.objective, name: { 'en-GB': code } } };
}

/** What every statement of one attempt shares. */
export interface AttemptStatementBase {
	centre: XapiCentre;
	learner: XapiAccount;
	attemptId: string;
	scenario: ScenarioActivity;
}

function statement(
	base: AttemptStatementBase,
	eventKey: string,
	name: VerbName,
	timestamp: string,
	more: { result?: XapiStatement['result']; instructor?: XapiAccount; other?: XapiActivity[]; grouping?: XapiActivity[]; extensions?: Record<string, unknown> } = {}
): XapiStatement {
	const { centre } = base;
	const contextActivities = {
		...(more.grouping?.length ? { grouping: more.grouping } : {}),
		...(more.other?.length ? { other: more.other } : {})
	};
	return {
		id: statementIdOf(centre.base, eventKey),
		actor: agent(base.learner),
		verb: verb(name),
		object: scenarioActivity(centre, base.scenario),
		...(more.result ? { result: more.result } : {}),
		context: {
			registration: registrationOf(centre.base, base.attemptId),
			...(more.instructor ? { instructor: agent(more.instructor) } : {}),
			platform: 'Custodian',
			language: 'en-GB',
			...(Object.keys(contextActivities).length ? { contextActivities } : {}),
			...(more.extensions ? { extensions: more.extensions } : {})
		},
		timestamp: utc(timestamp)
	};
}

/** An ISO 8601 time in UTC with a Z (xAPI 2.0 requires a time zone; a Z is read alike by 1.0.3). */
function utc(time: string): string {
	const ms = Date.parse(time);
	if (Number.isNaN(ms)) throw new Error(`Not a time: ${time}`);
	return new Date(ms).toISOString();
}

/** The learner started the attempt. */
export function attemptStarted(base: AttemptStatementBase, at: string): XapiStatement {
	return statement(base, `attempt/${base.attemptId}/started`, 'attempted', at);
}

export interface LearnerActionEvent {
	/** The action's number in the attempt (1, 2, …). */
	seq: number;
	kind: 'choice' | 'core';
	/** The choice's id, or the operation's name. Never its input: that is the simulated customers' data. */
	name: string;
}

/**
 * One action of the learner: a line chosen in the conversation (`responded`) or an operation on the
 * record system (`interacted`). The object is the scenario; the choice or operation is a
 * sub-activity in `context.contextActivities.other`, and its place in the attempt an extension.
 */
export function learnerAction(base: AttemptStatementBase, action: LearnerActionEvent, at: string): XapiStatement {
	const { centre } = base;
	const step: XapiActivity =
		action.kind === 'choice'
			? { objectType: 'Activity', id: activityIri(centre, 'scenarios', base.scenario.id, 'choices', action.name), definition: { type: ACTIVITY_TYPES.interaction } }
			: { objectType: 'Activity', id: activityIri(centre, 'operations', action.name), definition: { type: ACTIVITY_TYPES.interaction, name: { 'en-GB': action.name } } };
	return statement(base, `attempt/${base.attemptId}/action/${action.seq}`, action.kind === 'choice' ? 'responded' : 'interacted', at, {
		other: [step],
		extensions: { [extensionIri(centre, 'action')]: { seq: action.seq, kind: action.kind, name: action.name } }
	});
}

export interface AttemptResultEvent {
	/** Weight earned over weight available, in per cent. */
	score: number;
	earned: number;
	possible: number;
	passed: boolean;
	/** The conversation had not reached its end when the attempt ended. */
	endedEarly: boolean;
	criticalMisses: readonly string[];
	points: readonly MarkingPointActivity[];
	criteriaEvidenced: readonly CriterionCode[];
	endedAt: string;
}

/** Per cent to xAPI's scaled score (−1…1), without a float's tail (92.3 → 0.923). */
const scaled = (percent: number) => Math.round(percent * 10) / 1000;

/**
 * The attempt's end, as two statements: `completed` (or `terminated` when it ended before the
 * conversation did) and `passed` or `failed`. The spec's three parts of a result are set each on its
 * own (xAPI 1.0.3 §2.4.5): `completion` says whether the conversation was finished, `success`
 * whether the attempt passed, `score.scaled` the score — so a critical point missed at 92 % is
 * `success: false` with `scaled: 0.92`, and the points missed are named in a result extension.
 */
export function attemptEnded(base: AttemptStatementBase, result: AttemptResultEvent): XapiStatement[] {
	const { centre } = base;
	const completion = !result.endedEarly;
	const points = result.points.map((p) => markingPointActivity(centre, base.scenario.id, p));
	const critical = result.criticalMisses.map((id) => activityIri(centre, 'scenarios', base.scenario.id, 'marking-points', id));
	return [
		statement(base, `attempt/${base.attemptId}/ended`, completion ? 'completed' : 'terminated', result.endedAt, { result: { completion } }),
		statement(base, `attempt/${base.attemptId}/result`, result.passed ? 'passed' : 'failed', result.endedAt, {
			result: {
				success: result.passed,
				completion,
				score: { scaled: scaled(result.score), raw: result.earned, min: 0, max: result.possible },
				extensions: {
					[extensionIri(centre, 'critical-points-missed')]: critical,
					[extensionIri(centre, 'criteria-evidenced')]: [...result.criteriaEvidenced]
				}
			},
			other: points,
			grouping: base.scenario.criteria.map((code) => criterionActivity(centre, code))
		})
	];
}

export type DecisionOutcome = 'met' | 'not-yet-met' | 'resubmission-requested';

export interface DecisionEvent {
	id: string;
	assessor: XapiAccount;
	outcome: DecisionOutcome;
	/** Per criterion: met or not, as the assessor judged it. */
	criteria: readonly { code: string; met: boolean }[];
	signedAt: string;
	signatureHash: string;
	/** A trainee's judgement counts once a qualified assessor countersigns it. */
	requiresCountersignature: boolean;
	/** The decision this one supersedes, if any. */
	supersedesId: string | null;
}

/**
 * The assessor's signed decision on the attempt. The actor is the learner and the assessor the
 * context's `instructor`: the statement is about the learner's achievement (xAPI 1.0.3 §2.4.6,
 * `instructor`: "Instructor that the Statement relates to, if not included as the Actor"), so an LRS
 * lists it with the learner's other statements, and the registration ties it to the attempt. Met is
 * `passed`; not yet met and a request to resubmit are `failed` (the outcome is in an extension).
 * Never the feedback's text: it may speak of the learner.
 */
export function decisionSigned(base: AttemptStatementBase, decision: DecisionEvent, supersedesStatementId: string | null): XapiStatement {
	const { centre } = base;
	const met = decision.outcome === 'met';
	const judged = Object.fromEntries(decision.criteria.map((c) => [c.code, c.met ? 'met' : 'not-met']));
	return {
		...statement(base, `decision/${decision.id}`, met ? 'passed' : 'failed', decision.signedAt, {
			result: {
				success: met,
				extensions: { [extensionIri(centre, 'decision')]: { outcome: decision.outcome, criteria: judged, requiresCountersignature: decision.requiresCountersignature, signatureHash: decision.signatureHash, ...(supersedesStatementId ? { supersedes: supersedesStatementId } : {}) } }
			},
			instructor: decision.assessor,
			grouping: decision.criteria.map((c) => criterionActivity(centre, c.code))
		}),
		object: {
			objectType: 'Activity',
			id: activityIri(centre, 'scenarios', base.scenario.id, 'assessment'),
			definition: { type: ACTIVITY_TYPES.assessment, name: { 'en-GB': `Assessment: ${base.scenario.title}` }, extensions: { [extensionIri(centre, 'criteria')]: [...base.scenario.criteria] } }
		}
	};
}

/** A statement the administrator sends to check the LRS's address and key: a random id, about nobody. */
export function testStatement(centre: XapiCentre, id: string, at: string): Omit<XapiStatement, 'context'> & { context: Omit<XapiStatement['context'], 'registration'> } {
	return {
		id,
		actor: agent({ homePage: centre.base, name: 'custodian-lrs-check' }),
		verb: verb('interacted'),
		object: { objectType: 'Activity', id: activityIri(centre, 'lrs-check'), definition: { type: ACTIVITY_TYPES.interaction, name: { 'en-GB': 'Custodian LRS check' } } },
		context: { platform: 'Custodian', language: 'en-GB' },
		timestamp: utc(at)
	};
}
