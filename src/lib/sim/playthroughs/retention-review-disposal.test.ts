/**
 * retention-review-disposal: the monthly disposal run, with a letter before claim that needs a legal
 * hold first, an existing investigation hold and a customer's restriction that must survive it
 * (Art 18(1)(c)), and a withdrawal of explicit consent to act on (Art 7(3), Art 17(1)(b)). Played
 * through the runtime on the real core's retention rules, legal holds, restrictions and disposal run.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { expectFeedbackFromFile, expectMistake, expectModelAnswer, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('retention-review-disposal');
const s = loaded.scenario;
const graham = (r: PlayRefs) => r.id('graham');

const findGraham: Step = { do: 'searchCustomers', input: { reference: 'NWE-0988214' } };
const openGraham: Step = { do: 'viewCustomer', input: (r) => ({ customerId: graham(r), purposeCode: 'supply-and-billing' }) };
const holdForTheClaim: Step = {
	do: 'applyLegalHold',
	input: (r) => ({
		customerId: graham(r),
		reason: 'Letter before claim from Hallam & Price Solicitors (29 May 2025) about the March 2019 back-bill: preserve all records until Legal releases',
		reasonCode: 'legal-claims'
	})
};
const logTheLetter: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: graham(r),
		channel: 'letter',
		direction: 'inbound',
		partyType: 'unauthorised-third-party',
		nature: 'Letter before claim from his solicitors',
		notes: 'Claim about the March 2019 back-bill. Records put under a legal hold; letter sent to Legal.',
		actionsTaken: ['Legal hold applied', 'Letter passed to Legal']
	})
};
const runAsOf = (asOf: string): Step => ({ do: 'runDisposal', input: { asOf } });
const findSunita: Step = { do: 'searchCustomers', input: { reference: 'NWE-3390012' } };
const withdrawSunitasConsent: Step = { do: 'withdrawExplicitConsent', input: (r) => ({ customerId: r.id('sunita'), fields: ['healthCondition'], method: 'letter' }) };
const actOnSunitasNote: Step[] = [findSunita, withdrawSunitasConsent];

describe('retention-review-disposal', () => {
	it('model answer: checks the post, holds the claim records, keeps the existing hold, runs as of today, reports counts', async () => {
		const play = await playthrough(loaded, [
			{ say: 'post-first' },
			findGraham,
			openGraham,
			{ say: 'hold-it' },
			holdForTheClaim,
			logTheLetter,
			...actOnSunitasNote,
			{ say: 'not-yet' },
			{ say: 'keep-hold' },
			runAsOf('2025-06-02'),
			{ say: 'counts-only' },
			{ say: 'storage-limitation' },
			{ say: 'accountability' },
			{ say: 'minimisation' }
		]);
		expect(play).toMatchObject({ node: 'done', ended: true });
		// The run held back the claim's records and the investigation's, kept Mrs Ashby's restricted
		// final account (Art 18(1)(c)) and said why, and erased what was due.
		const run = play.events.find((e) => e.name === 'retention.disposal.run')!;
		const counts = run.details?.counts as Record<string, { erased: number; held: number; restricted: number }>;
		expect(counts.financial).toMatchObject({ held: 4, restricted: 1 });
		expect(counts.account).toMatchObject({ restricted: 1 });
		expect(counts.identity?.erased).toBeGreaterThan(0);
		expect(run.details).toMatchObject({ keptRestricted: 2, kept: expect.arrayContaining([{ category: 'financial', count: 1, reason: expect.stringContaining('Art 18(1)(c)') }]) });
		expect(play.events.find((e) => e.name === 'explicit-consent.withdrawn')).toMatchObject({ subject: play.seedIds.sunita, details: { erasedFields: ['healthCondition'] } });
		await expectModelAnswer(loaded, play);
	});

	it('mistake: acts on the claim letter but not on the withdrawal of consent, and lifts the restriction to tidy up the run', async () => {
		const play = await playthrough(loaded, [
			{ say: 'post-first' },
			findGraham,
			openGraham,
			{ say: 'hold-it' },
			holdForTheClaim,
			logTheLetter,
			{ say: 'not-yet' },
			{ say: 'keep-hold' },
			{ do: 'notifyRestrictionLift', input: (r) => ({ customerId: r.id('pauline'), fields: ['accountStatus', 'balance'], channel: 'letter' }) },
			{ do: 'liftRestriction', input: (r) => ({ customerId: r.id('pauline'), fields: ['accountStatus', 'balance'], reason: 'Old flag, tidying up before the run' }) },
			runAsOf('2025-06-02'),
			{ say: 'counts-only' },
			{ say: 'storage-limitation' },
			{ say: 'accountability' },
			{ say: 'minimisation' }
		]);
		const result = await play.end();
		expect(missed(result)).toEqual(['existing-hold-survived', 'post-checked-and-acted-on']);
		const verdict = expectVerdict(result, { passed: false, score: 74.1, criticalMisses: ['existing-hold-survived'] });
		expect(verdict.reason).toMatch(/^UK GDPR Art 18\(1\)\(c\).*: You released a legal hold/);
		// Lifted, the restricted final account went with the rest; the health note is still held.
		expect(play.events.find((e) => e.name === 'retention.disposal.run')?.details).toMatchObject({ keptRestricted: 0 });
		expect(play.events.some((e) => e.name === 'explicit-consent.withdrawn')).toBe(false);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: runs before reading the post, deletes the difficult customer early, releases the old hold and sends a list of names', async () => {
		const play = await playthrough(loaded, [
			{ say: 'run-straight-away' },
			runAsOf('2025-06-02'),
			{ say: 'file-it' },
			{ say: 'delete-him' },
			{ do: 'logRequest', input: (r) => ({ kind: 'erasure', channel: 'internal', verbal: false, description: 'Delete closed account early', customerId: r.id('fenwick') }), as: 'early' },
			{ do: 'beginRequest', input: (r) => ({ requestId: r.id('early') }) },
			{ do: 'fulfilErasure', input: (r) => ({ requestId: r.id('early'), ground: 'no-longer-necessary' }) },
			{ say: 'release-hold' },
			{ do: 'releaseLegalHold', input: (r) => ({ customerId: r.id('irene'), reason: 'Old hold, tidying up before the run' }) },
			{ do: 'liftRestriction', input: (r) => ({ customerId: r.id('pauline'), fields: ['accountStatus', 'balance'], reason: 'Old flag, tidying up before the run' }) },
			runAsOf('2025-06-02'),
			{ say: 'send-names' },
			{ say: 'space' },
			{ say: 'undo' },
			{ say: 'tidier' }
		]);
		expect(play).toMatchObject({ node: 'done', ended: true });
		await expectMistake(loaded, play, s.marking.map((p) => p.id).filter((id) => id !== 'run-as-of-today'), { passed: false, score: 11.1, criticalMisses: ['claim-records-held', 'existing-hold-survived'] });
	});

	it('mistake: holds the claim records but runs "as of" the end of the year, does not log the letter, and names two principles', async () => {
		const play = await playthrough(loaded, [
			{ say: 'post-first' },
			{ say: 'hold-it' },
			holdForTheClaim,
			...actOnSunitasNote,
			{ say: 'not-yet' },
			{ say: 'keep-hold' },
			runAsOf('2025-12-31'),
			{ say: 'counts-only' },
			{ say: 'storage-limitation' },
			{ say: 'undo' },
			{ say: 'minimisation' }
		]);
		const result = await play.end();
		expect(missed(result)).toEqual(['run-as-of-today', 'letter-logged', 'three-principles']);
		// No critical miss, but running "as of" a later date costs enough to fall below the pass mark.
		const verdict = expectVerdict(result, { passed: false, score: 74.1 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expectFeedbackFromFile(s, result);
	});

	it('mistake: runs disposal before reading the post, and stops there', async () => {
		const play = await playthrough(loaded, [{ say: 'run-straight-away' }, runAsOf('2025-06-02')]);
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['nothing-deleted-early']);
		// The run got to Mr Oduya's records before anyone read the letter.
		expectVerdict(result, { passed: false, score: 29.6, criticalMisses: ['claim-records-held'] });
		expectFeedbackFromFile(s, result);
	});
});
