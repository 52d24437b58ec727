/**
 * Revocation (W3C Bitstring Status List v1.0): each badge holds a position in one of the centre's
 * status lists, allocated once; the list is a BitstringStatusListCredential the centre signs and
 * serves at a permanent URL, signed again whenever a badge in it is revoked.
 */
import { and, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { badge, badgeIssuer, badgeStatusList } from '$lib/server/db/badges';
import { badgeDocumentLoader, storedStatusList } from './documents';
import { issuerDid, issuerSigner } from './issuer';

/** Positions per list: 131,072 (16 KB), the specification's minimum, so one badge hides among many. */
export const STATUS_LIST_LENGTH = 131_072;

export function statusListUrl(origin: string, organisationId: string, number: number): string {
	return `${origin}/badges/${organisationId}/status/${number}`;
}

/** Where a status index lives: the list (numbered from 1) and the position in it. */
export function statusPosition(index: number): { list: number; position: number } {
	return { list: Math.floor(index / STATUS_LIST_LENGTH) + 1, position: index % STATUS_LIST_LENGTH };
}

/**
 * The next free status index of the centre: one UPDATE … RETURNING on its counter row, which the
 * engine serialises (SQLite's single writer; PostgreSQL's row lock), so no two badges share one.
 * Call inside the transaction that stores the badge.
 */
export async function allocateStatusIndex(db: Db, organisationId: string, now: Date): Promise<number> {
	await dbRun(db.insert(badgeIssuer).values({ organisationId, nextStatusIndex: 0, createdAt: now.toISOString() }).onConflictDoNothing());
	const [row] = await dbAll(db
		.update(badgeIssuer)
		.set({ nextStatusIndex: sql`${badgeIssuer.nextStatusIndex} + 1` })
		.where(eq(badgeIssuer.organisationId, organisationId))
		.returning({ next: badgeIssuer.nextStatusIndex }));
	return Number(row!.next) - 1;
}

/**
 * Signs list `number` of the centre afresh from the badges revoked in it, and stores it. Call inside
 * a transaction that holds the centre's counter row (lockStatusLists), so two revocations cannot
 * each sign a list without the other's.
 */
export async function signStatusList(db: Db, origin: string, organisationId: string, number: number, now = new Date()): Promise<Record<string, unknown>> {
	const first = (number - 1) * STATUS_LIST_LENGTH;
	const revoked = await dbAll(db
		.select({ statusIndex: badge.statusIndex })
		.from(badge)
		.where(and(eq(badge.organisationId, organisationId), isNotNull(badge.revokedAt), gte(badge.statusIndex, first), lt(badge.statusIndex, first + STATUS_LIST_LENGTH))));
	const list = await createList({ length: STATUS_LIST_LENGTH });
	for (const r of revoked) list.setStatus(Number(r.statusIndex) - first, true);
	const unsigned = await createCredential({ id: statusListUrl(origin, organisationId, number), list, statusPurpose: 'revocation' });
	const credential = { ...unsigned, issuer: issuerDid(origin, organisationId), validFrom: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
	const suite = new DataIntegrityProof({ signer: await issuerSigner(db, origin, organisationId, now), cryptosuite, date: now });
	const signed = await vc.issue({ credential, suite, documentLoader: badgeDocumentLoader(db, origin) });
	await dbRun(db
		.insert(badgeStatusList)
		.values({ organisationId, number, credential: signed, signedAt: now.toISOString() })
		.onConflictDoUpdate({ target: [badgeStatusList.organisationId, badgeStatusList.number], set: { credential: signed, signedAt: now.toISOString() } }));
	return signed;
}

/** Takes the centre's counter row for the rest of the transaction (PostgreSQL: a row lock; SQLite holds its one writer already). */
export async function lockStatusLists(db: Db, organisationId: string, now: Date): Promise<void> {
	await dbRun(db.insert(badgeIssuer).values({ organisationId, nextStatusIndex: 0, createdAt: now.toISOString() }).onConflictDoNothing());
	await dbRun(db.update(badgeIssuer).set({ nextStatusIndex: sql`${badgeIssuer.nextStatusIndex}` }).where(eq(badgeIssuer.organisationId, organisationId)));
}

/**
 * The signed list as served: the stored one, or, for a list badges already point into that was
 * never signed (its first badge not yet signed), signed now. Undefined for a list not in use.
 */
export async function statusListCredential(db: Db, origin: string, organisationId: string, number: number, now = new Date()): Promise<Record<string, unknown> | undefined> {
	if (!Number.isSafeInteger(number) || number < 1) return undefined;
	const stored = await storedStatusList(db, organisationId, number);
	if (stored) return stored;
	const issuer = await dbGet(db.select({ next: badgeIssuer.nextStatusIndex }).from(badgeIssuer).where(eq(badgeIssuer.organisationId, organisationId)));
	if (!issuer || Number(issuer.next) <= (number - 1) * STATUS_LIST_LENGTH) return undefined;
	return await writeTransaction(db, async () => {
		await lockStatusLists(db, organisationId, now);
		return (await storedStatusList(db, organisationId, number)) ?? (await signStatusList(db, origin, organisationId, number, now));
	});
}
