/**
 * The record system as the learner works in it: every core operation a learner may perform, by
 * name, with a label for the page, a short non-personal summary of the input for the transcript
 * (field names, codes, counts; never values) and the outcome in plain words.
 *
 * Input comes from the learner's page and is untrusted: each operation checks its own input (the
 * core parses every input object with its schema; the few positional ones are parsed here), so a
 * bad shape becomes the core's typed "invalid" error, never an exception.
 */
import { z } from 'zod';
import {
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
} from '../core';
import { problemWords } from './reaction';

export interface CoreOperation {
	/** What the page calls it, e.g. "Check a third party's authority". */
	label: string;
	run(ctx: CoreContext, input: unknown): Result<unknown>;
	/** A short summary of the input for the transcript: names and codes, never personal values. */
	describe(input: unknown): string;
	/** The successful outcome in plain words. */
	outcome(value: unknown): string;
}

// ── Reading untrusted input for summaries ────────────────────────────────────────────────────

/**
 * An operation whose input object the core parses itself: the learner's input goes in as it came,
 * and the core's schema turns a bad shape into its typed "invalid" error.
 */
function untrusted<I, T>(operation: (ctx: CoreContext, input: I) => Result<T>): (ctx: CoreContext, input: unknown) => Result<T> {
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

/** A list of codes (fields, categories), joined. */
function names(input: unknown, key: string): string {
	const value = get(input, key);
	return Array.isArray(value) ? value.filter(isCode).join(', ') : '';
}

/** The keys of an object (the fields offered, the items supplied): names, not values. */
function keys(input: unknown, key: string): string {
	const value = get(input, key);
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).filter(isCode).join(', ') : '';
}

const parts = (...items: (string | false | undefined)[]) => items.filter((i): i is string => typeof i === 'string' && i !== '').join('; ');
const labelled = (label: string, value: string) => (value === '' ? '' : `${label} ${value}`);

function count(value: unknown, key: string): number | undefined {
	const v = get(value, key);
	return typeof v === 'number' ? v : Array.isArray(v) ? v.length : undefined;
}

/** A request after a transition: its state and due date. */
function requestState(value: unknown): string {
	const state = code(value, 'state');
	const due = code(value, 'dueDate');
	return parts(state && `now ${state}`, due && `response due ${due}`) || 'done';
}

/** A breach after an update: its risk and whether it is still open. */
function breachState(value: unknown): string {
	const risk = code(value, 'risk');
	return parts(risk && risk !== 'unassessed' && `risk ${risk}`, get(value, 'closedAt') ? 'closed' : 'open');
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
		run: untrusted(searchCustomers),
		describe: (input) =>
			parts(labelled('by', ['name', 'postcode', 'dateOfBirth', 'reference', 'email', 'phone'].filter((k) => get(input, k) !== undefined).join(', ')), labelled('for', code(input, 'purposeCode'))),
		outcome: (value) => `${count(value, 'total') ?? 0} found`
	},
	viewCustomer: {
		label: 'Open a customer record',
		run: (ctx, input) => {
			const parsed = parseInput(viewInput, input);
			return parsed.ok ? getCustomer(ctx, parsed.value.customerId, { purposeCode: parsed.value.purposeCode }) : parsed;
		},
		describe: (input) => labelled('for', code(input, 'purposeCode')),
		outcome: (value) => `${count(value, 'fields') ?? 0} fields shown`
	},
	recordCustomer: {
		label: 'Record a new customer',
		run: untrusted(recordCustomer),
		describe: (input) => parts(keys(input, 'fields'), labelled('for', names(input, 'purposeCodes'))),
		outcome: (value) => labelled('recorded as', code(value, 'reference')) || 'recorded'
	},
	addCustomerFields: {
		label: 'Add details to a customer record',
		run: untrusted(addCustomerFields),
		describe: (input) => parts(keys(input, 'fields'), labelled('for', names(input, 'purposeCodes'))),
		outcome: (value) => labelled('recorded', names(value, 'recordedFields')) || 'recorded'
	},
	correctField: {
		label: 'Correct a detail',
		run: untrusted(correctField),
		describe: (input) => code(input, 'field'),
		outcome: () => 'corrected, with the old value kept in its history'
	},
	completeField: {
		label: 'Add a supplementary statement',
		run: untrusted(completeField),
		describe: (input) => code(input, 'field'),
		outcome: () => 'statement added'
	},
	contestField: {
		label: 'Flag a detail as disputed',
		run: untrusted(contestField),
		describe: (input) => code(input, 'field'),
		outcome: () => 'flagged as contested'
	},
	confirmAccuracy: {
		label: 'Confirm a disputed detail is accurate',
		run: untrusted(confirmAccuracy),
		describe: (input) => code(input, 'field'),
		outcome: () => 'accuracy confirmed'
	},
	restrictField: {
		label: 'Restrict processing of details',
		run: untrusted(restrictField),
		describe: (input) => parts(names(input, 'fields'), code(input, 'ground')),
		outcome: (value) => labelled('restricted', names(value, 'fields')) || 'restricted'
	},
	notifyRestrictionLift: {
		label: 'Tell the person a restriction will be lifted',
		run: untrusted(notifyRestrictionLift),
		describe: (input) => names(input, 'fields'),
		outcome: () => 'person told'
	},
	liftRestriction: {
		label: 'Lift a restriction',
		run: untrusted(liftRestriction),
		describe: (input) => names(input, 'fields'),
		outcome: () => 'restriction lifted'
	},
	readBack: {
		label: 'Read recorded details back',
		run: (ctx, input) => {
			const parsed = parseInput(readBackInput, input);
			if (!parsed.ok) return parsed;
			const { customerId, fields, verificationId, interactionId } = parsed.value;
			return readBack(ctx, customerId, fields, { verificationId, interactionId });
		},
		describe: (input) => names(input, 'fields'),
		outcome: () => 'read back'
	},
	endRelationship: {
		label: 'Close the account (end the relationship)',
		run: (ctx, input) => {
			const parsed = parseInput(customerInput, input);
			return parsed.ok ? endRelationship(ctx, parsed.value.customerId) : parsed;
		},
		describe: () => '',
		outcome: () => 'relationship ended: retention periods start'
	},
	applyLegalHold: {
		label: 'Apply a legal hold',
		run: untrusted(applyLegalHold),
		describe: (input) => parts(names(input, 'fields') || names(input, 'categories') || 'all details', code(input, 'reasonCode')),
		outcome: (value) => labelled('held', names(value, 'fields')) || 'held'
	},
	releaseLegalHold: {
		label: 'Release a legal hold',
		run: untrusted(releaseLegalHold),
		describe: (input) => names(input, 'fields') || names(input, 'categories') || 'all details',
		outcome: () => 'released'
	},
	runDisposal: {
		label: 'Run a retention disposal',
		run: untrusted(runDisposal),
		describe: (input) => labelled('as of', code(input, 'asOf')),
		outcome: () => 'disposal run recorded'
	},

	// Identity, authority and disclosure
	verifyIdentity: {
		label: 'Verify identity',
		run: untrusted(verifyIdentity),
		describe: (input) =>
			parts(code(input, 'requesterType'), code(input, 'method'), labelled('items given:', keys(input, 'supplied')), labelled('read out:', names(input, 'readOut'))),
		outcome: (value) => code(get(value, 'attempt'), 'outcome') || 'recorded'
	},
	checkAuthority: {
		label: "Check a third party's authority",
		run: untrusted(checkAuthority),
		describe: (input) => parts(code(input, 'action'), labelled('of', names(input, 'categories'))),
		outcome: (value) => {
			if (get(value, 'authorised') === true) return 'the authority on file covers this';
			const gaps = names(value, 'gaps');
			return gaps.includes('not-on-file') ? 'no such authority on file' : `not covered (${gaps})`;
		}
	},
	checkOpgRegister: {
		label: 'Check the OPG register',
		run: untrusted(searchOpgRegister),
		// The reference and names are what was searched for: the summary says only which were given.
		describe: (input) => labelled('by', ['reference', 'donorName', 'attorneyName'].filter((k) => typeof get(input, k) === 'string' && get(input, k) !== '').join(', ')),
		outcome: (value) => {
			const entries = get(value, 'entries');
			if (!Array.isArray(entries) || entries.length === 0) return 'no LPA on the register matches';
			const listed = get(value, 'attorneyListed');
			const attorney = listed === true ? '; the caller is a listed attorney' : listed === false ? '; the caller is not among its attorneys' : '';
			const found = entries.map((e) => parts(code(e, 'lpaType'), code(e, 'status'), labelled('since', code(e, 'registeredOn')))).join('; ');
			return `${entries.length === 1 ? 'found' : `${entries.length} found`}: ${found}${attorney}`;
		}
	},
	authoriseThirdParty: {
		label: 'Record a third party’s authority',
		run: untrusted(authoriseThirdParty),
		describe: (input) => parts(code(input, 'relationship'), code(input, 'authorityType'), code(input, 'lpaType'), labelled('covering', names(input, 'scopeCategories'))),
		outcome: () => 'authority recorded'
	},
	revokeThirdPartyAuthority: {
		label: 'Revoke a third party’s authority',
		run: untrusted(revokeThirdPartyAuthority),
		describe: (input) => code(input, 'reason'),
		outcome: () => 'authority revoked'
	},
	disclose: {
		label: 'Disclose data',
		run: untrusted(disclose),
		describe: (input) =>
			parts(
				names(input, 'fields'),
				labelled('to', code(get(input, 'recipient'), 'directoryCode') || code(get(input, 'recipient'), 'type')),
				labelled('for', code(input, 'purposeCode')),
				code(input, 'basisOrExemption'),
				labelled('by', code(input, 'channel'))
			),
		outcome: (value) => {
			const problems = get(value, 'problems');
			if (!Array.isArray(problems) || problems.length === 0) return 'disclosure logged as authorised';
			// Said at once, beside the form: what went wrong and the rule it breaks (UK GDPR Art 4(12)).
			return `logged as UNAUTHORISED: ${problemWords(problems as DisclosureProblem[])}. It is a personal data breach, now in the breach register`;
		}
	},
	logInteraction: {
		label: 'Log the contact',
		run: untrusted(logInteraction),
		describe: (input) => parts(code(input, 'direction'), code(input, 'channel'), code(input, 'partyType')),
		outcome: () => 'logged'
	},

	// Consent and objection
	giveConsent: {
		label: 'Record consent',
		run: untrusted(giveConsent),
		describe: (input) => parts(code(input, 'purposeCode'), labelled('by', code(input, 'channel')), code(input, 'method')),
		outcome: () => 'consent recorded'
	},
	withdrawConsent: {
		label: 'Withdraw consent',
		run: untrusted(withdrawConsent),
		describe: (input) => parts(code(input, 'purposeCode'), labelled('by', code(input, 'channel'))),
		outcome: () => 'consent withdrawn'
	},
	withdrawExplicitConsent: {
		label: 'Withdraw explicit consent for sensitive details',
		run: untrusted(withdrawExplicitConsent),
		describe: (input) => names(input, 'fields') || 'every detail held on explicit consent',
		outcome: (value) => {
			const kept = get(value, 'keptFields');
			const keptNames = Array.isArray(kept) ? kept.map((k) => code(k, 'field')).filter(Boolean).join(', ') : '';
			return parts(labelled('erased', names(value, 'erasedFields')), labelled('kept under another condition', keptNames), labelled('kept under legal hold', names(value, 'heldFields'))) || 'withdrawn';
		}
	},
	recordMarketingObjection: {
		label: 'Record an objection to marketing',
		run: untrusted(recordMarketingObjection),
		describe: (input) => labelled('by', code(input, 'channel')),
		outcome: () => 'objection recorded: marketing stops'
	},

	// Rights requests
	logRequest: {
		label: 'Log a rights request',
		run: untrusted(logRequest),
		describe: (input) => parts(code(input, 'kind'), get(input, 'verbal') === true ? 'verbal' : get(input, 'verbal') === false ? 'written' : '', labelled('by', code(input, 'channel'))),
		outcome: requestState
	},
	matchRequest: {
		label: 'Match a request to a customer',
		run: untrusted(matchRequest),
		describe: () => '',
		outcome: () => 'matched'
	},
	beginRequest: {
		label: 'Start work on a request',
		run: untrusted(beginRequest),
		describe: () => '',
		outcome: requestState
	},
	askForId: {
		label: 'Ask for ID',
		run: untrusted(askForId),
		describe: () => '',
		outcome: requestState
	},
	receiveId: {
		label: 'Record ID received',
		run: untrusted(receiveId),
		describe: () => '',
		outcome: requestState
	},
	askForClarification: {
		label: 'Ask for clarification',
		run: untrusted(askForClarification),
		describe: () => '',
		outcome: requestState
	},
	receiveClarification: {
		label: 'Record clarification received',
		run: untrusted(receiveClarification),
		describe: () => '',
		outcome: requestState
	},
	requestFee: {
		label: 'Ask for a fee',
		run: untrusted(requestFee),
		describe: (input) => code(input, 'grounds'),
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
		run: untrusted(extendRequest),
		describe: (input) => code(input, 'reason'),
		outcome: requestState
	},
	refuseRequest: {
		label: 'Refuse a request',
		run: untrusted(refuseRequest),
		describe: (input) => code(input, 'grounds'),
		outcome: requestState
	},
	withdrawRequest: {
		label: 'Record a request withdrawn',
		run: untrusted(withdrawRequest),
		describe: () => '',
		outcome: requestState
	},
	collateRequestData: {
		label: 'Gather everything held on the person',
		run: untrusted(collateRequestData),
		describe: () => '',
		outcome: (value) => `${count(value, 'values') ?? 0} values, ${count(value, 'interactions') ?? 0} interactions, ${count(value, 'disclosures') ?? 0} disclosures gathered`
	},
	decideRedaction: {
		label: 'Decide about another person’s information',
		run: untrusted(decideRedaction),
		describe: (input) => parts(code(input, 'decision'), [code(input, 'sourceTable'), code(input, 'sourceField')].filter(Boolean).join('.')),
		outcome: () => 'decision recorded'
	},
	assembleResponse: {
		label: 'Assemble the response',
		run: untrusted(assembleResponse),
		describe: (input) => (get(input, 'items') === undefined ? 'every Art 15 item' : labelled('items:', names(input, 'items'))),
		outcome: requestState
	},
	completeRequest: {
		label: 'Send the response and close the request',
		run: untrusted(completeRequest),
		describe: (input) => labelled('by', code(input, 'channel')),
		outcome: requestState
	},
	fulfilRectification: {
		label: 'Carry out a rectification',
		run: untrusted(fulfilRectification),
		describe: (input) => {
			const fields = (list: unknown) => (Array.isArray(list) ? list.map((c) => code(c, 'field')).filter(Boolean) : []);
			return [...fields(get(input, 'corrections')), ...fields(get(input, 'statements'))].join(', ');
		},
		outcome: requestState
	},
	fulfilRestriction: {
		label: 'Carry out a restriction',
		run: untrusted(fulfilRestriction),
		describe: (input) => parts(names(input, 'fields'), code(input, 'ground')),
		outcome: requestState
	},
	fulfilErasure: {
		label: 'Carry out an erasure',
		run: untrusted(fulfilErasure),
		describe: (input) => code(input, 'ground'),
		outcome: requestState
	},
	fulfilObjection: {
		label: 'Act on an objection',
		run: untrusted(fulfilObjection),
		describe: (input) => (get(input, 'directMarketing') !== undefined ? 'direct marketing' : code(get(input, 'processing'), 'purposeCode')),
		outcome: requestState
	},
	notifyRecipients: {
		label: 'Tell the recipients (Art 19)',
		run: untrusted(notifyRecipients),
		describe: (input) => labelled('by', code(input, 'channel')),
		outcome: (value) => `${Array.isArray(value) ? value.length : 0} recipients`
	},

	// Breaches
	registerBreach: {
		label: 'Register a breach',
		run: untrusted(registerBreach),
		describe: (input) => parts(names(input, 'dataCategories'), typeof get(input, 'approxSubjects') === 'number' ? `about ${String(get(input, 'approxSubjects'))} people` : ''),
		outcome: (value) => labelled('report to the ICO due by', code(value, 'reportDueAt')) || 'registered'
	},
	containBreach: {
		label: 'Record containment measures',
		run: untrusted(containBreach),
		describe: () => '',
		outcome: breachState
	},
	assessBreachRisk: {
		label: 'Assess the risk of a breach',
		run: untrusted(assessBreachRisk),
		describe: (input) => code(input, 'risk'),
		outcome: breachState
	},
	recordIcoNotification: {
		label: 'Record the report to the ICO',
		run: untrusted(recordIcoNotification),
		describe: () => '',
		outcome: breachState
	},
	recordIcoNotNotified: {
		label: 'Record the decision not to report',
		run: untrusted(recordIcoNotNotified),
		describe: () => '',
		outcome: breachState
	},
	recordSubjectsTold: {
		label: 'Record the people affected told',
		run: untrusted(recordSubjectsTold),
		describe: (input) => (typeof get(input, 'count') === 'number' ? `${String(get(input, 'count'))} people` : ''),
		outcome: breachState
	},
	recordSubjectsNotTold: {
		label: 'Record the decision not to tell the people affected',
		run: untrusted(recordSubjectsNotTold),
		describe: (input) => code(input, 'reason'),
		outcome: breachState
	},
	closeBreach: {
		label: 'Close the breach',
		run: untrusted(closeBreach),
		describe: () => '',
		outcome: breachState
	}
} satisfies Record<string, CoreOperation>;

export type CoreOperationName = keyof typeof CORE_OPERATIONS;

export function isCoreOperation(name: unknown): name is CoreOperationName {
	return typeof name === 'string' && Object.hasOwn(CORE_OPERATIONS, name);
}

/** Runs an operation on untrusted input: an exception (a shape the core did not expect) becomes a typed error. */
export function runOperation(name: CoreOperationName, ctx: CoreContext, input: unknown): Result<unknown> {
	try {
		return CORE_OPERATIONS[name].run(ctx, input);
	} catch (error) {
		return {
			ok: false,
			error: { code: 'operation.failed', message: `The system could not carry out “${CORE_OPERATIONS[name].label}” with this input: ${error instanceof Error ? error.message : String(error)}` }
		};
	}
}

/** The transcript's words for an action: what was done, and how it came out. */
export function describeAction(name: CoreOperationName, input: unknown, result: Result<unknown>): string {
	const op: CoreOperation = CORE_OPERATIONS[name];
	let summary = '';
	try {
		summary = op.describe(input);
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

