import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { getAttempt } from '../runtime';
import { playthrough, type Step } from '../testing';
import { loadedScenario } from '../playthroughs/support';
import type { DeskResult } from './forms';
import { codesIn, deskNames, inPlainWords, plainResult } from './plain';
import { deskScreen } from './screen';

const loaded = loadedScenario('new-customer-signup');

const priya = {
	title: 'Ms',
	givenName: 'Priya',
	familyName: 'Shah',
	dateOfBirth: '23/11/1996',
	addressLine1: 'Flat 4, 27 Mill Lane',
	town: 'Rothwell',
	postcode: 'NN14 6BE',
	email: 'priya.shah88@outlook.com',
	mobilePhone: '07700 900461',
	supplyStartDate: '2025-03-08',
	tariff: 'Standard Variable (dual fuel)',
	paymentMethod: 'Monthly Direct Debit'
};
const nobody = randomUUID();

/** Actions the core refuses, each with a message that names what it is about by code, key or id. */
const refused: Step[] = [
	{ do: 'withdrawConsent', input: (r) => ({ customerId: r.id('priya'), purposeCode: 'marketing', channel: 'email', method: 'phone' }), expectError: 'consent.not-found' },
	{ do: 'recordCustomer', input: { purposeCodes: ['supply-and-billing'], fields: { givenName: 'Jo', familyName: 'Bloggs' } }, expectError: 'required' },
	{ do: 'recordCustomer', input: { purposeCodes: ['no-such-purpose'], fields: { givenName: 'Jo' } }, expectError: 'purpose.not-found' },
	{
		do: 'verifyIdentity',
		input: (r) => ({ customerId: r.id('priya'), requesterType: 'data-subject', method: 'knowledge-based', supplied: {}, readOut: ['dateOfBirth', 'landlinePhone'] }),
		expectError: 'verification.read-out-not-held'
	},
	{ do: 'correctField', input: (r) => ({ customerId: r.id('priya'), field: 'addressLine1', newValue: priya.addressLine1, reason: 'Moved' }), expectError: 'field.unchanged' },
	{ do: 'viewCustomer', input: { customerId: nobody, purposeCode: 'supply-and-billing' }, expectError: 'customer.not-found' }
];

describe('the record system’s messages in the desk’s words', () => {
	it('shows every refusal of a representative set without a code, field key or id, in the form’s answer and the conversation', async () => {
		const play = await playthrough(loaded, [{ do: 'recordCustomer', input: { purposeCodes: ['supply-and-billing'], fields: priya }, as: 'priya' }, ...refused]);
		const view = (await getAttempt(play.db, play.attemptId))!;
		const screen = await deskScreen(play.db, view, loaded, { title: 'Sign-up', historyField: null });
		const names = deskNames(screen.desk);

		const answers = play.outcomes.slice(1).map((outcome) => {
			const core = outcome.core!;
			expect(core.ok).toBe(false);
			const error = core.ok ? undefined : (core.error as { code: string; message: string; field?: string; issues?: { field: string; message: string }[] });
			const said = outcome.transcript.find((line) => line.kind === 'system')?.text;
			return { kind: 'op', formId: 'f', error, said } as DeskResult;
		});
		const raw = answers.flatMap((a) => [a.error!.message, ...(a.error!.issues ?? []).map((i) => i.message), a.said!]);
		// The core speaks in codes (so this test tests something)…
		expect(raw.flatMap(codesIn).length).toBeGreaterThan(5);
		// …the desk does not: what the form shows and says, and the conversation's lines.
		const shown = answers.map((a) => plainResult(a, names)!).flatMap((a) => [a.error!.message, ...(a.error!.issues ?? []).map((i) => i.message), a.said!]);
		expect(shown.flatMap((text) => codesIn(text).map((code) => `${code} in “${text}”`))).toEqual([]);
		const lines = screen.attempt.transcript.filter((line) => line.kind === 'system').map((line) => line.text);
		expect(lines.flatMap((text) => codesIn(text).map((code) => `${code} in “${text}”`))).toEqual([]);

		// The codes and fields stay for code.
		expect(answers.map((a) => plainResult(a, names)!.error!.code)).toEqual(refused.map((s) => ('expectError' in s ? s.expectError : '')));
	});

	it('names a purpose, a field and a customer as the desk’s forms do', () => {
		const names = new Map([
			['marketing', '“Marketing”'],
			['dateOfBirth', 'date of birth']
		]);
		expect(inPlainWords('No live consent for marketing by email', names)).toBe('No live consent for “Marketing” by email');
		expect(inPlainWords('No active purpose "marketing"', names)).toBe('No active purpose "Marketing"');
		expect(inPlainWords('dateOfBirth was erased or anonymised', names)).toBe('Date of birth was erased or anonymised');
		expect(inPlainWords('Enter landlinePhone: the purpose “Billing” needs it', names)).toBe('Enter landline phone: the purpose “Billing” needs it');
		expect(inPlainWords(`No customer ${nobody}`, names)).toBe('No such customer is on the system');
		expect(inPlainWords('This cannot be done to a request that is awaiting-id', names)).toBe('This cannot be done to a request that is awaiting ID');
		// Words with a hyphen and names are left alone.
		expect(inPlainWords('Knowledge-based check: Anti-money-laundering team, knowledge-based', names)).toBe('Knowledge-based check: Anti-money-laundering team, knowledge-based');
	});
});
