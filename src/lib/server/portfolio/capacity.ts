/**
 * How many portfolio documents may be rendered at once (issue 13, item 3; OWASP ASVS 5.0 §15.1.3,
 * §15.2.2: resource-demanding work limited per user and per application). A 20-attempt render takes
 * about a second of CPU: eight clients looping on downloads pushed another user's median page time
 * from 112 ms to 2.1 s. So each user has one render at a time (a second asks again when the first is
 * done: 429), and the centre a few (a render beyond them is told when to try again: 503 with
 * Retry-After, RFC 9110 §10.2.3).
 *
 * In memory: one server process serves the centre (adapter-node, one SQLite file).
 */

export interface RenderSlot {
	/** Frees the slot; a second call does nothing. */
	release(): void;
}

export type RenderRefusal =
	| { code: 'render.user-busy'; status: 429; message: string }
	| { code: 'render.centre-busy'; status: 503; message: string; retryAfterSeconds: number };

export type RenderStart = { ok: true; value: RenderSlot } | { ok: false; error: RenderRefusal };

export interface RenderCapacity {
	/** A slot for `userId`'s render, or why there is none now. */
	start(userId: string): RenderStart;
	/** Renders under way. */
	active(): number;
}

/** A render of the largest portfolio takes about a second; a few seconds leave room for the queue ahead. */
export const RETRY_AFTER_SECONDS = 5;

export function renderCapacity(centreWide: number): RenderCapacity {
	const rendering = new Set<string>();
	return {
		start(userId) {
			if (rendering.has(userId)) {
				return {
					ok: false,
					error: { code: 'render.user-busy', status: 429, message: 'Your previous document is still being made. Wait for it to finish, then ask for the next one.' }
				};
			}
			if (rendering.size >= centreWide) {
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
			rendering.add(userId);
			let released = false;
			return {
				ok: true,
				value: {
					release() {
						if (released) return;
						released = true;
						rendering.delete(userId);
					}
				}
			};
		},
		active: () => rendering.size
	};
}

/** PORTFOLIO_RENDERS: renders at once across the centre (default 2, one per core of a small server). */
export function centreWideRenders(setting: string | undefined): number {
	const value = Number((setting ?? '').trim() || 2);
	return Number.isInteger(value) && value >= 1 ? value : 2;
}
