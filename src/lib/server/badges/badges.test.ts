import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { CRITERIA } from '$lib/criteria';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { securityEvent, user } from '$lib/server/db/schema';
import { notification } from '$lib/server/db/notifications';
import { badge, badgeCheck } from '$lib/server/db/badges';
import { recordObservation } from '$lib/server/other-evidence';
import { CONTEXTS, UnknownDocumentError } from './contexts';
import { emailIdentity } from './credential';
import { badgeDocumentLoader } from './documents';
import { didDocument, issuerDid, rotateIssuerKey } from './issuer';
import { badgeCredential, centreBadges, learnerBadges, processBadgeChecks, revokeBadge } from './issuing';
import { allocateStatusIndex, statusListCredential } from './status-list';
import { checkBadge, checkBadgeText } from './verification';

const ORIGIN = 'http://127.0.0.1:4173';
const NOW = new Date('2026-03-10T12:00:00Z');
let db: Db;
let amira: string, tomas: string, gareth: string, morag: string;

async function idOf(email: string): Promise<string> {
	return (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
}

const observation = (criteria: string[]) => ({ observedOn: '2026-03-02', setting: 'Front desk, morning shift', description: 'Handled customer records throughout the shift.', criteria });

/** The learner's unit signed off by one observation covering every criterion, and their badge issued. */
async function signedOffBadge(learnerId: string, at = NOW): Promise<Record<string, unknown>> {
	const recorded = await recordObservation(db, gareth, learnerId, observation(CRITERIA.map((c) => c.code)), at);
	if (!recorded.ok) throw new Error(recorded.error.message);
	expect(await processBadgeChecks(db, ORIGIN, { learnerId, now: at })).toBe(1);
	const [view] = await learnerBadges(db, ORIGIN, learnerId);
	return (await badgeCredential(db, learnerId, view!.id))!;
}

function libraryVerify(credential: unknown) {
	return vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: badgeDocumentLoader(db, ORIGIN), checkStatus });
}

beforeEach(async () => {
	db = await openTestDatabase();
	await seedDemoData(db);
	amira = await idOf('learner@custodian.test');
	tomas = await idOf('learner2@custodian.test');
	gareth = await idOf('assessor@custodian.test');
	morag = await idOf('admin@custodian.test');
});

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('issuing when the unit is signed off', () => {
	it('issues one OpenBadgeCredential when every criterion is signed off, and the library’s own verifier accepts it', async () => {
		const credential = await signedOffBadge(amira);
		expect(credential).toMatchObject({
			'@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
			type: ['VerifiableCredential', 'OpenBadgeCredential'],
			issuer: { id: issuerDid(ORIGIN, DEMO_ORGANISATION_ID), type: ['Profile'], url: ORIGIN },
			validFrom: '2026-03-10T12:00:00Z',
			credentialSubject: { type: ['AchievementSubject'], achievement: { type: ['Achievement'], name: 'Process information about customers' } },
			credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '0', statusListCredential: `${ORIGIN}/badges/${DEMO_ORGANISATION_ID}/status/1` },
			proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: `${issuerDid(ORIGIN, DEMO_ORGANISATION_ID)}#key-1` }
		});
		const subject = credential.credentialSubject as { identifier: { identityHash: string; salt: string }[]; achievement: { criteria: { narrative: string } } };
		for (const c of CRITERIA) expect(subject.achievement.criteria.narrative).toContain(c.code);
		// The learner is named only by a salted hash of their e-mail, which their address reproduces.
		expect(JSON.stringify(credential)).not.toContain('learner@custodian.test');
		expect(JSON.stringify(credential)).not.toContain('Amira');
		expect(subject.identifier[0]!.identityHash).toBe(emailIdentity('learner@custodian.test', subject.identifier[0]!.salt).identityHash);
		const verified = await libraryVerify(credential);
		expect(verified.verified).toBe(true);
		expect(verified.statusResult?.results?.[0]?.status).toBe(false);
		expect(await checkBadge(db, ORIGIN, credential)).toMatchObject({ outcome: 'valid', centre: 'Northgate Skills Centre' });
		// A second pass issues nothing more: one badge per learner and unit.
		expect(await processBadgeChecks(db, ORIGIN, { now: NOW })).toBe(0);
		expect(await dbAll(db.select().from(badge))).toHaveLength(1);
		expect(await dbAll(db.select({ kind: notification.kind, link: notification.link }).from(notification).where(eq(notification.userId, amira)))).toContainEqual({ kind: 'badge', link: '/learn/badges' });
	});

	it('issues one badge when two instances answer the same check at once', async () => {
		const recorded = await recordObservation(db, gareth, amira, observation(CRITERIA.map((c) => c.code)), NOW);
		expect(recorded.ok).toBe(true);
		const issued = await Promise.all([processBadgeChecks(db, ORIGIN, { now: NOW }), processBadgeChecks(db, ORIGIN, { learnerId: amira, now: NOW }), processBadgeChecks(db, ORIGIN, { now: NOW })]);
		expect(issued.reduce((a, b) => a + b, 0)).toBe(1);
		const rows = await dbAll(db.select().from(badge));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.credential).not.toBeNull();
	});

	it('issues nothing while a criterion is not signed off, and answers the check', async () => {
		const recorded = await recordObservation(db, gareth, amira, observation(CRITERIA.slice(1).map((c) => c.code)), NOW);
		expect(recorded.ok).toBe(true);
		expect(await dbAll(db.select().from(badgeCheck))).toHaveLength(1);
		expect(await processBadgeChecks(db, ORIGIN, { now: NOW })).toBe(0);
		expect(await dbAll(db.select().from(badgeCheck))).toHaveLength(0);
		expect(await learnerBadges(db, ORIGIN, amira)).toEqual([]);
	});

	it('gives a learner no way to download another learner’s badge', async () => {
		const credential = await signedOffBadge(amira);
		const id = String(credential.id).replace('urn:uuid:', '');
		expect(await badgeCredential(db, tomas, id)).toBeUndefined();
		expect(await badgeCredential(db, amira, id)).toEqual(credential);
	});
});

describe('a badge after revocation', () => {
	const by = () => ({ id: morag, organisationId: DEMO_ORGANISATION_ID });
	const later = (hours: number) => new Date(NOW.getTime() + hours * 3600_000);
	const idOfCredential = (credential: Record<string, unknown>) => String(credential.id).replace('urn:uuid:', '');
	const liveBadges = async () => await dbAll(db.select().from(badge).where(and(eq(badge.learnerId, amira), isNull(badge.revokedAt))));

	it('issues a new badge for a sign-off redone after the revocation; the new one verifies valid and the old one stays revoked', async () => {
		const first = await signedOffBadge(amira);
		expect(await revokeBadge(db, ORIGIN, by(), idOfCredential(first), 'Issued in error: the observation was of another learner.', later(2))).toEqual({ ok: true });
		// A sign-off made before the revocation, answered after it, issues nothing: the revoker had it before them.
		expect((await recordObservation(db, gareth, amira, observation([CRITERIA[0]!.code]), later(1))).ok).toBe(true);
		expect(await processBadgeChecks(db, ORIGIN, { now: later(3) })).toBe(0);
		expect(await liveBadges()).toEqual([]);

		const second = await signedOffBadge(amira, later(24));
		expect(idOfCredential(second)).not.toBe(idOfCredential(first));
		expect((second.credentialStatus as { statusListIndex: string }).statusListIndex).not.toBe((first.credentialStatus as { statusListIndex: string }).statusListIndex);
		expect(second.validFrom).toBe('2026-03-11T12:00:00Z');
		expect(await checkBadge(db, ORIGIN, second)).toMatchObject({ outcome: 'valid' });
		expect((await libraryVerify(second)).statusResult?.results?.[0]?.status).toBe(false);
		expect(await checkBadge(db, ORIGIN, first)).toMatchObject({ outcome: 'revoked' });
		expect((await libraryVerify(first)).statusResult?.results?.[0]?.status).toBe(true);
		// Both listed, newest first, the old one as revoked, for the learner and for the centre.
		expect((await learnerBadges(db, ORIGIN, amira)).map((b) => [b.id, b.revokedAt !== null, b.signed])).toEqual([
			[idOfCredential(second), false, true],
			[idOfCredential(first), true, true]
		]);
		expect((await centreBadges(db, ORIGIN, DEMO_ORGANISATION_ID)).map((b) => [b.id, b.revocationReason])).toEqual([
			[idOfCredential(second), null],
			[idOfCredential(first), 'Issued in error: the observation was of another learner.']
		]);
		// Another sign-off while the new badge stands issues nothing more.
		expect((await recordObservation(db, gareth, amira, observation([CRITERIA[0]!.code]), later(30))).ok).toBe(true);
		expect(await processBadgeChecks(db, ORIGIN, { now: later(30) })).toBe(0);
		expect(await liveBadges()).toHaveLength(1);
	});

	it('keeps exactly one live badge when checks race after a revocation, and the database refuses a second', async () => {
		const first = await signedOffBadge(amira);
		expect(await revokeBadge(db, ORIGIN, by(), idOfCredential(first), 'Issued in error.', later(1))).toEqual({ ok: true });
		expect((await recordObservation(db, gareth, amira, observation(CRITERIA.map((c) => c.code)), later(2))).ok).toBe(true);
		const issued = await Promise.all([processBadgeChecks(db, ORIGIN, { now: later(2) }), processBadgeChecks(db, ORIGIN, { learnerId: amira, now: later(2) }), learnerBadges(db, ORIGIN, amira), processBadgeChecks(db, ORIGIN, { now: later(2) })]);
		expect((issued[0] as number) + (issued[1] as number) + (issued[3] as number)).toBe(1);
		const [live] = await liveBadges();
		expect(live?.credential).not.toBeNull();
		expect(await dbAll(db.select().from(badge).where(eq(badge.learnerId, amira)))).toHaveLength(2);
		// The partial unique index: a second unrevoked badge for the learner and unit is refused on either engine.
		const twin = { id: crypto.randomUUID(), organisationId: DEMO_ORGANISATION_ID, learnerId: amira, achievement: 'unit' as const, statusIndex: 4242, awardedAt: later(3).toISOString() };
		await expect(dbRun(db.insert(badge).values(twin))).rejects.toThrow();
		expect(await liveBadges()).toHaveLength(1);
	});
});

describe('checking a badge', () => {
	it('finds a changed name, a changed validFrom and a changed proof tampered with', async () => {
		const credential = await signedOffBadge(amira);
		const renamed = { ...structuredClone(credential), name: 'Advanced data protection' };
		const redated = { ...structuredClone(credential), validFrom: '2025-01-01T00:00:00Z' };
		const reproofed = structuredClone(credential) as { proof: { proofValue: string } };
		reproofed.proof.proofValue = reproofed.proof.proofValue.slice(0, -4) + (reproofed.proof.proofValue.endsWith('AAAA') ? 'BBBB' : 'AAAA');
		for (const changed of [renamed, redated, reproofed]) {
			expect((await libraryVerify(changed)).verified).toBe(false);
			expect(await checkBadge(db, ORIGIN, changed as Record<string, unknown>)).toMatchObject({ outcome: 'tampered' });
		}
	});

	it('says revoked once an administrator revokes it with a reason, which the log and the learner see', async () => {
		const credential = await signedOffBadge(amira);
		const id = String(credential.id).replace('urn:uuid:', '');
		const by = { id: morag, organisationId: DEMO_ORGANISATION_ID };
		expect(await revokeBadge(db, ORIGIN, by, id, '   ', NOW)).toMatchObject({ ok: false, error: { field: 'reason' } });
		expect(await revokeBadge(db, ORIGIN, { ...by, organisationId: 'another-centre' }, id, 'Wrong learner', NOW)).toMatchObject({ ok: false, error: { code: 'badge.not-found' } });
		expect(await revokeBadge(db, ORIGIN, by, id, 'Evidence found not to be the learner’s own', NOW)).toEqual({ ok: true });
		expect(await revokeBadge(db, ORIGIN, by, id, 'Again', NOW)).toMatchObject({ ok: false, error: { code: 'badge.revoked' } });
		const verified = await libraryVerify(credential);
		expect(verified.statusResult?.results?.[0]?.status).toBe(true);
		expect(await checkBadge(db, ORIGIN, credential)).toMatchObject({ outcome: 'revoked' });
		expect(await learnerBadges(db, ORIGIN, amira)).toMatchObject([{ revokedAt: NOW.toISOString(), revocationReason: 'Evidence found not to be the learner’s own' }]);
		expect(await dbAll(db.select().from(securityEvent).where(eq(securityEvent.type, 'badge.revoked')))).toMatchObject([{ actorId: morag, userId: amira }]);
		// The served list is the signed, revoking one.
		const list = (await statusListCredential(db, ORIGIN, DEMO_ORGANISATION_ID, 1))!;
		expect((await libraryVerify(list)).verified).toBe(true);
	});

	it('says a badge of another issuer is not this server’s to vouch for, and refuses what is not a credential', async () => {
		const credential = await signedOffBadge(amira);
		expect(await checkBadge(db, ORIGIN, { ...credential, issuer: { id: 'did:web:elsewhere.example:badges:x', type: ['Profile'] } })).toMatchObject({ outcome: 'unknown-issuer' });
		expect(await checkBadge(db, ORIGIN, { ...credential, issuer: issuerDid(ORIGIN, 'no-such-centre') })).toMatchObject({ outcome: 'unknown-issuer' });
		expect(await checkBadgeText(db, ORIGIN, '{"type":')).toMatchObject({ ok: false, error: { field: 'credential' } });
		expect(await checkBadgeText(db, ORIGIN, '[1,2]')).toMatchObject({ ok: false });
		expect(await checkBadgeText(db, ORIGIN, '{"type":"Thing"}')).toMatchObject({ ok: false });
		expect(await checkBadgeText(db, ORIGIN, ' '.repeat(10) + 'x'.repeat(70 * 1024))).toMatchObject({ ok: false, error: { message: expect.stringContaining('longer') } });
		expect(await checkBadgeText(db, ORIGIN, JSON.stringify(credential))).toMatchObject({ ok: true, value: { outcome: 'valid' } });
	});
});

describe('the document loader', () => {
	it('answers the pinned contexts and the centre’s own documents, and refuses any other URL without fetching', async () => {
		const fetched: string[] = [];
		vi.stubGlobal('fetch', async (url: unknown) => {
			fetched.push(String(url));
			throw new Error('no network in this test');
		});
		await signedOffBadge(amira);
		const load = badgeDocumentLoader(db, ORIGIN);
		expect([...CONTEXTS.keys()].sort()).toEqual([
			'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
			'https://w3id.org/security/data-integrity/v2',
			'https://w3id.org/security/multikey/v1',
			'https://www.w3.org/ns/credentials/status/v1',
			'https://www.w3.org/ns/credentials/v2'
		]);
		expect((await load('https://www.w3.org/ns/credentials/v2')).document).toEqual(CONTEXTS.get('https://www.w3.org/ns/credentials/v2'));
		expect((await load(issuerDid(ORIGIN, DEMO_ORGANISATION_ID))).document).toMatchObject({ id: issuerDid(ORIGIN, DEMO_ORGANISATION_ID) });
		for (const url of [
			'https://example.org/contexts/v1',
			'https://www.w3.org/2018/credentials/v1',
			'did:web:elsewhere.example:badges:demo',
			`${issuerDid(ORIGIN, DEMO_ORGANISATION_ID)}#key-9`,
			`${ORIGIN}/badges/${DEMO_ORGANISATION_ID}/status/2`,
			`${ORIGIN}/badges/${DEMO_ORGANISATION_ID}/did.json`,
			'http://169.254.169.254/latest/meta-data/'
		]) {
			await expect(load(url), url).rejects.toBeInstanceOf(UnknownDocumentError);
		}
		expect(fetched).toEqual([]);
	});
});

describe('the issuer’s keys', () => {
	it('keeps badges signed before a rotation verifiable, and signs new ones with the new key', async () => {
		const before = await signedOffBadge(amira);
		const rotated = await rotateIssuerKey(db, { id: morag, organisationId: DEMO_ORGANISATION_ID }, NOW);
		expect(rotated.number).toBe(2);
		const after = await signedOffBadge(tomas);
		expect((after.proof as { verificationMethod: string }).verificationMethod).toBe(`${issuerDid(ORIGIN, DEMO_ORGANISATION_ID)}#key-2`);
		expect(await checkBadge(db, ORIGIN, before)).toMatchObject({ outcome: 'valid' });
		expect(await checkBadge(db, ORIGIN, after)).toMatchObject({ outcome: 'valid' });
		const document = (await didDocument(db, ORIGIN, DEMO_ORGANISATION_ID))!;
		expect(document.assertionMethod).toEqual([1, 2].map((n) => `${issuerDid(ORIGIN, DEMO_ORGANISATION_ID)}#key-${n}`));
		// Public halves only: no secret key in what is published.
		expect(JSON.stringify(document)).not.toMatch(/secretKey/i);
		expect(await dbAll(db.select().from(securityEvent).where(eq(securityEvent.type, 'badge.key-rotated')))).toHaveLength(1);
	});
});

describe('status list positions', () => {
	it('never gives two badges the same position, however many are allocated at once', async () => {
		const indexes = await Promise.all(Array.from({ length: 40 }, () => writeTransaction(db, () => allocateStatusIndex(db, DEMO_ORGANISATION_ID, NOW))));
		expect(new Set(indexes).size).toBe(40);
		expect([...indexes].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
	});

	it('gives each learner of a centre their own position', async () => {
		await signedOffBadge(amira);
		await signedOffBadge(tomas);
		const rows = await dbAll(db.select({ statusIndex: badge.statusIndex }).from(badge).where(and(eq(badge.organisationId, DEMO_ORGANISATION_ID))));
		expect(rows.map((r) => Number(r.statusIndex)).sort()).toEqual([0, 1]);
		expect((await centreBadges(db, ORIGIN, DEMO_ORGANISATION_ID)).map((b) => b.learnerName).sort()).toEqual(['Amira Khan', 'Tomás Ó Briain']);
	});
});
