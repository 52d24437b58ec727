/**
 * The scenario file format: one zod schema, the single source of truth for what a file under
 * scenarios/ may hold and for the TypeScript types of a parsed scenario (z.infer).
 *
 * The schema checks shape: kinds of value, required keys, no unknown keys, closed lists. What a
 * value refers to (an event name, a node, a persona, a seeded record, a field) is checked after it,
 * by scenario-check.ts, because that depends on the rest of the file.
 *
 * Seeded records mirror the core's tables (core/schema/*.ts) with names an author can write by
 * hand: each has a local `key` (purposes and retention rules: their core `code`) that other
 * records, personas, dialogue and rules refer to; the runtime maps keys to the ids the core gives.
 */
import { z } from 'zod';
import { CRITERIA, type CriterionCode } from '../criteria';
import { DATA_CATEGORIES, LAWFUL_BASES } from '../core/schema/purpose';
import { ACCURACY_STATUSES, ART9_CONDITIONS, DATA_SOURCES, SPECIAL_CATEGORIES } from '../core/schema/customer';
import { CONSENT_GIVERS, CONSENT_METHODS, CONTACT_CHANNELS } from '../core/schema/consent';
import { AUTHORITY_TYPES, LPA_TYPES, THIRD_PARTY_ACTIONS } from '../core/schema/third-party';
import { OPG_REGISTER_STATUSES } from '../core/schema/opg-register';
import { INTERACTION_CHANNELS, PARTY_TYPES } from '../core/schema/interaction';
import { DISCLOSURE_MANNERS, DISCLOSURE_ROUTES } from '../core/schema/disclosure';
import { DIRECTORY_KINDS } from '../core/schema/recipient-directory';
import { REQUEST_KINDS } from '../core/schema/rights-request';
import { BREACH_RISKS } from '../core/schema/breach';
import { DISPOSAL_ACTIONS, RETENTION_TRIGGERS } from '../core/schema/retention';
import { REGIONS } from '../core/schema/workspace';
import { DURATION_HINT, isDuration } from './clock';
import { FIELD_CATEGORIES } from './fields';
import { MAX_ATTORNEYS, MAX_FACTS, MAX_OPG_REGISTER_ENTRIES, MAX_VARIABLES } from './scenario-limits';

/** The pass mark of a scenario that does not give one, in per cent. */
export const DEFAULT_PASS_MARK = 80;

/** How good a dialogue choice is, best first, and the share of its point's weight each earns by default. */
export const CHOICE_QUALITIES = ['best', 'acceptable', 'poor', 'critical'] as const;
export type ChoiceQuality = (typeof CHOICE_QUALITIES)[number];
export const DEFAULT_CREDIT: Readonly<Record<ChoiceQuality, number>> = { best: 100, acceptable: 50, poor: 0, critical: 0 };

// ── Values ───────────────────────────────────────────────────────────────────────────────────

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A local id: a node, choice, persona, marking point or seeded record. */
const key = z.string().regex(KEBAB, 'use lower-case letters, digits and hyphens, e.g. "asks-for-balance"');

const text = z.string().trim().min(1, 'must not be empty');

/** A field name in the core's form (camelCase). Whether it is known is checked against the catalogue. */
const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'name a field in camelCase, e.g. "dateOfBirth"');

/** A dotted event name, e.g. "identity.verified" or "asked.caller.for.dob". */
const eventName = z
	.string()
	.regex(/^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+$/, 'name an event in lower-case dotted words, e.g. "asked.caller.for.dob"');

const instant = z.iso.datetime({
	offset: true,
	error: 'expected an ISO instant with an offset, e.g. "2025-03-07T15:40:00+00:00"'
});

const plainDate = z.iso.date({ error: 'expected a date, e.g. "2024-11-02"' });

/** When something happened before the attempt: a date (taken as 09:00 UK time) or an instant. */
const timestamp = z.union([plainDate, instant], {
	error: 'expected a date ("2024-11-02") or an ISO instant with an offset ("2024-11-02T10:15:00+00:00")'
});

const duration = z.string().refine(isDuration, DURATION_HINT);

const criterionCode = z.enum(CRITERIA.map((c) => c.code) as [CriterionCode, ...CriterionCode[]], {
	error: (issue) => `unknown criterion ${JSON.stringify(issue.input)}`
});

// ── Rules (the marking language, also used by dialogue branches) ─────────────────────────────

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Marks an invalid_union issue as "not a condition", so errors can say what was expected. */
export const CONDITION_EXPECTED = 'expected a value, { in: [values] } or { contains: value }';

/**
 * A condition on one details key: equal to a value; one of a list ({ in }); or, for a list-valued
 * key, containing a value ({ contains }).
 */
const condition = z.union([scalar, z.strictObject({ in: z.array(scalar).min(1, 'list at least one value') }), z.strictObject({ contains: scalar })], {
	error: CONDITION_EXPECTED
});

/** Which events a rule is about: the name, and optionally details, fields and subject. */
const eventMatcher = z.strictObject({
	event: eventName,
	/** Conditions on details keys; all must hold. */
	where: z.record(z.string().min(1), condition).optional(),
	/** The event's field names include any (`any`) or all (`all`) of these. */
	fields: z
		.strictObject({
			any: z.array(fieldName).min(1, 'list at least one field').optional(),
			all: z.array(fieldName).min(1, 'list at least one field').optional()
		})
		.refine((f) => f.any !== undefined || f.all !== undefined, 'give `any` or `all`')
		.optional(),
	/** The seeded record the event concerns, by its key (e.g. a customer). */
	subject: key.optional()
});
export type EventMatcher = z.infer<typeof eventMatcher>;

/** The rule operators, in the order of the union below; an error names them in this order. */
export const RULE_OPERATORS = ['exists', 'absent', 'before', 'count', 'fieldEquals', 'within', 'all', 'any', 'not', 'variable'] as const;

/** Marks an invalid_union issue as "not a rule", so that errors can name the operator at fault. */
export const RULE_EXPECTED = `expected a rule: an object with exactly one of ${RULE_OPERATORS.join(', ')}`;

const positive = z.number().positive('must be more than 0');

const ruleOptions = [
	z.strictObject({ exists: eventMatcher }),
	z.strictObject({ absent: eventMatcher }),
	z.strictObject({ before: z.strictObject({ first: eventMatcher, then: eventMatcher }) }),
	z.strictObject({
		count: eventMatcher
			.extend({
				min: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional(),
				max: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional()
			})
			.refine((c) => c.min !== undefined || c.max !== undefined, 'give `min`, `max` or both')
			.refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, {
				message: '`min` must not be more than `max`',
				path: ['min']
			})
	}),
	z.strictObject({
		fieldEquals: eventMatcher.extend({
			path: z.string().regex(/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/, 'expected a details path, e.g. "risk" or "counts.contact"'),
			equals: z.json()
		})
	}),
	z.strictObject({
		within: z
			.strictObject({ event: eventMatcher, after: eventMatcher, minutes: positive.optional(), hours: positive.optional() })
			.refine((w) => (w.minutes === undefined) !== (w.hours === undefined), 'give exactly one of `minutes` or `hours`')
	}),
	z.strictObject({
		get all(): z.ZodArray<typeof rule> {
			return z.array(rule).min(1, 'list at least one rule');
		}
	}),
	z.strictObject({
		get any(): z.ZodArray<typeof rule> {
			return z.array(rule).min(1, 'list at least one rule');
		}
	}),
	z.strictObject({
		get not(): typeof rule {
			return rule;
		}
	}),
	/** A scenario variable (declared under `variables`) has this value now: set by a choice, or its initial value. */
	z.strictObject({ variable: z.strictObject({ name: key, equals: scalar }) })
] as const;

/** A rule over the attempt's event log; all/any/not hold rules. Semantics: rules.ts. */
export const rule = z.union(ruleOptions, { error: RULE_EXPECTED });
export type Rule = z.infer<typeof rule>;

// ── Organisation ─────────────────────────────────────────────────────────────────────────────

/**
 * A team or outside body in the organisation's directory of recipients: the learner picks it from
 * a list when recording a disclosure, and the core decides from it what may go (never from a role
 * typed as free text).
 */
const directoryEntry = z.strictObject({
	code: key,
	/** As the learner sees it in the list, e.g. "Field Services". */
	name: text,
	kind: z.enum(DIRECTORY_KINDS),
	description: z.string().trim().default(''),
	/** Per purpose (its code), the fields it may receive; with none it may receive nothing. */
	receives: z.array(z.strictObject({ purpose: key, fields: z.array(fieldName).min(1, 'list the fields it may receive') })).default([])
});

/** Who speaks up at once when the learner discloses without authority. */
const supervisor = z.strictObject({
	name: text,
	/** Their words after the system says what went wrong; by default they name the rules and ask for the breach form. */
	onUnauthorisedDisclosure: text.optional()
});

/** The organisation the learner works for, where it differs from the default (see runtime). */
const organisation = z.strictObject({
	name: text.optional(),
	region: z.enum(REGIONS).optional(),
	/** A training attempt always runs in record mode (DESIGN.md, policy mode). */
	policyMode: z.literal('record', { error: 'a training attempt always runs in "record" mode' }).optional(),
	dpo: z.strictObject({ name: text, email: z.email('expected an email address'), phone: z.string().trim().optional() }).optional(),
	settings: z.strictObject({ recognisedLegitimateInterests: z.boolean().optional() }).optional(),
	/** The teams and outside bodies the organisation discloses to, and what each may receive per purpose. */
	directory: z.array(directoryEntry).optional(),
	supervisor: supervisor.optional()
});

// ── Seeded records ───────────────────────────────────────────────────────────────────────────

const retentionRule = z.strictObject({
	code: key,
	description: text,
	periodMonths: z.number().int('must be a whole number of months').min(0, 'must be 0 or more'),
	trigger: z.enum(RETENTION_TRIGGERS),
	action: z.enum(DISPOSAL_ACTIONS).default('erase'),
	/** Where the period comes from, e.g. "MLR 2017 reg 40". */
	authority: z.string().trim().default('')
});

const purpose = z.strictObject({
	code: key,
	name: text,
	description: text,
	lawfulBasis: z.enum(LAWFUL_BASES),
	basisDetail: z.string().trim().default(''),
	directMarketing: z.boolean().default(false),
	fields: z.array(fieldName).min(1, 'list the fields the purpose needs'),
	requiredFields: z.array(fieldName).default([]),
	/** Categories of fields the catalogue (fields.ts) does not know, as the core's purposes take them. */
	fieldCategories: z.record(fieldName, z.enum(FIELD_CATEGORIES)).default({}),
	/** The retention rule's code. */
	retention: key,
	dataSubjectCategories: z.array(text).default(['customers']),
	recipientCategories: z.array(text).default([]),
	transfers: z.string().trim().default(''),
	automatedDecisionMaking: z.string().trim().default(''),
	minimumAge: z.number().int().min(0).max(120).optional()
});

const fieldValues = z.record(fieldName, z.string({ error: 'expected a string (quote numbers and dates)' }));

/** Per-field metadata, where it differs from the customer's defaults. */
const fieldMetadata = z.strictObject({
	/** The purpose the value was collected for; default: the first seeded purpose that lists the field. */
	purpose: key.optional(),
	source: z.enum(DATA_SOURCES).optional(),
	sourceDetail: z.string().trim().optional(),
	collectedAt: timestamp.optional(),
	accuracy: z.enum(ACCURACY_STATUSES).optional(),
	restricted: z.boolean().optional(),
	/** The reason for a legal hold, e.g. "MLR 2017 reg 40"; absent when there is none. */
	legalHold: text.optional()
});

const specialCategoryValue = z.strictObject({
	field: fieldName,
	category: z.enum(SPECIAL_CATEGORIES),
	value: z.string(),
	art9Condition: z.enum(ART9_CONDITIONS),
	schedule1Condition: z.string().trim().default(''),
	purpose: key.optional(),
	collectedAt: timestamp.optional()
});

const customer = z.strictObject({
	key,
	/** The organisation's account reference, e.g. "ACC-104233". */
	reference: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'an account reference is 3 to 32 capital letters, digits and hyphens'),
	/** When the customer was first recorded: the default collectedAt of every field. */
	since: timestamp,
	/** When the relationship ended (account closed), if it has. */
	relationshipEnded: timestamp.optional(),
	suppressed: z.boolean().default(false),
	source: z.enum(DATA_SOURCES).default('data-subject'),
	/** Values by category: each field must belong to the category it is listed under. */
	fields: z.strictObject(Object.fromEntries(DATA_CATEGORIES.map((c) => [c, fieldValues.optional()])) as Record<
		(typeof DATA_CATEGORIES)[number],
		z.ZodOptional<typeof fieldValues>
	>),
	metadata: z.record(fieldName, fieldMetadata).default({}),
	specialCategory: z.array(specialCategoryValue).default([])
});

const consent = z.strictObject({
	key,
	customer: key,
	purpose: key,
	channel: z.enum(CONTACT_CHANNELS),
	method: z.enum(CONSENT_METHODS),
	noticeVersion: text,
	givenBy: z.enum(CONSENT_GIVERS).default('data-subject'),
	thirdParty: key.optional(),
	evidenceRef: text,
	givenAt: timestamp,
	withdrawnAt: timestamp.optional()
});

const thirdParty = z.strictObject({
	key,
	customer: key,
	name: text,
	/** E.g. "spouse", "son", "solicitor". Being related gives no authority by itself. */
	relationship: text,
	authorityType: z.enum(AUTHORITY_TYPES),
	/** For a lasting power of attorney (and only then): which kind it is. It limits the scope, whatever `scope` says. */
	lpaType: z.enum(LPA_TYPES).optional(),
	evidenceRef: text,
	scope: z.strictObject({
		categories: z.array(z.enum([...FIELD_CATEGORIES, 'all'])).min(1, 'list the categories covered, or "all"'),
		actions: z.array(z.enum(THIRD_PARTY_ACTIONS)).min(1, 'list what the third party may do')
	}),
	validFrom: plainDate,
	validTo: plainDate.optional(),
	revokedAt: timestamp.optional()
});

const interaction = z.strictObject({
	key,
	customer: key.optional(),
	channel: z.enum(INTERACTION_CHANNELS),
	direction: z.enum(['inbound', 'outbound']),
	partyType: z.enum(PARTY_TYPES),
	thirdParty: key.optional(),
	at: timestamp,
	nature: text,
	notes: z.string().trim().default(''),
	actionsTaken: z.array(text).default([])
});

const disclosure = z.strictObject({
	key,
	customer: key,
	recipientType: z.enum(PARTY_TYPES),
	recipientName: text,
	recipientOrganisation: z.string().trim().default(''),
	recipientRole: z.string().trim().default(''),
	thirdParty: key.optional(),
	/** "none" makes it an unauthorised disclosure (a breach). */
	route: z.enum(DISCLOSURE_ROUTES),
	manner: z.enum(DISCLOSURE_MANNERS).default('supplied'),
	fields: z.array(fieldName).min(1, 'list the fields disclosed'),
	purpose: key.optional(),
	basisOrExemption: text,
	channel: z.enum(INTERACTION_CHANNELS),
	at: timestamp
});

/** A rights request already open when the attempt starts. */
const OPEN_REQUEST_STATES = ['received', 'awaiting-id', 'awaiting-clarification', 'awaiting-fee', 'in-progress', 'extended', 'response-ready'] as const;

const rightsRequest = z.strictObject({
	key,
	customer: key.optional(),
	kind: z.enum(REQUEST_KINDS),
	state: z.enum(OPEN_REQUEST_STATES),
	channel: z.enum(INTERACTION_CHANNELS),
	verbal: z.boolean(),
	/** The requester's own words, or a note of them. */
	description: text,
	particulars: z.record(z.string(), z.json()).default({}),
	requesterType: z.enum(PARTY_TYPES),
	thirdParty: key.optional(),
	electronic: z.boolean().default(false),
	receivedAt: timestamp,
	idRequestedAt: timestamp.optional(),
	idReceivedAt: timestamp.optional(),
	clarificationRequestedAt: timestamp.optional(),
	clarificationReceivedAt: timestamp.optional()
});

const breach = z.strictObject({
	key,
	awareAt: instant,
	occurredAt: timestamp.optional(),
	/** What happened, without copying the personal data involved. */
	description: text,
	dataCategories: z.array(text).min(1, 'list the categories of data involved'),
	subjectCategories: z.array(text).min(1, 'list the categories of people involved'),
	approxSubjects: z.number().int().min(0),
	approxRecords: z.number().int().min(0),
	affectedCustomers: z.array(key).default([]),
	likelyConsequences: z.string().trim().default(''),
	measuresTaken: z.string().trim().default(''),
	risk: z.enum(BREACH_RISKS).default('unassessed')
});

const seed = z.strictObject({
	retentionRules: z.array(retentionRule).default([]),
	purposes: z.array(purpose).default([]),
	customers: z.array(customer).default([]),
	consents: z.array(consent).default([]),
	thirdParties: z.array(thirdParty).default([]),
	interactions: z.array(interaction).default([]),
	disclosures: z.array(disclosure).default([]),
	requests: z.array(rightsRequest).default([]),
	breaches: z.array(breach).default([])
});

// ── People, clock, dialogue ──────────────────────────────────────────────────────────────────

const persona = z.strictObject({
	key,
	name: text,
	/** What the learner would call them: "caller", "colleague in Collections", "police officer". */
	role: text,
	/** Who they really are, in the core's terms; what the learner records may differ. */
	partyType: z.enum(PARTY_TYPES),
	/** The seeded customer they are, or are calling about. */
	customer: key.optional(),
	channel: z.enum(INTERACTION_CHANNELS).default('phone'),
	/** For the author and the debrief: who they are, what they want, how they behave. */
	description: text,
	/**
	 * What they can say when asked: by field name (their answers to verification questions) or by
	 * the key of a fact the scenario declares under `facts` (an LPA reference, their own date of birth).
	 */
	knows: z.record(fieldName, z.string({ error: 'expected a string (quote numbers and dates)' })).default({})
});

/** A fact of the story a persona may know, e.g. the reference of the LPA the caller holds. */
const fact = z.strictObject({
	key: fieldName,
	description: text
});

const variable = z.strictObject({
	name: key,
	/** The value before any choice sets it. */
	initial: scalar,
	description: text.optional()
});

/** An entry on the OPG register of lasting powers of attorney. */
const opgRegisterEntry = z.strictObject({
	/** The OPG's reference, e.g. "7000-4821-3366" (searched without spaces or hyphens). */
	reference: z.string().trim().min(1, 'must not be empty').max(40, 'an OPG reference is at most 40 characters'),
	donor: text,
	attorneys: z.array(text).min(1, 'list at least one attorney').max(MAX_ATTORNEYS, `list at most ${MAX_ATTORNEYS} attorneys`),
	lpaType: z.enum(LPA_TYPES),
	/** Absent while pending. */
	registeredOn: plainDate.optional(),
	status: z.enum(OPG_REGISTER_STATUSES)
});

const clock = z.strictObject({
	/** The simulated "now" when the attempt starts. */
	start: instant,
	/** How far the clock moves when the learner picks a dialogue choice. */
	dialogueStep: duration.default('1 minute'),
	/** How far the clock moves when the learner performs a core operation. */
	coreAction: duration.default('1 minute')
});

const declaredEvent = z.strictObject({
	name: eventName,
	/** What the learner did, in words the debrief can show. */
	description: text
});

/** What a learner can say or do at a node. */
const choice = z.strictObject({
	id: key,
	label: text,
	/** A dialogue event (declared under `events`) this choice puts in the log. */
	event: eventName.optional(),
	/** Scenario variables (declared under `variables`) this choice sets, by name: each set is a "variable.set" event. */
	set: z.record(key, scalar).optional(),
	goto: key,
	/**
	 * What the learner gives away by saying this: the runtime records it in the core as a
	 * disclosure to the node's speaker ("supplied", or "read-out" when offered as a check).
	 */
	discloses: z
		.strictObject({
			customer: key,
			fields: z.array(fieldName).min(1, 'list the fields disclosed'),
			manner: z.enum(DISCLOSURE_MANNERS).default('supplied'),
			/**
			 * Who records it: the system at once (default), or the learner, who must log it in the
			 * record system themselves (marking can test that a disclosure.made followed).
			 */
			logBy: z.enum(['system', 'learner']).default('system')
		})
		.optional(),
	/**
	 * How good a choice this is, for the timeline and the score: best, acceptable, poor or
	 * critical. A tagged choice names the marking `point` it is judged under; the point earns its
	 * weight times the choice's credit (default 100 / 50 / 0 / 0 %; `credit` overrides it), the
	 * lowest credit of the tagged choices taken counting. A critical choice misses its point, which
	 * must be critical: the attempt plays on and fails at the end (or `goto` an end node to stop).
	 */
	quality: z.enum(CHOICE_QUALITIES).optional(),
	/** The share of the point's weight this choice earns, 0–100; only with `quality`. */
	credit: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(100, 'must be 100 or less').optional(),
	/** The marking point a tagged choice is judged under (its id). */
	point: key.optional(),
	/** Why the choice is good or poor, for the debrief's timeline. */
	comment: text.optional()
}).superRefine((c, ctx) => {
	if (c.quality === undefined) {
		for (const k of ['credit', 'point', 'comment'] as const) {
			if (c[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `\`${k}\` goes with \`quality\`: tag the choice best, acceptable, poor or critical` });
		}
		return;
	}
	if (c.point === undefined) ctx.addIssue({ code: 'custom', path: ['point'], message: 'missing: name the marking point this choice is judged under' });
	if (c.quality === 'critical' && c.credit !== undefined && c.credit > 0) {
		ctx.addIssue({ code: 'custom', path: ['credit'], message: 'a critical choice earns nothing: leave `credit` out' });
	}
});

const branch = z.strictObject({
	cases: z.array(z.strictObject({ when: rule, goto: key })).min(1, 'list at least one case'),
	otherwise: key
});

/**
 * A point in the dialogue. Exactly one shape:
 * - a turn: someone speaks (or, without a speaker, narration) and the learner picks a choice, or
 *   works in the system until a core event it waits for happens (`waitFor` … `then`), or either;
 * - a branch: no text; goes to the first case whose rule holds over the events so far;
 * - an end: `end: true`; the learner may still work in the system before finishing the attempt.
 */
const node = z
	.strictObject({
		id: key,
		/** A persona key; without one the text is narration. */
		speaker: key.optional(),
		text: text.optional(),
		/** Time that passes before this node, e.g. "2 days later". */
		advance: duration.optional(),
		choices: z.array(choice).min(1, 'list at least one choice').optional(),
		/** A core event (or any of several) that moves the dialogue on to `then`, once it has happened. */
		waitFor: z.union([eventMatcher, z.array(eventMatcher).min(1)], { error: 'expected an event matcher or a list of them' }).optional(),
		then: key.optional(),
		/**
		 * What the conversation shows while it waits, e.g. "Mrs Hughes is holding while you work in the
		 * system". Never name the answer (the operation or what to enter): by default it is a neutral line.
		 */
		waitingText: text.optional(),
		branch: branch.optional(),
		end: z.literal(true, { error: 'write `end: true` or leave it out' }).optional(),
		/**
		 * On an end node: the conversation ended before the task was done (the caller hung up, or a
		 * critical choice ended it). Points proved only by the absence of a mistake earn nothing then.
		 */
		early: z.literal(true, { error: 'write `early: true` or leave it out' }).optional()
	})
	.superRefine((n, ctx) => {
		const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
		if (n.branch) {
			for (const k of ['speaker', 'text', 'choices', 'waitFor', 'then', 'waitingText', 'end', 'early'] as const) {
				if (n[k] !== undefined) problem(k, 'a branch node has only `id`, `advance` and `branch`');
			}
			return;
		}
		if (n.early && !n.end) problem('early', 'only an end node can end early: add `end: true` or leave `early` out');
		if (n.text === undefined) problem('text', 'missing (expected what is said, or narration)');
		if (n.end) {
			for (const k of ['choices', 'waitFor', 'then', 'waitingText'] as const) {
				if (n[k] !== undefined) problem(k, 'an end node has no `choices`, `waitFor`, `then` or `waitingText`');
			}
			return;
		}
		if (n.waitFor !== undefined && n.then === undefined) problem('then', 'missing: say which node follows once `waitFor` happens');
		if (n.then !== undefined && n.waitFor === undefined) problem('waitFor', 'missing: `then` needs a `waitFor`');
		if (n.waitingText !== undefined && n.waitFor === undefined) problem('waitingText', '`waitingText` is shown while the node waits: it needs a `waitFor`');
		if (n.choices === undefined && n.waitFor === undefined) {
			problem('choices', 'a node needs `choices`, a `waitFor`, a `branch`, or `end: true`');
		}
	});

const dialogue = z.strictObject({
	/** The node the attempt starts at. */
	start: key,
	nodes: z.array(node).min(1, 'list at least one node')
});

// ── Marking ──────────────────────────────────────────────────────────────────────────────────

const markingPoint = z
	.strictObject({
		id: key,
		description: text,
		criteria: z.array(criterionCode).min(1, 'list the criteria this point evidences'),
		/**
		 * The point's share of the score. Every point carries one; a critical point without one weighs
		 * as much as the heaviest other point (files written before the pass rule had none).
		 */
		weight: z.number().int('must be a whole number').positive('must be 1 or more').optional(),
		/** A critical miss fails the attempt whatever the score (e.g. any unauthorised disclosure). */
		critical: z.boolean().optional(),
		rule,
		feedback: z.strictObject({
			met: text,
			notMet: text,
			/** The rule a miss breaks, by name: "UK GDPR Art 5(1)(f): confidentiality". Leads the feedback. */
			rule: text.optional(),
			/** What to do instead, for the critical-error card. */
			instead: text.optional()
		})
	})
	.superRefine((p, ctx) => {
		if (!p.critical && p.weight === undefined) {
			ctx.addIssue({ code: 'custom', path: ['weight'], message: 'missing: give a `weight` (a whole number, 1 or more)' });
		}
	});

// ── The file ─────────────────────────────────────────────────────────────────────────────────

export const scenarioSchema = z.strictObject({
	id: key,
	title: text,
	/** Declared by the author; the attempt pins it together with the file's content hash. */
	version: z.string().regex(/^\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$/, 'expected a version like "1.0.0"'),
	difficulty: z.enum(['foundation', 'intermediate', 'advanced']),
	/** The criteria the scenario covers: every one evidenced by a marking point. */
	criteria: z.array(criterionCode).min(1, 'list the criteria the scenario covers'),
	/** What the learner is told before starting (markdown). */
	brief: text,
	/** The learner's role in the organisation: the actor role the core records. */
	learnerRole: key.default('agent'),
	organisation: organisation.default({}),
	seed: seed.default(seed.parse({})),
	personas: z.array(persona).default([]),
	/** Facts of the story a persona may know beyond the customer's record (keys in camelCase). */
	facts: z.array(fact).max(MAX_FACTS, `declare at most ${MAX_FACTS} facts`).default([]),
	/** Values the dialogue remembers: set by choices, tested by branches and marking rules. */
	variables: z.array(variable).max(MAX_VARIABLES, `declare at most ${MAX_VARIABLES} variables`).default([]),
	/** The Office of the Public Guardian's register as the learner can search it ("Check the OPG register"). */
	opgRegister: z.array(opgRegisterEntry).max(MAX_OPG_REGISTER_ENTRIES, `list at most ${MAX_OPG_REGISTER_ENTRIES} register entries`).default([]),
	clock,
	/** The dialogue events this scenario's choices emit (core events need no declaring). */
	events: z.array(declaredEvent).default([]),
	dialogue,
	marking: z.array(markingPoint).min(1, 'add at least one marking point'),
	/**
	 * The score, in per cent, an attempt needs to pass, with no critical point missed
	 * (DEFAULT_PASS_MARK when left out).
	 */
	passMark: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(100, 'must be 100 or less').default(DEFAULT_PASS_MARK)
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Persona = Scenario['personas'][number];
export type DialogueNode = Scenario['dialogue']['nodes'][number];
export type DialogueChoice = NonNullable<DialogueNode['choices']>[number];
export type MarkingPoint = Scenario['marking'][number];
