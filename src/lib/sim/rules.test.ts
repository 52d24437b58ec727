import { describe, expect, it } from 'vitest';
import { evaluateRule, matchesEvent } from './rules';
import { rule as ruleSchema, type Rule } from './scenario-schema';
import { eventLog } from './testing';

/** Rules in tests go through the schema, as rules in files do. */
const r = (input: unknown): Rule => ruleSchema.parse(input);

function spouseCall() {
	const log = eventLog('2025-03-07T15:40:00Z');
	const searched = log.core('customer.searched', { fields: ['familyName', 'postcode'], details: { purposeCode: 'supply-and-billing', resultCount: 1 } });
	const checked = log.core('third-party.authority.checked', { subject: 'cust-1', details: { found: false, inScope: false } });
	const declined = log.dialogue('explained.no.authority', { details: { node: 'caller-objects', choice: 'x' } });
	const disclosed = log.core('disclosure.made', {
		subject: 'cust-1',
		fields: ['balance'],
		details: { authorised: false, manner: 'supplied', route: 'none', tags: ['phone', 'urgent'] }
	});
	const readOut = log.core('data.read.out', { subject: 'cust-1', fields: ['postcode', 'dateOfBirth'], details: { authorised: false } });
	const logged = log.core('interaction.logged', { subject: 'cust-1', details: { partyType: 'data-subject', channel: 'phone' } });
	const relogged = log.core('interaction.logged', { subject: 'cust-1', details: { partyType: 'unauthorised-third-party', channel: 'phone' } });
	return { events: log.events, searched, checked, declined, disclosed, readOut, logged, relogged };
}

describe('matchers', () => {
	const { disclosed } = spouseCall();

	it('match on name, and on every where condition', () => {
		expect(matchesEvent({ event: 'disclosure.made' }, disclosed)).toBe(true);
		expect(matchesEvent({ event: 'disclosure.refused' }, disclosed)).toBe(false);
		expect(matchesEvent({ event: 'disclosure.made', where: { authorised: false, manner: 'supplied' } }, disclosed)).toBe(true);
		expect(matchesEvent({ event: 'disclosure.made', where: { authorised: false, manner: 'read-out' } }, disclosed)).toBe(false);
	});

	it('compare strictly: false is not "false" and a missing key is not null', () => {
		expect(matchesEvent({ event: 'disclosure.made', where: { authorised: 'false' } }, disclosed)).toBe(false);
		expect(matchesEvent({ event: 'disclosure.made', where: { breachId: null } }, disclosed)).toBe(false);
	});

	it('match `in` against a list of values and `contains` inside a list-valued key', () => {
		expect(matchesEvent({ event: 'disclosure.made', where: { route: { in: ['none', 'exemption'] } } }, disclosed)).toBe(true);
		expect(matchesEvent({ event: 'disclosure.made', where: { route: { in: ['exemption'] } } }, disclosed)).toBe(false);
		expect(matchesEvent({ event: 'disclosure.made', where: { tags: { contains: 'urgent' } } }, disclosed)).toBe(true);
		expect(matchesEvent({ event: 'disclosure.made', where: { tags: { contains: 'email' } } }, disclosed)).toBe(false);
		expect(matchesEvent({ event: 'disclosure.made', where: { manner: { contains: 'supplied' } } }, disclosed)).toBe(false);
	});

	it('match fields by any and by all', () => {
		expect(matchesEvent({ event: 'disclosure.made', fields: { any: ['balance', 'arrears'] } }, disclosed)).toBe(true);
		expect(matchesEvent({ event: 'disclosure.made', fields: { all: ['balance', 'arrears'] } }, disclosed)).toBe(false);
		expect(matchesEvent({ event: 'disclosure.made', fields: { any: ['arrears'] } }, disclosed)).toBe(false);
	});

	it('match a subject by its seed key, through the ids the core gave', () => {
		expect(matchesEvent({ event: 'disclosure.made', subject: 'daniel' }, disclosed, { daniel: 'cust-1' })).toBe(true);
		expect(matchesEvent({ event: 'disclosure.made', subject: 'gareth' }, disclosed, { daniel: 'cust-1', gareth: 'cust-2' })).toBe(false);
		expect(matchesEvent({ event: 'disclosure.made', subject: 'cust-1' }, disclosed)).toBe(true);
	});
});

describe('exists and absent', () => {
	const call = spouseCall();

	it('exists is met by any matching event, with every match as evidence', () => {
		expect(evaluateRule(r({ exists: { event: 'interaction.logged' } }), call.events)).toEqual({
			met: true,
			evidence: [call.logged.id, call.relogged.id]
		});
	});

	it('exists is not met, with no evidence, when nothing matches', () => {
		expect(evaluateRule(r({ exists: { event: 'consent.given' } }), call.events)).toEqual({ met: false, evidence: [] });
		expect(evaluateRule(r({ exists: { event: 'interaction.logged' } }), [])).toEqual({ met: false, evidence: [] });
	});

	it('absent is met with no evidence, and not met with the offending events as evidence', () => {
		expect(evaluateRule(r({ absent: { event: 'consent.given' } }), call.events)).toEqual({ met: true, evidence: [] });
		expect(evaluateRule(r({ absent: { event: 'disclosure.made', where: { authorised: false } } }), call.events)).toEqual({
			met: false,
			evidence: [call.disclosed.id]
		});
	});
});

describe('before', () => {
	const call = spouseCall();

	it('is met when the earliest `first` comes before the earliest `then`, with both as evidence', () => {
		const result = evaluateRule(r({ before: { first: { event: 'third-party.authority.checked' }, then: { event: 'explained.no.authority' } } }), call.events);
		expect(result).toEqual({ met: true, evidence: [call.checked.id, call.declined.id] });
	});

	it('is not met when `then` comes first, showing the earliest of each', () => {
		const result = evaluateRule(r({ before: { first: { event: 'interaction.logged' }, then: { event: 'disclosure.made' } } }), call.events);
		expect(result).toEqual({ met: false, evidence: [call.disclosed.id, call.logged.id] });
	});

	it('judges against the earliest `then`: a `first` between two `then`s is too late', () => {
		const log = eventLog();
		const d1 = log.core('disclosure.made');
		const v = log.core('identity.verified');
		log.core('disclosure.made');
		expect(evaluateRule(r({ before: { first: { event: 'identity.verified' }, then: { event: 'disclosure.made' } } }), log.events)).toEqual({
			met: false,
			evidence: [d1.id, v.id]
		});
	});

	it('is not met when `then` never happens (`then` must exist)', () => {
		const result = evaluateRule(r({ before: { first: { event: 'third-party.authority.checked' }, then: { event: 'consent.given' } } }), call.events);
		expect(result).toEqual({ met: false, evidence: [call.checked.id] });
	});

	it('is not met when `first` never happens', () => {
		const result = evaluateRule(r({ before: { first: { event: 'identity.verified' }, then: { event: 'disclosure.made' } } }), call.events);
		expect(result).toEqual({ met: false, evidence: [call.disclosed.id] });
	});

	it('"if it happens at all, only after" is written with any and absent', () => {
		const onlyAfter = r({
			any: [{ absent: { event: 'consent.given' } }, { before: { first: { event: 'explained.no.authority' }, then: { event: 'consent.given' } } }]
		});
		expect(evaluateRule(onlyAfter, call.events)).toEqual({ met: true, evidence: [] });
	});
});

describe('count', () => {
	const call = spouseCall();

	it('is met within min and max, with the matching events as evidence', () => {
		expect(evaluateRule(r({ count: { event: 'interaction.logged', min: 2, max: 2 } }), call.events)).toEqual({
			met: true,
			evidence: [call.logged.id, call.relogged.id]
		});
	});

	it('checks only the bounds given', () => {
		expect(evaluateRule(r({ count: { event: 'interaction.logged', min: 3 } }), call.events).met).toBe(false);
		expect(evaluateRule(r({ count: { event: 'interaction.logged', max: 1 } }), call.events)).toEqual({
			met: false,
			evidence: [call.logged.id, call.relogged.id]
		});
		expect(evaluateRule(r({ count: { event: 'consent.given', max: 0 } }), call.events)).toEqual({ met: true, evidence: [] });
	});

	it('counts only events matching the where conditions', () => {
		expect(evaluateRule(r({ count: { event: 'interaction.logged', where: { partyType: 'data-subject' }, min: 1, max: 1 } }), call.events)).toEqual({
			met: true,
			evidence: [call.logged.id]
		});
	});
});

describe('fieldEquals', () => {
	const call = spouseCall();

	it('judges the most recent matching event: the latest word counts', () => {
		expect(evaluateRule(r({ fieldEquals: { event: 'interaction.logged', path: 'partyType', equals: 'unauthorised-third-party' } }), call.events)).toEqual({
			met: true,
			evidence: [call.relogged.id]
		});
		expect(evaluateRule(r({ fieldEquals: { event: 'interaction.logged', path: 'partyType', equals: 'data-subject' } }), call.events)).toEqual({
			met: false,
			evidence: [call.relogged.id]
		});
	});

	it('narrows the events with where before taking the latest', () => {
		const rule = r({ fieldEquals: { event: 'interaction.logged', where: { partyType: 'data-subject' }, path: 'channel', equals: 'phone' } });
		expect(evaluateRule(rule, call.events)).toEqual({ met: true, evidence: [call.logged.id] });
	});

	it('follows a dotted path and compares objects and lists deeply', () => {
		const log = eventLog();
		const run = log.core('retention.disposal.run', { details: { counts: { contact: { erased: 2, held: 1 } }, categories: ['contact', 'financial'] } });
		expect(evaluateRule(r({ fieldEquals: { event: 'retention.disposal.run', path: 'counts.contact.erased', equals: 2 } }), log.events).met).toBe(true);
		expect(evaluateRule(r({ fieldEquals: { event: 'retention.disposal.run', path: 'counts.contact', equals: { held: 1, erased: 2 } } }), log.events)).toEqual({
			met: true,
			evidence: [run.id]
		});
		expect(evaluateRule(r({ fieldEquals: { event: 'retention.disposal.run', path: 'categories', equals: ['contact', 'financial'] } }), log.events).met).toBe(true);
		expect(evaluateRule(r({ fieldEquals: { event: 'retention.disposal.run', path: 'categories', equals: ['financial', 'contact'] } }), log.events).met).toBe(false);
	});

	it('is not met when the path is missing or no event matches', () => {
		expect(evaluateRule(r({ fieldEquals: { event: 'interaction.logged', path: 'nature.kind', equals: null } }), call.events)).toEqual({
			met: false,
			evidence: [call.relogged.id]
		});
		expect(evaluateRule(r({ fieldEquals: { event: 'consent.given', path: 'method', equals: 'online' } }), call.events)).toEqual({ met: false, evidence: [] });
	});
});

describe('within', () => {
	it('is met when the event follows the anchor within the time, on the scenario clock', () => {
		const log = eventLog('2025-03-07T16:00:00Z');
		const aware = log.core('breach.registered');
		log.wait(71 * 60);
		const notified = log.core('breach.ico.notified');
		expect(evaluateRule(r({ within: { event: { event: 'breach.ico.notified' }, after: { event: 'breach.registered' }, hours: 72 } }), log.events)).toEqual({
			met: true,
			evidence: [aware.id, notified.id]
		});
	});

	it('is not met when the event comes too late, showing the anchor and the late event', () => {
		const log = eventLog('2025-03-07T16:00:00Z');
		const aware = log.core('breach.registered');
		log.wait(72 * 60);
		const late = log.core('breach.ico.notified');
		expect(evaluateRule(r({ within: { event: { event: 'breach.ico.notified' }, after: { event: 'breach.registered' }, hours: 72 } }), log.events)).toEqual({
			met: false,
			evidence: [aware.id, late.id]
		});
	});

	it('counts exactly the limit as within it', () => {
		const log = eventLog('2025-03-07T16:00:00Z');
		log.core('dialogue.ended');
		log.wait(9);
		log.core('interaction.logged');
		expect(evaluateRule(r({ within: { event: { event: 'interaction.logged' }, after: { event: 'dialogue.ended' }, minutes: 10 } }), log.events).met).toBe(true);
		expect(evaluateRule(r({ within: { event: { event: 'interaction.logged' }, after: { event: 'dialogue.ended' }, minutes: 9 } }), log.events).met).toBe(false);
	});

	it('ignores events before the anchor and measures from the earliest anchor', () => {
		const log = eventLog();
		log.core('interaction.logged');
		const anchor = log.dialogue('dialogue.ended');
		log.wait(30);
		log.dialogue('dialogue.ended');
		const late = log.core('interaction.logged');
		expect(evaluateRule(r({ within: { event: { event: 'interaction.logged' }, after: { event: 'dialogue.ended' }, minutes: 10 } }), log.events)).toEqual({
			met: false,
			evidence: [anchor.id, late.id]
		});
	});

	it('is not met without an anchor, and shows only the anchor when the event never follows', () => {
		const log = eventLog();
		log.core('interaction.logged');
		const rule = r({ within: { event: { event: 'interaction.logged' }, after: { event: 'dialogue.ended' }, minutes: 10 } });
		expect(evaluateRule(rule, log.events)).toEqual({ met: false, evidence: [] });
		const anchor = log.dialogue('dialogue.ended');
		expect(evaluateRule(rule, log.events)).toEqual({ met: false, evidence: [anchor.id] });
	});
});

describe('all, any and not', () => {
	const call = spouseCall();
	const checked = { exists: { event: 'third-party.authority.checked' } };
	const logged = { exists: { event: 'interaction.logged', where: { partyType: 'data-subject' } } };
	const noDisclosure = { absent: { event: 'disclosure.made' } };
	const noConsent = { absent: { event: 'consent.given' } };

	it('all is met when every rule is, with all their evidence in log order', () => {
		expect(evaluateRule(r({ all: [logged, checked, noConsent] }), call.events)).toEqual({ met: true, evidence: [call.checked.id, call.logged.id] });
	});

	it('all that fails shows only the failing rules’ evidence', () => {
		expect(evaluateRule(r({ all: [checked, noDisclosure, logged] }), call.events)).toEqual({ met: false, evidence: [call.disclosed.id] });
	});

	it('any is met when one rule is, with the met rules’ evidence', () => {
		expect(evaluateRule(r({ any: [noDisclosure, checked] }), call.events)).toEqual({ met: true, evidence: [call.checked.id] });
	});

	it('any that fails shows every rule’s evidence', () => {
		expect(evaluateRule(r({ any: [noDisclosure, { exists: { event: 'consent.given' } }] }), call.events)).toEqual({
			met: false,
			evidence: [call.disclosed.id]
		});
	});

	it('not flips the outcome and keeps the evidence', () => {
		expect(evaluateRule(r({ not: noDisclosure }), call.events)).toEqual({ met: true, evidence: [call.disclosed.id] });
		expect(evaluateRule(r({ not: noConsent }), call.events)).toEqual({ met: false, evidence: [] });
		expect(evaluateRule(r({ not: { exists: { event: 'consent.given' } } }), call.events)).toEqual({ met: true, evidence: [] });
	});

	it('nests', () => {
		const rule = r({ all: [{ any: [noDisclosure, { not: { not: checked } }] }, { not: { absent: { event: 'data.read.out' } } }] });
		expect(evaluateRule(rule, call.events)).toEqual({ met: true, evidence: [call.checked.id, call.readOut.id] });
	});
});

describe('the log', () => {
	it('is taken in seq order whatever order the events are given in', () => {
		const call = spouseCall();
		const rule = r({ before: { first: { event: 'third-party.authority.checked' }, then: { event: 'explained.no.authority' } } });
		expect(evaluateRule(rule, [...call.events].reverse())).toEqual(evaluateRule(rule, call.events));
	});

	it('mixes core and dialogue events in one order', () => {
		const call = spouseCall();
		const rule = r({ before: { first: { event: 'explained.no.authority' }, then: { event: 'disclosure.made' } } });
		expect(evaluateRule(rule, call.events)).toEqual({ met: true, evidence: [call.declined.id, call.disclosed.id] });
	});
});

describe('variables', () => {
	const initial = { 'asked-about-lpa': false, 'caller-mood': 'calm' };
	function call() {
		const log = eventLog();
		const first = log.dialogue('variable.set', { details: { node: 'opening', choice: 'ask', name: 'asked-about-lpa', value: true } });
		const other = log.dialogue('variable.set', { details: { node: 'opening', choice: 'ask', name: 'caller-mood', value: 'cross' } });
		const again = log.dialogue('variable.set', { details: { node: 'later', choice: 'take-back', name: 'asked-about-lpa', value: false } });
		return { log, first, other, again };
	}

	it('hold their initial value until a choice sets them, with no evidence', () => {
		const rule = r({ variable: { name: 'caller-mood', equals: 'calm' } });
		expect(evaluateRule(rule, [], { variables: initial })).toEqual({ met: true, evidence: [] });
		expect(evaluateRule(r({ variable: { name: 'asked-about-lpa', equals: true } }), [], { variables: initial })).toEqual({ met: false, evidence: [] });
	});

	it('take the value of the latest set, evidenced by that event, whatever order the log is given in', () => {
		const { log, first, other, again } = call();
		expect(evaluateRule(r({ variable: { name: 'caller-mood', equals: 'cross' } }), log.events, { variables: initial })).toEqual({ met: true, evidence: [other.id] });
		expect(evaluateRule(r({ variable: { name: 'asked-about-lpa', equals: false } }), [...log.events].reverse(), { variables: initial })).toEqual({ met: true, evidence: [again.id] });
		const upToFirst = log.events.filter((e) => e.seq <= first.seq);
		expect(evaluateRule(r({ variable: { name: 'asked-about-lpa', equals: true } }), upToFirst, { variables: initial })).toEqual({ met: true, evidence: [first.id] });
	});

	it('compare strictly, and find an undeclared variable equal to nothing', () => {
		const { log } = call();
		expect(evaluateRule(r({ variable: { name: 'caller-mood', equals: 'Cross' } }), log.events, { variables: initial }).met).toBe(false);
		expect(evaluateRule(r({ variable: { name: 'nobody-declared-me', equals: null } }), log.events, { variables: initial }).met).toBe(false);
	});

	it('ignore a core event that happens to carry the same name and details', () => {
		const log = eventLog();
		log.core('variable.set', { details: { name: 'asked-about-lpa', value: true } });
		expect(evaluateRule(r({ variable: { name: 'asked-about-lpa', equals: false } }), log.events, { variables: initial }).met).toBe(true);
	});

	it('combine with the other operators: not(variable) is the variable’s complement', () => {
		const { log } = call();
		for (const equals of [true, false]) {
			const plain = evaluateRule(r({ variable: { name: 'asked-about-lpa', equals } }), log.events, { variables: initial });
			const negated = evaluateRule(r({ not: { variable: { name: 'asked-about-lpa', equals } } }), log.events, { variables: initial });
			expect(negated).toEqual({ met: !plain.met, evidence: plain.evidence });
		}
	});
});
