/**
 * The world's reaction to an unauthorised disclosure, at once, as it would happen at work: the core
 * has already logged the disclosure as unauthorised and opened a breach-register entry (UK GDPR
 * Art 4(12)); the supervisor then speaks up in the conversation, saying what went wrong and which
 * rule it breaks, and asks for the breach form. The learner learns it at the moment it happened,
 * not at the debrief.
 */
import type { DisclosureOutcome, DisclosureProblem } from '../core';
import type { TranscriptEntry } from './attempt-record';
import { fieldWords } from './desk/words';
import type { SimEvent } from './events';
import type { Scenario } from './scenario-schema';

/** Who speaks when the scenario names no supervisor. */
export const DEFAULT_SUPERVISOR = 'Your team leader';

/** What the supervisor says when the scenario gives no words of its own. */
export const DEFAULT_SUPERVISOR_WORDS =
	'Personal data must be kept confidential (UK GDPR Art 5(1)(f)), and a disclosure without authority is a personal data breach (Art 4(12)). ' +
	'It is in the breach register now: open Breaches and complete the breach form.';

/** The disclosures an action's core result made, wherever the operation reports them. */
function outcomesOf(value: unknown): DisclosureOutcome[] {
	if (value === null || typeof value !== 'object') return [];
	const v = value as Partial<DisclosureOutcome> & { readOut?: DisclosureOutcome | null };
	if (v.disclosure !== undefined && Array.isArray(v.problems)) return [v as DisclosureOutcome];
	return v.readOut ? [v.readOut] : [];
}

/** Why the disclosure was unauthorised, in words, each reason with the rule it breaks. */
export function problemWords(problems: readonly Pick<DisclosureProblem, 'message' | 'rule'>[]): string {
	return problems.map((p) => `${p.message} (${p.rule})`).join('; ');
}

/**
 * The supervisor's lines for the unauthorised disclosures among `written` (the audit entries an
 * action wrote), one for each, carrying the breach entries it opened. `value` is the action's core
 * result, which says why each was unauthorised; where it does not, the reasons' codes are named.
 */
export function unauthorisedDisclosureLines(scenario: Scenario, written: readonly Omit<SimEvent, 'seq'>[], value: unknown, at: string): Omit<TranscriptEntry, 'seq'>[] {
	const outcomes = outcomesOf(value);
	const supervisor = scenario.organisation.supervisor;
	return written
		.filter((e) => e.name === 'disclosure.made' && e.details?.authorised === false)
		.map((e) => {
			const disclosureId = e.details?.disclosureId;
			const outcome = outcomes.find((o) => o.disclosure.id === disclosureId);
			const breachEvents = written.filter((b) => b.name === 'breach.registered' && b.details?.sourceDisclosureId === disclosureId);
			const codes = Array.isArray(e.details?.problems) ? (e.details.problems as string[]) : [];
			const why = outcome && outcome.problems.length > 0 ? problemWords(outcome.problems) : codes.join(', ');
			const to = outcome?.disclosure.recipientName ?? 'someone without authority';
			const what = (e.fields ?? []).map(fieldWords).join(', ');
			return {
				at,
				kind: 'persona' as const,
				who: supervisor?.name ?? DEFAULT_SUPERVISOR,
				text: `Stop there: that was an unauthorised disclosure. ${what === '' ? 'Customer data' : what.charAt(0).toUpperCase() + what.slice(1)} went to ${to}: ${why}. ${supervisor?.onUnauthorisedDisclosure ?? DEFAULT_SUPERVISOR_WORDS}`,
				eventIds: breachEvents.map((b) => b.id)
			};
		});
}
