/**
 * The public check of a badge (/verify): a pasted or uploaded OpenBadgeCredential is valid (this
 * centre issued it, and it is unchanged and not revoked), revoked, tampered with, or not this
 * server's to vouch for. Checked by the VC library's own verifier with the loader that never
 * fetches. What it shows is the centre, the achievement and the dates: never who holds it.
 */
import { eq } from 'drizzle-orm';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { dbGet, type Db } from '$lib/core/database';
import { organisation } from '$lib/server/db/schema';
import { badgeDocumentLoader, ownUrl } from './documents';

/** Longest credential read (the characters of its JSON): ours are about 3 KB, and pasted into /verify this fits its 64 KB form limit even percent-encoded. */
export const CREDENTIAL_MAX_CHARS = 16 * 1024;

/**
 * How many checks anyone may ask of this process: `burst` at once, then `perSecond` (a token bucket).
 * A check costs 8–26 ms of CPU on the main thread and /verify is public, so without a budget a
 * stream of checks would take the server from everyone else; at 4 a second they take at most a
 * tenth of a core.
 */
export function checkBudget(perSecond = 4, burst = 30, clock: () => number = Date.now) {
	let tokens = burst;
	let at = clock();
	return {
		take(): boolean {
			const now = clock();
			tokens = Math.min(burst, tokens + ((now - at) / 1000) * perSecond);
			at = now;
			if (tokens < 1) return false;
			tokens -= 1;
			return true;
		}
	};
}

/** The budget of the public /verify page's badge checks, shared by every visitor of this process. */
export const publicBadgeChecks = checkBudget();
export const BUSY_MESSAGE = 'Many badges are being checked just now. Try again in a minute.';

export type BadgeCheckOutcome = 'valid' | 'revoked' | 'tampered' | 'unknown-issuer';

export interface BadgeCheck {
	outcome: BadgeCheckOutcome;
	/** Plain words for the person checking. */
	message: string;
	centre: string | null;
	achievement: string | null;
	validFrom: string | null;
}

export type BadgeCheckResult = { ok: true; value: BadgeCheck } | { ok: false; error: { field: 'credential'; message: string } };

function issuerIdOf(credential: Record<string, unknown>): string | undefined {
	const issuer = credential.issuer;
	if (typeof issuer === 'string') return issuer;
	if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string') return (issuer as { id: string }).id;
	return undefined;
}

function achievementNameOf(credential: Record<string, unknown>): string | null {
	const subject = credential.credentialSubject as { achievement?: { name?: unknown } } | undefined;
	const name = subject && typeof subject === 'object' ? subject.achievement?.name : undefined;
	return typeof name === 'string' ? name.slice(0, 200) : null;
}

/** Reads and checks a credential given as JSON text. */
export async function checkBadgeText(db: Db, origin: string, text: string): Promise<BadgeCheckResult> {
	if (text.trim() === '') return { ok: false, error: { field: 'credential', message: 'Paste the badge’s JSON, or choose its .json file.' } };
	if (text.length > CREDENTIAL_MAX_CHARS) return { ok: false, error: { field: 'credential', message: `That is longer than any badge this centre issues (${CREDENTIAL_MAX_CHARS / 1024} KB at most): check you pasted the badge alone.` } };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { ok: false, error: { field: 'credential', message: 'That is not JSON: paste the whole badge file, from its first { to its last }.' } };
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, error: { field: 'credential', message: 'That JSON is not a credential: a badge is one JSON object.' } };
	const credential = parsed as Record<string, unknown>;
	const types = Array.isArray(credential.type) ? credential.type : [credential.type];
	if (!types.includes('VerifiableCredential')) return { ok: false, error: { field: 'credential', message: 'That JSON is not a verifiable credential (its type does not include VerifiableCredential).' } };
	return { ok: true, value: await checkBadge(db, origin, credential) };
}

/** Checks a parsed credential. */
export async function checkBadge(db: Db, origin: string, credential: Record<string, unknown>, now = new Date()): Promise<BadgeCheck> {
	const issuerId = issuerIdOf(credential);
	const own = issuerId ? ownUrl(origin, issuerId) : undefined;
	const centre = own?.kind === 'did' ? await dbGet(db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, own.organisationId))) : undefined;
	const validFrom = typeof credential.validFrom === 'string' ? credential.validFrom.slice(0, 40) : null;
	const achievement = achievementNameOf(credential);
	if (!centre) {
		return { outcome: 'unknown-issuer', message: 'This badge was not issued by a centre on this server, so this page cannot vouch for it. Check it with its issuer.', centre: null, achievement, validFrom };
	}
	const result = await vc.verifyCredential({
		credential,
		suite: new DataIntegrityProof({ cryptosuite }),
		documentLoader: badgeDocumentLoader(db, origin),
		checkStatus,
		now
	});
	const base = { centre: centre.name, achievement, validFrom };
	if (result.verified && result.statusResult?.results?.some((r) => r.status === true)) {
		return { outcome: 'revoked', message: `${centre.name} issued this badge and has revoked it: it no longer stands.`, ...base };
	}
	if (result.verified) return { outcome: 'valid', message: `Valid: ${centre.name} issued this badge, it is unchanged since, and it has not been revoked.`, ...base };
	return {
		outcome: 'tampered',
		message: 'Not valid: this badge names this centre as its issuer, but it has been changed since it was signed (or its signature is not one of the centre’s keys). Do not rely on it.',
		...base
	};
}
