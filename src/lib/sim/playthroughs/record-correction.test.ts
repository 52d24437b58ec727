/**
 * record-correction: a misspelt name and a wrong flat number, corrected with the reason kept, read
 * back, and logged. Played through the runtime on the real core; every mistake asserts the verdict
 * under the pass rule (no critical miss and 80 % of 31 marks).
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('record-correction');
const s = loaded.scenario;
const niamh = (r: PlayRefs) => r.id('niamh');

const findByReference: Step = { do: 'searchCustomers', input: { reference: 'PT-3318402', purposeCode: 'broadband-service' } };
const findByName: Step = { do: 'searchCustomers', input: { name: 'Neve', purposeCode: 'broadband-service' } };
const openRecord: Step = { do: 'viewCustomer', input: (r) => ({ customerId: niamh(r), purposeCode: 'broadband-service' }) };
/** Security on the items her corrections don't touch: date of birth, postcode, mobile, email. */
const verifyOnUndisputedItems: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: niamh(r),
		requesterType: 'data-subject',
		method: 'knowledge-based',
		supplied: { dateOfBirth: '11/02/1994', postcode: 'HD1 5QT', mobilePhone: '07700 900284', email: 'niamh.osullivan@example.com' }
	}),
	as: 'verification'
};
const correct = (customerKey: string, field: string, newValue: string): Step => ({
	do: 'correctField',
	input: (r) => ({ customerId: r.id(customerKey), field, newValue, reason: 'Customer reported the error on the phone; spelled out by her' })
});
const correctBoth = (customerKey = 'niamh'): Step[] => [correct(customerKey, 'givenName', 'Niamh'), correct(customerKey, 'addressLine1', 'Flat 12, 41 Byron Street')];
const readBack: Step = {
	do: 'readBack',
	input: (r) => ({ customerId: niamh(r), fields: ['givenName', 'familyName', 'addressLine1', 'town', 'postcode'], verificationId: r.id('verification') })
};
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: niamh(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'data-subject',
		nature: 'Name and address errors reported',
		notes: 'Given name corrected from a misspelling; flat number corrected. Two bills went to the wrong flat: reported to Data Protection.',
		actionsTaken: ['Given name corrected', 'Address line 1 corrected', 'Details read back', 'Misdirected bills reported']
	})
};

describe('record-correction', () => {
	it('is marked out of 31 with a pass mark of 80 %: a disclosure before security, a change before security and the errors left uncorrected are critical', () => {
		expect(s.passMark).toBe(80);
		expect(s.marking.reduce((sum, p) => sum + (p.weight ?? 0), 0)).toBe(31);
		expect(s.marking.filter((p) => p.critical).map((p) => p.id)).toEqual(['no-unauthorised-disclosure', 'verified-before-changing', 'name-and-address-corrected']);
		for (const p of s.marking) expect(p.feedback.rule, p.id).toBeTruthy();
	});

	it('model answer: finds the account by reference, verifies on undisputed items, corrects, reads back, reports the bills, logs', async () => {
		const play = await playthrough(loaded, [
			{ say: 'take-security' },
			findByReference,
			openRecord,
			{ say: 'use-other-items' },
			verifyOnUndisputedItems,
			{ say: 'correct-and-explain' },
			...correctBoth(),
			readBack,
			{ say: 'move-on' },
			{ say: 'report-it' },
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// The correction kept its history: two corrections, each an audit entry about her record.
		expect(eventIds(play, 'customer.field.corrected', 'niamh')).toHaveLength(2);
		await expectModelAnswer(loaded, play);
	});

	it('mistake: reads the record out, fails her on the address she says is wrong, and hangs up: two critical errors, 0 %', async () => {
		const play = await playthrough(loaded, [
			{ say: 'read-out-to-check' },
			{ say: 'apologise-take-security' },
			{
				do: 'verifyIdentity',
				input: (r) => ({
					customerId: niamh(r),
					requesterType: 'data-subject',
					method: 'knowledge-based',
					supplied: { givenName: 'Niamh', familyName: "O'Sullivan", dateOfBirth: '11/02/1994', addressLine1: 'Flat 12, 41 Byron Street', postcode: 'HD1 5QT' }
				})
			},
			{ say: 'refuse-on-mismatch' },
			{ say: 'rules-are-rules' }
		]);
		expect(play).toMatchObject({ node: 'caller-hangs-up', ended: true });
		expect(play.events.find((e) => e.name === 'identity.verification.failed')?.details).toMatchObject({ itemsMismatched: ['givenName', 'addressLine1'] });

		const result = await play.end();
		expect(missed(result)).toEqual(s.marking.map((p) => p.id));
		// She hung up: what was met only because nothing went wrong yet was not reached.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['verified-before-changing', 'corrected-not-replaced', 'no-self-service-brush-off']);
		const verdict = expectVerdict(result, { passed: false, score: 0, criticalMisses: ['no-unauthorised-disclosure', 'name-and-address-corrected'] });
		expect(verdict.headline).toBe('Not passed — 2 critical errors');
		expect(verdict.reason).toBe('UK GDPR Art 5(1)(f): integrity and confidentiality: You disclosed details from the record before the caller had passed security.');
		const readOut = play.events.find((e) => e.name === 'data.read.out')!;
		expect(readOut).toMatchObject({ subject: play.seedIds.niamh, fields: ['givenName', 'familyName', 'addressLine1'] });
		expect(result.points.find((p) => p.id === 'nothing-read-out')!.evidence).toEqual([readOut.id]);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: pushes her to the app, offers a new account, skips the read-back, shrugs off the bills and logs before changing anything: below the pass mark', async () => {
		const play = await playthrough(loaded, [
			{ say: 'send-to-app' },
			{ say: 'take-security-after-app' },
			findByName,
			{ say: 'use-other-items' },
			verifyOnUndisputedItems,
			{ say: 'new-account' },
			{ say: 'insist-new-account' },
			logTheCall,
			...correctBoth(),
			{ say: 'done-without-read-back' },
			{ say: 'no-harm-done' },
			{ say: 'goodbye' }
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// No critical error, but 18 of 31 is well below the pass mark.
		await expectMistake(loaded, play, ['found-the-right-record', 'corrected-not-replaced', 'quality-check-read-back', 'misdirected-bills-reported', 'call-logged-with-changes', 'no-self-service-brush-off', 'confirmed-understanding'], { passed: false, score: 58.1 });
		// The name search found both Neves: that is why it does not count.
		expect(play.events.find((e) => e.name === 'customer.searched')?.details).toMatchObject({ resultCount: 2 });
	});

	it('mistake: searches by name, skips security and corrects the other Neve’s record: two critical errors', async () => {
		const play = await playthrough(loaded, [
			{ say: 'take-security' },
			findByName,
			...correctBoth('neve-sullivan'),
			{ say: 'use-other-items' },
			{ say: 'carry-on-unverified' },
			{ say: 'correct-and-explain' },
			{ say: 'done-without-read-back' },
			{ say: 'report-it' },
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		const result = await expectMistake(loaded, play, ['found-the-right-record', 'verified-before-changing', 'name-and-address-corrected', 'quality-check-read-back', 'call-logged-with-changes'], { passed: false, score: 45.2, criticalMisses: ['verified-before-changing', 'name-and-address-corrected'] });
		expect(result.points.find((p) => p.id === 'found-the-right-record')!.evidence).toEqual(
			expect.arrayContaining(eventIds(play, 'customer.field.corrected', 'neve-sullivan'))
		);
		// Mrs Sullivan's record was changed with nobody verified: that is the first critical error.
		expect(result.points.find((p) => p.id === 'verified-before-changing')!.evidence).toEqual(eventIds(play, 'customer.field.corrected', 'neve-sullivan'));
	});

	it('mistake: refuses her because the name and address she gives do not match, and she hangs up: a critical error', async () => {
		const play = await playthrough(loaded, [{ say: 'take-security' }, findByReference, openRecord, { say: 'refuse-on-mismatch' }, { say: 'rules-are-rules' }]);
		expect(play).toMatchObject({ node: 'caller-hangs-up', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(s.marking.map((p) => p.id).filter((id) => id !== 'found-the-right-record'));
		const verdict = expectVerdict(result, { passed: false, score: 6.5, criticalMisses: ['name-and-address-corrected'] });
		expect(verdict.reason).toBe('UK GDPR Art 16 and Art 5(1)(d): rectification without undue delay: You did not correct both errors on her existing record.');
		expect(result.points.find((p) => p.id === 'name-and-address-corrected')!.choices).toMatchObject([{ choice: 'rules-are-rules', quality: 'critical' }]);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: does everything else right but corrects the record without taking security: not passed at 83.9 %', async () => {
		const play = await playthrough(loaded, [
			{ say: 'take-security' },
			findByReference,
			openRecord,
			{ say: 'use-other-items' },
			{ say: 'carry-on-unverified' },
			{ say: 'correct-and-explain' },
			...correctBoth(),
			{ do: 'readBack', input: (r) => ({ customerId: niamh(r), fields: ['givenName', 'familyName', 'addressLine1', 'town', 'postcode'] }) },
			{ say: 'move-on' },
			{ say: 'report-it' },
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(['verified-before-changing']);
		const verdict = expectVerdict(result, { passed: false, score: 83.9, criticalMisses: ['verified-before-changing'] });
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expectFeedbackFromFile(s, result);
	});
});
