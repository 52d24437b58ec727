/**
 * The attempt's event log: what marking rules and dialogue conditions are evaluated over.
 *
 * Two sources share one log, in one order:
 * - "core": the workspace's audit entries (AUDIT_ACTIONS), written by the core as the learner
 *   works in the record system;
 * - "dialogue": the events a scenario declares (e.g. "asked.caller.for.dob"), emitted when the
 *   learner picks a choice that names one, and the built-in "dialogue.ended".
 */
import { AUDIT_ACTIONS, isAuditAction } from '../core/audit-actions';

export type EventSource = 'core' | 'dialogue';

export interface SimEvent {
	/** Unique in the attempt: the audit entry's id for core events. */
	id: string;
	/** Position in the attempt's one log, core and dialogue events together; unique and increasing. */
	seq: number;
	/** When it happened on the scenario clock (ISO 8601). */
	at: string;
	source: EventSource;
	/** An AUDIT_ACTIONS name, a name the scenario declares, or a built-in dialogue event. */
	name: string;
	/** The record concerned (for core events about a customer, the customer id). */
	subject?: string;
	/** Field names (never values) the event concerns. */
	fields?: readonly string[];
	/** Non-personal facts: codes, outcomes, counts, related ids. */
	details?: Readonly<Record<string, unknown>>;
}

/** Dialogue events every scenario has without declaring them, with the details keys they carry. */
export const BUILT_IN_DIALOGUE_EVENTS = {
	/** The dialogue reached a terminal node (details: node). The learner may go on working in the system. */
	'dialogue.ended': ['node'],
	/** A choice set a scenario variable (details: node, choice, name, value). Branches and marking read variables from these. */
	'variable.set': ['node', 'choice', 'name', 'value'],
	/** The learner picked a choice the scenario tags with a quality (details: node, choice, quality, credit, point). */
	'choice.made': ['node', 'choice', 'quality', 'credit', 'point'],
	/**
	 * The learner gave data away by speaking, in a choice whose disclosure they must log themselves
	 * (details: node, choice, customer, fields: the seeded customer's key and the field names).
	 */
	'disclosure.spoken': ['node', 'choice', 'customer', 'fields']
} as const satisfies Record<string, readonly string[]>;

/** Details keys of a dialogue event emitted by a choice: the node and the choice picked. */
const CHOICE_EVENT_DETAILS = ['node', 'choice'] as const;

export function isBuiltInDialogueEvent(name: string): name is keyof typeof BUILT_IN_DIALOGUE_EVENTS {
	return Object.hasOwn(BUILT_IN_DIALOGUE_EVENTS, name);
}

/**
 * Audit details that name related records (audit-actions.ts, subject convention): any core event
 * about a customer may carry them, listed in its description or not.
 */
const RELATED_ID_KEYS = [
	'requestId',
	'disclosureId',
	'consentId',
	'breachId',
	'verificationId',
	'interactionId',
	'thirdPartyId',
	'findingId'
];

/** A rights request's state change carries details.fromState/toState/dueDate (audit-actions.ts). */
const REQUEST_STATE_KEYS = ['fromState', 'toState', 'dueDate'];

/** Events whose details include the details of the policy violation they record: any key. */
const OPEN_DETAILS: ReadonlySet<string> = new Set(['finding.recorded', 'policy.refused']);

const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;

/**
 * The details keys a core event is documented to carry, read from its AUDIT_ACTIONS description
 * ("... (details: method, requesterType, verificationId; fields: ...)"), plus the related-id keys.
 * Returns null when the list is open: no details list, or one that describes keys in words
 * ("counts by category", "reason code") rather than naming them.
 */
function documentedDetailsKeys(action: string, description: string): readonly string[] | null {
	if (OPEN_DETAILS.has(action)) return null;
	const list = /details: ([^);]*)/.exec(description)?.[1];
	if (list === undefined) return null;
	const items = list.split(',').map((item) => item.trim());
	if (!items.every((item) => IDENTIFIER.test(item))) return null;
	return [...new Set([...items, ...RELATED_ID_KEYS, ...(action.startsWith('request.') ? REQUEST_STATE_KEYS : [])])];
}

const CORE_DETAILS_KEYS: ReadonlyMap<string, readonly string[] | null> = new Map(
	AUDIT_ACTIONS.map((entry) => [entry.action, documentedDetailsKeys(entry.action, entry.description)])
);

/**
 * The details keys an event is known to carry, or null when any key may appear. Used to catch a
 * `where` on a key the event never has (e.g. "authorized" for "authorised"), which would make a
 * rule silently never match.
 */
export function knownDetailsKeys(name: string): readonly string[] | null {
	if (isBuiltInDialogueEvent(name)) return BUILT_IN_DIALOGUE_EVENTS[name];
	if (isAuditAction(name)) return CORE_DETAILS_KEYS.get(name) ?? null;
	return CHOICE_EVENT_DETAILS;
}
