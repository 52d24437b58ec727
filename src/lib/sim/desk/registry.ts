/**
 * The simulation desk's one registry of operations: every core operation a learner may perform,
 * declared once, by name. An entry says what the page and the transcript call it (label), where the
 * desk draws it (the panel, and the form of forms.ts whose button submits it), how it runs against
 * the core, a short non-personal summary of its input for the transcript (fields, purposes, choices
 * and counts, in the words the record shows them with; never values), its outcome in plain words,
 * and whether it changes a customer's values (a record opened before it then shows old values:
 * state.ts).
 *
 * Input comes from the learner's page and is untrusted: each operation checks its own input (the
 * core parses every input object with its schema; the few positional ones are parsed here), so a
 * bad shape becomes the core's typed "invalid" error, never an exception.
 */
import { z } from 'zod';
import {
	isTransactionConflict,
	addCustomerFields,
	applyLegalHold,
	askForClarification,
	askForId,
	assembleResponse,
	assessBreachRisk,
	authoriseThirdParty,
	beginRequest,
	checkAuthority,
	closeBreach,
	collateRequestData,
	completeField,
	completeRequest,
	confirmAccuracy,
	containBreach,
	contestField,
	correctField,
	decideRedaction,
	disclose,
	endRelationship,
	extendRequest,
	fulfilErasure,
	fulfilObjection,
	fulfilRectification,
	fulfilRestriction,
	getCustomer,
	giveConsent,
	liftRestriction,
	logInteraction,
	logRequest,
	matchRequest,
	notifyRecipients,
	notifyRestrictionLift,
	parseInput,
	readBack,
	receiveClarification,
	receiveFee,
	receiveId,
	recordCustomer,
	recordIcoNotNotified,
	recordIcoNotification,
	recordMarketingObjection,
	recordSubjectsNotTold,
	recordSubjectsTold,
	refuseRequest,
	registerBreach,
	releaseLegalHold,
	requestFee,
	restrictField,
	revokeThirdPartyAuthority,
	runDisposal,
	searchCustomers,
	searchOpgRegister,
	verifyIdentity,
	withdrawConsent,
	withdrawExplicitConsent,
	withdrawRequest,
	type CoreContext,
	type DisclosureProblem,
	type Result
} from '../../core';
import { problemWords } from '../reaction';
import { deskForms, parseFormId, type FormKey, type FormSpec } from './forms';
import type { PanelKey } from './panels';
import { fieldWords, words } from './words';

export interface CoreOperation {
	/** What the page calls it, e.g. "Check a third party's authority". */
	label: string;
	/**
	 * Where the desk draws it: its panel, and the form whose button submits it. An operation
	 * without one is not on the desk (scenarios' seeding and playthroughs still run it by name).
	 */
	shown?: { panel: PanelKey; form: FormKey };
	/** It changes a customer's values: a record opened before it is out of date (state.ts). */
	changesValues?: true;
	run(ctx: CoreContext, input: unknown): Promise<Result<unknown>>;
	/**
	 * A short summary of the input for the transcript: what was chosen, in words (the organisation's
	 * names for its purposes and teams, the record's labels for fields), never personal values.
	 */
	describe(input: unknown, names: ActionNames): string;
	/** The successful outcome in plain words. */
	outcome(value: unknown): string;
}

/**
 * What the organisation of an attempt calls its codes: its purposes and its directory's teams and
 * bodies, by code. The transcript names them so; a code it does not know is spelled out in words.
 */
export interface ActionNames {
	purposes: ReadonlyMap<string, string>;
	recipients: ReadonlyMap<string, string>;
}

const NO_NAMES: ActionNames = { purposes: new Map(), recipients: new Map() };

// ── Reading untrusted input for summaries ────────────────────────────────────────────────────

/**
 * An operation whose input object the core parses itself: the learner's input goes in as it came,
 * and the core's schema turns a bad shape into its typed "invalid" error.
 */
function untrusted<I, T>(operation: (ctx: CoreContext, input: I) => Promise<Result<T>>): (ctx: CoreContext, input: unknown) => Promise<Result<T>> {
	return (ctx, input) => operation(ctx, input as I);
}

const get = (input: unknown, key: string): unknown =>
	input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>)[key] : undefined;

/**
 * A code, a field name, a date: one short token, no spaces. Anything else (a name, an address, a
 * sentence the learner typed) is left out of the transcript's summary.
 */
const CODE = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,59}$/;
const isCode = (value: unknown): value is string => typeof value === 'string' && CODE.test(value);

function code(input: unknown, key: string): string {
	const value = get(input, key);
	return isCode(value) ? value : '';
}

/** A code of a fixed list (a channel, a method, a state) in a sentence: "in person", "knowledge-based …". */
function term(value: string): string {
	if (value === '') return '';
	const said = words(value);
	// An abbreviation or a proper name keeps its capitals ("SAR", "ICO"); a common word is lower-case.
	return /^[A-Z][a-z]/.test(said) ? said.charAt(0).toLowerCase() + said.slice(1) : said;
}

/** A code of a fixed list, in words. */
function choice(input: unknown, key: string): string {
	return term(code(input, key));
}

/** How something was done, as a phrase: "by phone", "in person", "internally", "on every channel". */
function by(input: unknown): string {
	const channel = code(input, 'channel');
	if (channel === '') return '';
	if (channel === 'in-person') return 'in person';
	if (channel === 'internal') return 'internally';
	if (channel === 'all') return 'on every channel';
	return `by ${term(channel)}`;
}

/** A field, as the record labels it. */
function field(input: unknown, key: string): string {
	const value = code(input, key);
	return value === '' ? '' : fieldWords(value);
}

/** A purpose, by the name the organisation gives it. */
function purpose(input: unknown, key: string, named: ActionNames): string {
	const value = code(input, key);
	return value === '' ? '' : (named.purposes.get(value) ?? term(value));
}

/** The codes of a list (fields, categories), each in words. */
function list(input: unknown, key: string, say: (code: string) => string = term): string {
	const value = get(input, key);
	return Array.isArray(value) ? value.filter(isCode).map(say).join(', ') : '';
}

/** A list of fields, as the record labels them. */
const fields = (input: unknown, key: string) => list(input, key, fieldWords);

/** The keys of an object (the fields offered, the items supplied): field labels, not values. */
function keys(input: unknown, key: string): string {
	const value = get(input, key);
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).filter(isCode).map(fieldWords).join(', ') : '';
}

const parts = (...items: (string | false | undefined)[]) => items.filter((i): i is string => typeof i === 'string' && i !== '').join('; ');
const labelled = (label: string, value: string) => (value === '' ? '' : `${label} ${value}`);

function count(value: unknown, key: string): number | undefined {
	const v = get(value, key);
	return typeof v === 'number' ? v : Array.isArray(v) ? v.length : undefined;
}

/** A request after a transition: its state and due date. */
function requestState(value: unknown): string {
	const state = choice(value, 'state');
	const due = code(value, 'dueDate');
	return parts(state && `now ${state}`, due && `response due ${due}`) || 'done';
}

/** A breach after an update: its risk and whether it is still open. */
function breachState(value: unknown): string {
	const risk = code(value, 'risk');
	return parts(risk && risk !== 'unassessed' && `risk: ${term(risk)}`, get(value, 'closedAt') ? 'closed' : 'open');
}

// ── Positional core functions, given an object input ─────────────────────────────────────────

const viewInput = z.object({ customerId: z.string().min(1), purposeCode: z.string().trim().min(1, 'Choose the purpose you are opening the record for') });
const readBackInput = z.object({
	customerId: z.string().min(1),
	fields: z.array(z.string().min(1)).min(1, 'Name the fields read back'),
	verificationId: z.string().min(1).optional(),
	interactionId: z.string().min(1).optional()
});
const customerInput = z.object({ customerId: z.string().min(1) });

/** Every operation a learner can perform, by name. */
export const CORE_OPERATIONS = {
	// Customers and their data
	searchCustomers: {
		label: 'Search for a customer',
		shown: { panel: 'search', form: 'search' },
		run: untrusted(searchCustomers),
		describe: (input, named) =>
			parts(labelled('by', ['name', 'postcode', 'dateOfBirth', 'reference', 'email', 'phone'].filter((k) => get(input, k) !== undefined).map(fieldWords).join(', ')), labelled('for', purpose(input, 'purposeCode', named))),
		outcome: (value) => `${count(value, 'total') ?? 0} found`
	},
	viewCustomer: {
		label: 'Open a customer record',
		shown: { panel: 'search', form: 'view' },
		run: async (ctx, input) => {
			const parsed = parseInput(viewInput, input);
			return parsed.ok ? await getCustomer(ctx, parsed.value.customerId, { purposeCode: parsed.value.purposeCode }) : parsed;
		},
		describe: (input, named) => labelled('for', purpose(input, 'purposeCode', named)),
		outcome: (value) => `${count(value, 'fields') ?? 0} fields shown`
	},
	recordCustomer: {
		label: 'Record a new customer',
		shown: { panel: 'new', form: 'newCustomer' },
		run: untrusted(recordCustomer),
		describe: (input, named) => parts(keys(input, 'fields'), labelled('for', list(input, 'purposeCodes', (c) => named.purposes.get(c) ?? term(c)))),
		outcome: (value) => labelled('recorded as', code(value, 'reference')) || 'recorded'
	},
	addCustomerFields: {
		label: 'Add details to a customer record',
		changesValues: true,
		run: untrusted(addCustomerFields),
		describe: (input, named) => parts(keys(input, 'fields'), labelled('for', list(input, 'purposeCodes', (c) => named.purposes.get(c) ?? term(c)))),
		outcome: (value) => labelled('recorded', fields(value, 'recordedFields')) || 'recorded'
	},
	correctField: {
		label: 'Correct a detail',
		shown: { panel: 'record', form: 'correct' },
		changesValues: true,
		run: untrusted(correctField),
		describe: (input) => field(input, 'field'),
		outcome: () => 'corrected, with the old value kept in its history'
	},
	completeField: {
		label: 'Add a supplementary statement',
		shown: { panel: 'record', form: 'statement' },
		changesValues: true,
		run: untrusted(completeField),
		describe: (input) => field(input, 'field'),
		outcome: () => 'statement added'
	},
	contestField: {
		label: 'Flag a detail as disputed',
		shown: { panel: 'record', form: 'accuracy' },
		changesValues: true,
		run: untrusted(contestField),
		describe: (input) => field(input, 'field'),
		outcome: () => 'flagged as contested'
	},
	confirmAccuracy: {
		label: 'Confirm a disputed detail is accurate',
		shown: { panel: 'record', form: 'accuracy' },
		changesValues: true,
		run: untrusted(confirmAccuracy),
		describe: (input) => field(input, 'field'),
		outcome: () => 'accuracy confirmed'
	},
	restrictField: {
		label: 'Restrict processing of details',
		shown: { panel: 'record', form: 'restrict' },
		changesValues: true,
		run: untrusted(restrictField),
		describe: (input) => parts(fields(input, 'fields'), choice(input, 'ground')),
		outcome: (value) => labelled('restricted', fields(value, 'fields')) || 'restricted'
	},
	notifyRestrictionLift: {
		label: 'Tell the person a restriction will be lifted',
		shown: { panel: 'record', form: 'liftRestriction' },
		run: untrusted(notifyRestrictionLift),
		describe: (input) => fields(input, 'fields'),
		outcome: () => 'person told'
	},
	liftRestriction: {
		label: 'Lift a restriction',
		shown: { panel: 'record', form: 'liftRestriction' },
		changesValues: true,
		run: untrusted(liftRestriction),
		describe: (input) => fields(input, 'fields'),
		outcome: () => 'restriction lifted'
	},
	readBack: {
		label: 'Read recorded details back',
		shown: { panel: 'record', form: 'readBack' },
		run: async (ctx, input) => {
			const parsed = parseInput(readBackInput, input);
			if (!parsed.ok) return parsed;
			const { customerId, fields, verificationId, interactionId } = parsed.value;
			return await readBack(ctx, customerId, fields, { verificationId, interactionId });
		},
		describe: (input) => fields(input, 'fields'),
		outcome: () => 'read back'
	},
	endRelationship: {
		label: 'Close the account (end the relationship)',
		run: async (ctx, input) => {
			const parsed = parseInput(customerInput, input);
			return parsed.ok ? await endRelationship(ctx, parsed.value.customerId) : parsed;
		},
		describe: () => '',
		outcome: () => 'relationship ended: retention periods start'
	},
	applyLegalHold: {
		label: 'Apply a legal hold',
		shown: { panel: 'record', form: 'legalHold' },
		changesValues: true,
		run: untrusted(applyLegalHold),
		describe: (input) => parts(fields(input, 'fields') || list(input, 'categories') || 'all details', choice(input, 'reasonCode')),
		outcome: (value) => labelled('held', fields(value, 'fields')) || 'held'
	},
	releaseLegalHold: {
		label: 'Release a legal hold',
		shown: { panel: 'record', form: 'legalHold' },
		changesValues: true,
		run: untrusted(releaseLegalHold),
		describe: (input) => fields(input, 'fields') || list(input, 'categories') || 'all details',
		outcome: () => 'released'
	},
	runDisposal: {
		label: 'Run a retention disposal',
		shown: { panel: 'record', form: 'disposal' },
		run: untrusted(runDisposal),
		describe: (input) => labelled('as of', code(input, 'asOf')),
		outcome: () => 'disposal run recorded'
	},

	// Identity, authority and disclosure
	verifyIdentity: {
		label: 'Verify identity',
		shown: { panel: 'identity', form: 'verify' },
		run: untrusted(verifyIdentity),
		describe: (input) =>
			parts(choice(input, 'requesterType'), choice(input, 'method'), labelled('items given:', keys(input, 'supplied')), labelled('read out:', fields(input, 'readOut'))),
		outcome: (value) => choice(get(value, 'attempt'), 'outcome') || 'recorded'
	},
	checkAuthority: {
		label: "Check a third party's authority",
		shown: { panel: 'identity', form: 'checkAuthority' },
		run: untrusted(checkAuthority),
		describe: (input) => parts(choice(input, 'action'), labelled('of', list(input, 'categories'))),
		outcome: (value) => {
			if (get(value, 'authorised') === true) return 'the authority on file covers this';
			const gaps = get(value, 'gaps');
			return Array.isArray(gaps) && gaps.includes('not-on-file') ? 'no such authority on file' : `not covered (${list(value, 'gaps')})`;
		}
	},
	checkOpgRegister: {
		label: 'Check the OPG register',
		shown: { panel: 'identity', form: 'opgRegister' },
		run: untrusted(searchOpgRegister),
		// The reference and names are what was searched for: the summary says only which were given.
		describe: (input) => labelled('by', ['reference', 'donorName', 'attorneyName'].filter((k) => typeof get(input, k) === 'string' && get(input, k) !== '').map(fieldWords).join(', ')),
		outcome: (value) => {
			const entries = get(value, 'entries');
			if (!Array.isArray(entries) || entries.length === 0) return 'no LPA on the register matches';
			const listed = get(value, 'attorneyListed');
			const attorney = listed === true ? '; the caller is a listed attorney' : listed === false ? '; the caller is not among its attorneys' : '';
			const found = entries.map((e) => parts(choice(e, 'lpaType'), choice(e, 'status'), labelled('since', code(e, 'registeredOn')))).join('; ');
			return `${entries.length === 1 ? 'found' : `${entries.length} found`}: ${found}${attorney}`;
		}
	},
	authoriseThirdParty: {
		label: 'Record a third party’s authority',
		shown: { panel: 'identity', form: 'authorise' },
		run: untrusted(authoriseThirdParty),
		describe: (input) => parts(choice(input, 'relationship'), choice(input, 'authorityType'), choice(input, 'lpaType'), labelled('covering', list(input, 'scopeCategories'))),
		outcome: () => 'authority recorded'
	},
	revokeThirdPartyAuthority: {
		label: 'Revoke a third party’s authority',
		run: untrusted(revokeThirdPartyAuthority),
		describe: (input) => choice(input, 'reason'),
		outcome: () => 'authority revoked'
	},
	disclose: {
		label: 'Disclose data',
		shown: { panel: 'disclose', form: 'disclose' },
		run: untrusted(disclose),
		describe: (input, named) => {
			const recipient = get(input, 'recipient');
			const team = code(recipient, 'directoryCode');
			return parts(
				fields(input, 'fields'),
				labelled('to', team === '' ? choice(recipient, 'type') : (named.recipients.get(team) ?? term(team))),
				labelled('for', purpose(input, 'purposeCode', named)),
				choice(input, 'basisOrExemption'),
				by(input)
			);
		},
		outcome: (value) => {
			const problems = get(value, 'problems');
			if (!Array.isArray(problems) || problems.length === 0) return 'disclosure logged as authorised';
			// Said at once, beside the form: what went wrong and the rule it breaks (UK GDPR Art 4(12)).
			return `logged as UNAUTHORISED: ${problemWords(problems as DisclosureProblem[])}. It is a personal data breach, now in the breach register`;
		}
	},
	logInteraction: {
		label: 'Log the contact',
		shown: { panel: 'contact', form: 'interaction' },
		run: untrusted(logInteraction),
		describe: (input) => parts(choice(input, 'direction'), choice(input, 'channel'), choice(input, 'partyType')),
		outcome: () => 'logged'
	},

	// Consent and objection
	giveConsent: {
		label: 'Record consent',
		shown: { panel: 'consent', form: 'consent' },
		run: untrusted(giveConsent),
		describe: (input, named) => parts(purpose(input, 'purposeCode', named), by(input), choice(input, 'method')),
		outcome: () => 'consent recorded'
	},
	withdrawConsent: {
		label: 'Withdraw consent',
		shown: { panel: 'consent', form: 'withdrawConsent' },
		run: untrusted(withdrawConsent),
		describe: (input, named) => parts(purpose(input, 'purposeCode', named), by(input)),
		outcome: () => 'consent withdrawn'
	},
	withdrawExplicitConsent: {
		label: 'Withdraw explicit consent for sensitive details',
		shown: { panel: 'consent', form: 'withdrawExplicitConsent' },
		run: untrusted(withdrawExplicitConsent),
		describe: (input) => fields(input, 'fields') || 'every detail held on explicit consent',
		outcome: (value) => {
			const kept = get(value, 'keptFields');
			const keptNames = Array.isArray(kept) ? kept.map((k) => field(k, 'field')).filter(Boolean).join(', ') : '';
			return parts(labelled('erased', fields(value, 'erasedFields')), labelled('kept under another condition', keptNames), labelled('kept under legal hold', fields(value, 'heldFields'))) || 'withdrawn';
		}
	},
	recordMarketingObjection: {
		label: 'Record an objection to marketing',
		shown: { panel: 'consent', form: 'objection' },
		run: untrusted(recordMarketingObjection),
		describe: (input) => by(input),
		outcome: () => 'objection recorded: marketing stops'
	},

	// Rights requests
	logRequest: {
		label: 'Log a rights request',
		shown: { panel: 'requests', form: 'logRequest' },
		run: untrusted(logRequest),
		describe: (input) => parts(choice(input, 'kind'), get(input, 'verbal') === true ? 'verbal' : get(input, 'verbal') === false ? 'written' : '', by(input)),
		outcome: requestState
	},
	matchRequest: {
		label: 'Match a request to a customer',
		shown: { panel: 'requests', form: 'req-match' },
		run: untrusted(matchRequest),
		describe: () => '',
		outcome: () => 'matched'
	},
	beginRequest: {
		label: 'Start work on a request',
		shown: { panel: 'requests', form: 'req-begin' },
		run: untrusted(beginRequest),
		describe: () => '',
		outcome: requestState
	},
	askForId: {
		label: 'Ask for ID',
		shown: { panel: 'requests', form: 'req-askId' },
		run: untrusted(askForId),
		describe: () => '',
		outcome: requestState
	},
	receiveId: {
		label: 'Record ID received',
		shown: { panel: 'requests', form: 'req-receiveId' },
		run: untrusted(receiveId),
		describe: () => '',
		outcome: requestState
	},
	askForClarification: {
		label: 'Ask for clarification',
		shown: { panel: 'requests', form: 'req-askClarification' },
		run: untrusted(askForClarification),
		describe: () => '',
		outcome: requestState
	},
	receiveClarification: {
		label: 'Record clarification received',
		shown: { panel: 'requests', form: 'req-receiveClarification' },
		run: untrusted(receiveClarification),
		describe: () => '',
		outcome: requestState
	},
	requestFee: {
		label: 'Ask for a fee',
		run: untrusted(requestFee),
		describe: (input) => choice(input, 'grounds'),
		outcome: requestState
	},
	receiveFee: {
		label: 'Record the fee received',
		run: untrusted(receiveFee),
		describe: () => '',
		outcome: requestState
	},
	extendRequest: {
		label: 'Extend the deadline',
		shown: { panel: 'requests', form: 'req-extend' },
		run: untrusted(extendRequest),
		describe: (input) => choice(input, 'reason'),
		outcome: requestState
	},
	refuseRequest: {
		label: 'Refuse a request',
		shown: { panel: 'requests', form: 'req-refuse' },
		run: untrusted(refuseRequest),
		describe: (input) => choice(input, 'grounds'),
		outcome: requestState
	},
	withdrawRequest: {
		label: 'Record a request withdrawn',
		shown: { panel: 'requests', form: 'req-withdraw' },
		run: untrusted(withdrawRequest),
		describe: () => '',
		outcome: requestState
	},
	collateRequestData: {
		label: 'Gather everything held on the person',
		shown: { panel: 'requests', form: 'req-collate' },
		run: untrusted(collateRequestData),
		describe: () => '',
		outcome: (value) => `${count(value, 'values') ?? 0} values, ${count(value, 'interactions') ?? 0} interactions, ${count(value, 'disclosures') ?? 0} disclosures gathered`
	},
	decideRedaction: {
		label: 'Decide about another person’s information',
		shown: { panel: 'requests', form: 'req-redaction' },
		run: untrusted(decideRedaction),
		describe: (input) => parts(choice(input, 'decision'), labelled('about', [choice(input, 'sourceTable'), field(input, 'sourceField')].filter(Boolean).join(': '))),
		outcome: () => 'decision recorded'
	},
	assembleResponse: {
		label: 'Assemble the response',
		shown: { panel: 'requests', form: 'req-assemble' },
		run: untrusted(assembleResponse),
		describe: (input) => (get(input, 'items') === undefined ? 'every Art 15 item' : labelled('items:', list(input, 'items'))),
		outcome: requestState
	},
	completeRequest: {
		label: 'Send the response and close the request',
		shown: { panel: 'requests', form: 'req-complete' },
		run: untrusted(completeRequest),
		describe: (input) => by(input),
		outcome: requestState
	},
	fulfilRectification: {
		label: 'Carry out a rectification',
		shown: { panel: 'requests', form: 'req-rectify' },
		changesValues: true,
		run: untrusted(fulfilRectification),
		describe: (input) => {
			const named = (changes: unknown) => (Array.isArray(changes) ? changes.map((c) => field(c, 'field')).filter(Boolean) : []);
			return [...named(get(input, 'corrections')), ...named(get(input, 'statements'))].join(', ');
		},
		outcome: requestState
	},
	fulfilRestriction: {
		label: 'Carry out a restriction',
		shown: { panel: 'requests', form: 'req-restrict' },
		changesValues: true,
		run: untrusted(fulfilRestriction),
		describe: (input) => parts(fields(input, 'fields'), choice(input, 'ground')),
		outcome: requestState
	},
	fulfilErasure: {
		label: 'Carry out an erasure',
		shown: { panel: 'requests', form: 'req-erase' },
		changesValues: true,
		run: untrusted(fulfilErasure),
		describe: (input) => choice(input, 'ground'),
		outcome: requestState
	},
	fulfilObjection: {
		label: 'Act on an objection',
		shown: { panel: 'requests', form: 'req-objection' },
		run: untrusted(fulfilObjection),
		describe: (input, named) => (get(input, 'directMarketing') !== undefined ? 'direct marketing' : purpose(get(input, 'processing'), 'purposeCode', named)),
		outcome: requestState
	},
	notifyRecipients: {
		label: 'Tell the recipients (Art 19)',
		shown: { panel: 'requests', form: 'req-notify' },
		run: untrusted(notifyRecipients),
		describe: (input) => by(input),
		outcome: (value) => `${Array.isArray(value) ? value.length : 0} recipients`
	},

	// Breaches
	registerBreach: {
		label: 'Register a breach',
		shown: { panel: 'breaches', form: 'breach' },
		run: untrusted(registerBreach),
		describe: (input) => parts(list(input, 'dataCategories'), typeof get(input, 'approxSubjects') === 'number' ? `about ${String(get(input, 'approxSubjects'))} people` : ''),
		outcome: (value) => labelled('report to the ICO due by', code(value, 'reportDueAt')) || 'registered'
	},
	containBreach: {
		label: 'Record containment measures',
		shown: { panel: 'breaches', form: 'br-contain' },
		run: untrusted(containBreach),
		describe: () => '',
		outcome: breachState
	},
	assessBreachRisk: {
		label: 'Assess the risk of a breach',
		shown: { panel: 'breaches', form: 'br-assess' },
		run: untrusted(assessBreachRisk),
		describe: (input) => choice(input, 'risk'),
		outcome: breachState
	},
	recordIcoNotification: {
		label: 'Record the report to the ICO',
		shown: { panel: 'breaches', form: 'br-ico' },
		run: untrusted(recordIcoNotification),
		describe: () => '',
		outcome: breachState
	},
	recordIcoNotNotified: {
		label: 'Record the decision not to report',
		shown: { panel: 'breaches', form: 'br-noIco' },
		run: untrusted(recordIcoNotNotified),
		describe: () => '',
		outcome: breachState
	},
	recordSubjectsTold: {
		label: 'Record the people affected told',
		shown: { panel: 'breaches', form: 'br-told' },
		run: untrusted(recordSubjectsTold),
		describe: (input) => (typeof get(input, 'count') === 'number' ? `${String(get(input, 'count'))} people` : ''),
		outcome: breachState
	},
	recordSubjectsNotTold: {
		label: 'Record the decision not to tell the people affected',
		shown: { panel: 'breaches', form: 'br-notTold' },
		run: untrusted(recordSubjectsNotTold),
		describe: (input) => choice(input, 'reason'),
		outcome: breachState
	},
	closeBreach: {
		label: 'Close the breach',
		shown: { panel: 'breaches', form: 'br-close' },
		run: untrusted(closeBreach),
		describe: () => '',
		outcome: breachState
	}
} satisfies Record<string, CoreOperation>;

export type CoreOperationName = keyof typeof CORE_OPERATIONS;

export function isCoreOperation(name: unknown): name is CoreOperationName {
	return typeof name === 'string' && Object.hasOwn(CORE_OPERATIONS, name);
}

/** An entry of the registry, with its name. */
export type DeskOperation = CoreOperation & { name: CoreOperationName };

const ENTRIES: ReadonlyMap<string, DeskOperation> = new Map(
	Object.entries(CORE_OPERATIONS).map(([name, op]: [string, CoreOperation]) => [name, { ...op, name: name as CoreOperationName }])
);

/** The registry's entry for a name, or undefined: a name from outside is checked here and only here. */
export function deskOperation(name: unknown): DeskOperation | undefined {
	return typeof name === 'string' ? ENTRIES.get(name) : undefined;
}

/** What the screen says of a form it did not draw: an unknown form, or a button the form does not have. */
export const UNKNOWN_FORM = 'The record system does not know this form. Reload the page and try again.';

/**
 * The operation a posted form asks for, and the form to read it with: the operation must be in the
 * registry and drawn by that form ("view:<customerId>" is the view form drawn for one customer).
 * The entry found here is the one the action is read, run and worded with.
 */
export function postedOperation(formId: string, operation: string): Result<{ operation: DeskOperation; form: FormSpec }> {
	const entry = deskOperation(operation);
	const id = parseFormId(formId);
	if (!entry || !id || entry.shown?.form !== id.key) return { ok: false, error: { code: 'desk.unknown-form', message: UNKNOWN_FORM } };
	// registry.test: every entry's form has a button that submits it.
	return { ok: true, value: { operation: entry, form: postedForms(id.instance)[id.key] } };
}

/**
 * The forms a post is read against, drawn with nothing known: the same for every post of an
 * instance, so drawn once (deskForms is pure) rather than on every action. The instance comes from
 * the post, so the cache is kept small.
 */
const drawnForms = new Map<string, ReturnType<typeof deskForms>>();
function postedForms(instance: string): ReturnType<typeof deskForms> {
	let forms = drawnForms.get(instance);
	if (forms === undefined) {
		if (drawnForms.size >= 64) drawnForms.clear();
		forms = deskForms(undefined, instance);
		drawnForms.set(instance, forms);
	}
	return forms;
}

/**
 * Runs an operation on untrusted input: an exception (a shape the core did not expect) becomes a typed
 * error. A database conflict (PostgreSQL's serialization failure) is not the learner's doing: it goes
 * up, and the action's transaction runs again.
 */
export async function runOperation(name: CoreOperationName, ctx: CoreContext, input: unknown): Promise<Result<unknown>> {
	try {
		return await CORE_OPERATIONS[name].run(ctx, input);
	} catch (error) {
		if (isTransactionConflict(error)) throw error;
		return {
			ok: false,
			error: { code: 'operation.failed', message: `The system could not carry out “${CORE_OPERATIONS[name].label}” with this input: ${error instanceof Error ? error.message : String(error)}` }
		};
	}
}

/** The transcript's words for an action: what was done, and how it came out. */
export function describeAction(name: CoreOperationName, input: unknown, result: Result<unknown>, named: ActionNames = NO_NAMES): string {
	const op: CoreOperation = CORE_OPERATIONS[name];
	let summary = '';
	try {
		summary = op.describe(input, named);
	} catch {
		summary = '';
	}
	const head = summary === '' ? op.label : `${op.label} (${summary})`;
	if (!result.ok) return `${head}: refused. ${result.error.message}`;
	let outcome = 'done';
	try {
		outcome = op.outcome(result.value);
	} catch {
		outcome = 'done';
	}
	return `${head}: ${outcome}.`;
}

