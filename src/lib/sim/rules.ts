/**
 * The marking rule language, evaluated over an attempt's event log (events.ts). Rules are data in
 * scenario files (scenario-schema.ts); this module gives them meaning.
 *
 * The log is taken in `seq` order (the order given does not matter). A matcher
 * `{ event, where?, fields?, subject? }` matches an event when all of these hold:
 * - its name is `event`;
 * - for each `where` key: the event's details value at that key is strictly equal to the given
 *   value; or, for `{ in: [...] }`, equal to one of them; or, for `{ contains: v }`, a list that
 *   includes v. A key the event does not carry matches nothing (not even `null`);
 * - `fields.any`: the event's field names include at least one of these; `fields.all`: all of them;
 * - `subject`: the event's subject is the record seeded under that key (or the key itself).
 *
 * Each rule gives `met` and `evidence`: the ids of the events that prove the outcome, in log
 * order, which is what the debrief shows:
 * - exists m: met iff some event matches. Evidence: every matching event.
 * - absent m: met iff no event matches. Evidence: none when met; the offending events when not.
 * - before {first, then}: met iff both occur and the earliest `first` comes before the earliest
 *   `then` — so `first` precedes every `then`. Not met if `then` never occurs: "verified before
 *   disclosing" is not shown by an attempt with no disclosure (write
 *   `any: [{ absent: then }, { before: ... }]` for "if it happens at all, only after").
 *   Evidence: the earliest `first` and earliest `then` that exist.
 * - count {m, min?, max?}: met iff min <= (number of matching events) <= max, each bound only if
 *   given. Evidence: every matching event (the offending ones when `max` is exceeded).
 * - fieldEquals {m, path, equals}: met iff the most recent matching event's details value at the
 *   dotted `path` deep-equals `equals` — the latest word counts, so a corrected risk assessment is
 *   judged as corrected. Not met if no event matches or the path is missing. Evidence: that event.
 * - within {event, after, minutes|hours}: with the anchor the earliest `after` event, met iff some
 *   `event` comes after the anchor in the log and no more than the time limit after it on the
 *   scenario clock. Not met when there is no anchor. Evidence: the anchor and the earliest `event`
 *   after it (on time if there is one, else the late one).
 * - all [r...]: met iff every rule is met. Evidence: all children's evidence when met; the failing
 *   children's evidence when not.
 * - any [r...]: met iff some rule is met. Evidence: the met children's evidence when met; every
 *   child's evidence when not. (Both are unions in log order, so the order of the list never
 *   changes the result.)
 * - not r: met iff r is not met. Evidence: r's evidence — the same events explain both outcomes,
 *   so not(not(r)) gives exactly r, absent is not(exists) and De Morgan's laws hold with evidence.
 * - variable {name, equals}: met iff the variable's value is strictly equal to `equals`: the value
 *   of the latest "variable.set" event for it, or its initial value when none has set it. Evidence:
 *   that latest event, if any. Since every set is an event, the value is a function of the log.
 */
import type { SimEvent } from './events';
import type { EventMatcher, Rule } from './scenario-schema';

export interface RuleResult {
	met: boolean;
	/** Event ids, in log order, without repeats. */
	evidence: string[];
}

/** A scenario variable's value. */
export type VariableValue = string | number | boolean | null;

/** The dialogue event a choice writes for each variable it sets (details: node, choice, name, value). */
export const VARIABLE_SET_EVENT = 'variable.set';

export interface EvaluateOptions {
	/** Seed key → id of the record the core created for it, for `subject` in matchers. */
	seedIds?: Readonly<Record<string, string>>;
	/** The scenario's variables with their initial values (see initialVariables). */
	variables?: Readonly<Record<string, VariableValue>>;
}

/** The log prepared once for many rules: events in seq order. */
export interface EventLog {
	readonly events: readonly SimEvent[];
	readonly seedIds: Readonly<Record<string, string>>;
	readonly variables: Readonly<Record<string, VariableValue>>;
}

/** A scenario's variables with their initial values, for EvaluateOptions. */
export function initialVariables(scenario: { variables: readonly { name: string; initial: VariableValue }[] }): Record<string, VariableValue> {
	return Object.fromEntries(scenario.variables.map((v) => [v.name, v.initial]));
}

export function createEventLog(events: readonly SimEvent[], options: EvaluateOptions = {}): EventLog {
	const sorted = [...events].sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return { events: sorted, seedIds: options.seedIds ?? {}, variables: options.variables ?? {} };
}

export function evaluateRule(rule: Rule, events: readonly SimEvent[], options: EvaluateOptions = {}): RuleResult {
	return evaluateOn(rule, createEventLog(events, options));
}

/** Evaluates a rule on a prepared log (for evaluating many rules over one attempt). */
export function evaluateOn(rule: Rule, log: EventLog): RuleResult {
	const result = evaluate(rule, log);
	return { met: result.met, evidence: result.evidence.map((i) => log.events[i]!.id) };
}

/** Internal result: evidence as sorted, distinct positions in the log. */
interface Outcome {
	met: boolean;
	evidence: number[];
}

function evaluate(rule: Rule, log: EventLog): Outcome {
	if ('exists' in rule) {
		const hits = matching(rule.exists, log);
		return { met: hits.length > 0, evidence: hits };
	}
	if ('absent' in rule) {
		const hits = matching(rule.absent, log);
		return { met: hits.length === 0, evidence: hits };
	}
	if ('before' in rule) {
		const first = matching(rule.before.first, log)[0];
		const then = matching(rule.before.then, log)[0];
		const evidence = union([first === undefined ? [] : [first], then === undefined ? [] : [then]]);
		return { met: first !== undefined && then !== undefined && first < then, evidence };
	}
	if ('count' in rule) {
		const { min, max, ...matcher } = rule.count;
		const hits = matching(matcher, log);
		const met = (min === undefined || hits.length >= min) && (max === undefined || hits.length <= max);
		return { met, evidence: hits };
	}
	if ('fieldEquals' in rule) {
		const { path, equals, ...matcher } = rule.fieldEquals;
		const last = matching(matcher, log).at(-1);
		if (last === undefined) return { met: false, evidence: [] };
		const value = valueAt(log.events[last]!.details, path.split('.'));
		return { met: value !== undefined && deepEqual(value, equals), evidence: [last] };
	}
	if ('within' in rule) {
		const { event, after, minutes, hours } = rule.within;
		const anchor = matching(after, log)[0];
		if (anchor === undefined) return { met: false, evidence: [] };
		const limitMs = minutes !== undefined ? minutes * 60_000 : (hours ?? 0) * 3_600_000;
		const start = Date.parse(log.events[anchor]!.at);
		const later = matching(event, log).filter((i) => i > anchor);
		const onTime = later.find((i) => Date.parse(log.events[i]!.at) - start <= limitMs);
		const shown = onTime ?? later[0];
		return { met: onTime !== undefined, evidence: shown === undefined ? [anchor] : [anchor, shown] };
	}
	if ('all' in rule) {
		const outcomes = rule.all.map((r) => evaluate(r, log));
		const met = outcomes.every((o) => o.met);
		return { met, evidence: union(outcomes.filter((o) => met || !o.met).map((o) => o.evidence)) };
	}
	if ('any' in rule) {
		const outcomes = rule.any.map((r) => evaluate(r, log));
		const met = outcomes.some((o) => o.met);
		return { met, evidence: union(outcomes.filter((o) => !met || o.met).map((o) => o.evidence)) };
	}
	if ('variable' in rule) {
		const { name, equals } = rule.variable;
		let last: number | undefined;
		log.events.forEach((e, i) => {
			if (e.source === 'dialogue' && e.name === VARIABLE_SET_EVENT && e.details?.name === name) last = i;
		});
		const value = last === undefined ? (Object.hasOwn(log.variables, name) ? log.variables[name] : undefined) : log.events[last]!.details?.value;
		return { met: value !== undefined && value === equals, evidence: last === undefined ? [] : [last] };
	}
	const inner = evaluate(rule.not, log);
	return { met: !inner.met, evidence: inner.evidence };
}

/** Positions of the events the matcher matches, in log order. */
function matching(matcher: EventMatcher, log: EventLog): number[] {
	const hits: number[] = [];
	log.events.forEach((event, i) => {
		if (matchesEvent(matcher, event, log.seedIds)) hits.push(i);
	});
	return hits;
}

export function matchesEvent(matcher: EventMatcher, event: SimEvent, seedIds: Readonly<Record<string, string>> = {}): boolean {
	if (event.name !== matcher.event) return false;
	if (matcher.subject !== undefined && event.subject !== (seedIds[matcher.subject] ?? matcher.subject)) return false;
	if (matcher.fields) {
		const fields = event.fields ?? [];
		if (matcher.fields.any && !matcher.fields.any.some((f) => fields.includes(f))) return false;
		if (matcher.fields.all && !matcher.fields.all.every((f) => fields.includes(f))) return false;
	}
	for (const [key, condition] of Object.entries(matcher.where ?? {})) {
		const details = event.details ?? {};
		if (!Object.hasOwn(details, key)) return false;
		const value = details[key];
		if (condition !== null && typeof condition === 'object') {
			if ('in' in condition) {
				if (!condition.in.some((option) => option === value)) return false;
			} else if (!Array.isArray(value) || !value.some((item) => item === condition.contains)) {
				return false;
			}
		} else if (value !== condition) {
			return false;
		}
	}
	return true;
}

function valueAt(details: Readonly<Record<string, unknown>> | undefined, path: string[]): unknown {
	let current: unknown = details;
	for (const segment of path) {
		if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
	const ak = Object.keys(a as object);
	const bk = Object.keys(b as object);
	return (
		ak.length === bk.length &&
		ak.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
	);
}

/** Sorted distinct union of sorted position lists. */
function union(lists: number[][]): number[] {
	return [...new Set(lists.flat())].sort((x, y) => x - y);
}
