/**
 * How many portfolio documents may be rendered at once (issue 13, item 3; OWASP ASVS 5.0 §15.1.3,
 * §15.2.2: resource-demanding work limited per user and per application). A 20-attempt render takes
 * about a second of CPU: eight clients looping on downloads pushed another user's median page time
 * from 112 ms to 2.1 s. So each user has one render at a time (a second asks again when the first is
 * done: 429), and the centre a few (a render beyond them is told when to try again: 503 with
 * Retry-After, RFC 9110 §10.2.3).
 *
 * Across instances (issue 18 item 3): the user's one render is a row in render_slot, taken in one
 * write transaction, so a second render asked of another instance behind the load balancer is refused
 * too; the row expires after RENDER_SLOT_MS, so an instance that dies mid-render frees it. The
 * centre-wide limit stays in each instance's memory, on purpose: it protects that instance's own
 * cores (a render is CPU in its worker threads), and N instances have N times the cores; sharing it
 * would let a busy instance refuse renders that an idle one could make at once.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, lte } from 'drizzle-orm';
import { dbAll, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { renderSlot } from '$lib/server/db/jobs';
import { instanceId } from '$lib/server/jobs/instance';

export interface RenderSlot {
	/** Frees the slot; a second call does nothing. */
	release(): Promise<void>;
}

export type RenderRefusal =
	| { code: 'render.user-busy'; status: 429; message: string }
	| { code: 'render.centre-busy'; status: 503; message: string; retryAfterSeconds: number };

export type RenderStart = { ok: true; value: RenderSlot } | { ok: false; error: RenderRefusal };

export interface RenderCapacity {
	/** A slot for `userId`'s render, or why there is none now. */
	start(userId: string): Promise<RenderStart>;
	/** Renders under way on this instance. */
	active(): number;
}

/** A render of the largest portfolio takes about a second; a few seconds leave room for the queue ahead. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * How long a user's slot holds without being released: far longer than any render and its download
 * take, and the longest a user waits after the instance rendering for them died.
 */
export const RENDER_SLOT_MS = 5 * 60_000;

export interface CapacityOptions {
	/** This instance (default: instanceId()). */
	holder?: string;
	/** The clock (tests move it). */
	clock?: () => Date;
}

/** Takes the user's slot for `token` unless another unexpired one holds it; true when taken. */
async function takeUserSlot(db: Db, userId: string, token: string, holder: string, now: Date): Promise<boolean> {
	const slot = { token, holder, expiresAt: new Date(now.getTime() + RENDER_SLOT_MS).toISOString() };
	return (await writeTransaction(db, async () =>
		await dbAll(db
			.insert(renderSlot)
			.values({ userId, ...slot })
			.onConflictDoUpdate({ target: renderSlot.userId, set: slot, setWhere: lte(renderSlot.expiresAt, now.toISOString()) })
			.returning({ userId: renderSlot.userId }))
	)).length === 1;
}

async function freeUserSlot(db: Db, userId: string, token: string): Promise<void> {
	await dbRun(db.delete(renderSlot).where(and(eq(renderSlot.userId, userId), eq(renderSlot.token, token))));
}

/** The renders of this instance, at most `centreWide` at once, and each user's one render across instances. */
export function renderCapacity(centreWide: number, db: Db, { holder = instanceId(), clock = () => new Date() }: CapacityOptions = {}): RenderCapacity {
	const rendering = new Set<string>();
	return {
		async start(userId) {
			const token = randomUUID();
			if (!await takeUserSlot(db, userId, token, holder, clock())) {
				return {
					ok: false,
					error: { code: 'render.user-busy', status: 429, message: 'Your previous document is still being made. Wait for it to finish, then ask for the next one.' }
				};
			}
			if (rendering.size >= centreWide) {
				await freeUserSlot(db, userId, token);
				return {
					ok: false,
					error: {
						code: 'render.centre-busy',
						status: 503,
						message: `Other documents are being made for your centre just now. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
						retryAfterSeconds: RETRY_AFTER_SECONDS
					}
				};
			}
			rendering.add(token);
			let released = false;
			return {
				ok: true,
				value: {
					async release() {
						if (released) return;
						released = true;
						rendering.delete(token);
						await freeUserSlot(db, userId, token);
					}
				}
			};
		},
		active: () => rendering.size
	};
}

/** PORTFOLIO_RENDERS: renders at once on each instance (default 2, one per core of a small server). */
export function centreWideRenders(setting: string | undefined): number {
	const value = Number((setting ?? '').trim() || 2);
	return Number.isInteger(value) && value >= 1 ? value : 2;
}
