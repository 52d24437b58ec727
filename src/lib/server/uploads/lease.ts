/**
 * One request appending to an upload at a time, across every instance: the request claims the
 * upload's row with a conditional UPDATE (it succeeds for one request only), holds the claim while
 * its bytes arrive, renews it as they keep coming, and lets it go at the end. A claim lapses when
 * not renewed, so a request on an instance that crashed mid-piece frees the upload for the next.
 *
 * Lapsing is judged by the clocks of the instances (the row keeps an ISO time): they must agree to
 * well within APPEND_LEASE_MS, as NTP keeps them. A request renews when a quarter of the lease has
 * gone, before it writes more bytes, and stops writing if its claim was taken over meanwhile.
 */
import { dbRun } from '$lib/core/database';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { upload } from '$lib/server/db/evidence';

/** How long a claim lasts unless renewed. A stalled request gives the upload up after this long. */
export const APPEND_LEASE_MS = 60_000;

export interface AppendLease {
	uploadId: string;
	token: string;
	/** When the claim was last made or renewed (ms since the epoch, this instance's clock). */
	renewedAt: number;
}

const leaseUntil = (at: Date): string => new Date(at.getTime() + APPEND_LEASE_MS).toISOString();

/** The row, only while this request holds it. */
export const heldBy = (lease: AppendLease) => and(eq(upload.id, lease.uploadId), eq(upload.appendLease, lease.token));

/**
 * Claims the upload for one request appending at `offset`: only while it is still receiving, has
 * exactly `offset` bytes, and no other request holds an unexpired claim. Null when that is not so.
 */
export async function claimAppend(db: Db, uploadId: string, offset: number, now = new Date()): Promise<AppendLease | null> {
	const token = crypto.randomUUID();
	const claimed = (await dbRun(db
		.update(upload)
		.set({ appendLease: token, appendLeaseUntil: leaseUntil(now) })
		.where(
			and(
				eq(upload.id, uploadId),
				eq(upload.state, 'receiving'),
				eq(upload.receivedBytes, offset),
				or(isNull(upload.appendLeaseUntil), lt(upload.appendLeaseUntil, now.toISOString()))
			)
		))).changes;
	return claimed === 1 ? { uploadId, token, renewedAt: now.getTime() } : null;
}

/**
 * Keeps the claim alive while bytes still arrive: renews it once a quarter of it has gone. False
 * when the claim was taken over (it lapsed), and the request must write nothing more.
 */
export async function renewAppend(db: Db, lease: AppendLease, now = new Date()): Promise<boolean> {
	if (now.getTime() - lease.renewedAt < APPEND_LEASE_MS / 4) return true;
	const renewed = (await dbRun(db.update(upload).set({ appendLeaseUntil: leaseUntil(now) }).where(heldBy(lease)))).changes === 1;
	if (renewed) lease.renewedAt = now.getTime();
	return renewed;
}

/** Lets the upload go (when this request still holds it). */
export async function releaseAppend(db: Db, lease: AppendLease): Promise<void> {
	await dbRun(db.update(upload).set({ appendLease: null, appendLeaseUntil: null }).where(heldBy(lease)));
}
