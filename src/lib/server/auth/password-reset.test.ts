import { dbAll, dbRun, dbGet } from '$lib/core/database';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import type { Db } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import { loginThrottle, passwordReset, securityEvent, session, user } from '$lib/server/db/schema';
import { smtpMailer, type Mailer } from '$lib/server/mail';
import { createSession, generateSessionToken, validateSessionToken } from './session';
import { RESET_POLICY } from './throttle';
import { LINK_NOT_WORKING, RESET_LINK_LIFETIME_MS, RESET_REQUESTED, completePasswordReset, findResetLink, requestPasswordReset } from './password-reset';
import { createUser, logIn } from './user';

/**
 * The reset service against a real database and a real SMTP peer: smtp-server on a local port
 * stands in for the centre's mail server, and nodemailer (smtpMailer) talks to it as it would to
 * the real one. Time is injected.
 */

interface Received {
	to: string[];
	raw: string;
}

const received: Received[] = [];
let smtp: SMTPServer;
let mailer: Mailer;

beforeAll(async () => {
	smtp = new SMTPServer({
		disabledCommands: ['STARTTLS'],
		allowInsecureAuth: true,
		authOptional: true,
		logger: false,
		onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
		onData(stream, sessionInfo, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				received.push({ to: sessionInfo.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
	const { port } = smtp.server.address() as { port: number };
	mailer = smtpMailer({ url: `smtp://centre:secret@127.0.0.1:${port}`, from: 'Custodian <custodian@centre.example>' });
});

afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

/** The body of a received message, quoted-printable undone. */
function body(message: Received): string {
	const [head = '', ...rest] = message.raw.split(/\r?\n\r?\n/);
	const text = rest.join('\n\n');
	if (!/content-transfer-encoding:\s*quoted-printable/i.test(head)) return text;
	return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function tokenIn(message: Received): string {
	const match = /https:\/\/custodian\.example\/login\/reset\/([A-Za-z0-9_-]+)/.exec(body(message));
	if (!match) throw new Error(`no reset link in: ${message.raw}`);
	return match[1]!;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;
const ORIGIN = 'https://custodian.example';
const from = (address = '203.0.113.7') => ({ address, routeId: '/login/forgot', requestId: null });
const OLD_PASSWORD = 'the old password';
const NEW_PASSWORD = 'a lighthouse keeps nine kettles';

async function ask(db: Db, email: string, now = T0, address?: string) {
	const result = await requestPasswordReset(db, mailer, { email, origin: ORIGIN }, from(address), now);
	if (result.ok) await result.delivery;
	return result;
}

async function eventsOf(db: Db, type: string) {
	return (await dbAll(db.select().from(securityEvent))).filter((e) => e.type === type);
}

describe('password reset by email', () => {
	let db: Db;
	let userId: string;
	beforeEach(async () => {
		received.length = 0;
		db = await createServerTestDb();
		userId = (await createUser(db, { organisationId: 'centre-1', email: 'Rhian.Jones@example.org', displayName: 'Rhian Jones', password: OLD_PASSWORD, roles: ['learner'] })).id;
	});

	it('emails a link whose token is stored only as its SHA-256, and lets it set a new password once', async () => {
		const answer = await ask(db, '  RHIAN.jones@example.org ');
		expect(answer).toMatchObject({ ok: true });
		expect(received).toHaveLength(1);
		expect(received[0]!.to).toEqual(['rhian.jones@example.org']);
		expect(received[0]!.raw).toMatch(/^From: Custodian <custodian@centre\.example>/m);
		const token = tokenIn(received[0]!);
		// 32 random bytes, base64url without padding.
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const [row] = await dbAll(db.select().from(passwordReset));
		expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(await dbAll(db.select().from(passwordReset)))).not.toContain(token);
		expect(row!.expiresAt - row!.createdAt).toBe(30 * MINUTE);

		const done = await completePasswordReset(db, token, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, from(), T0 + MINUTE);
		expect(done.ok).toBe(true);
		expect((await logIn(db, { email: 'rhian.jones@example.org', password: NEW_PASSWORD }, from('198.51.100.1'), T0 + 2 * MINUTE)).ok).toBe(true);
		expect((await logIn(db, { email: 'rhian.jones@example.org', password: OLD_PASSWORD }, from('198.51.100.2'), T0 + 2 * MINUTE)).ok).toBe(false);

		// Used once: the same link again is refused with the one message, and changes nothing.
		const again = await completePasswordReset(db, token, { newPassword: 'another long sentence here', confirmPassword: 'another long sentence here' }, from(), T0 + 3 * MINUTE);
		expect(again).toEqual({ ok: false, reason: 'link', message: LINK_NOT_WORKING });
		expect(await findResetLink(db, token, T0 + 3 * MINUTE)).toBeNull();
		expect((await logIn(db, { email: 'rhian.jones@example.org', password: NEW_PASSWORD }, from('198.51.100.3'), T0 + 4 * MINUTE)).ok).toBe(true);
	});

	it('lets a link work until 30 minutes have passed, and not from then on', async () => {
		await ask(db, 'rhian.jones@example.org');
		const token = tokenIn(received[0]!);
		expect((await findResetLink(db, token, T0 + RESET_LINK_LIFETIME_MS - 1))?.user.id).toBe(userId);
		expect(await findResetLink(db, token, T0 + RESET_LINK_LIFETIME_MS)).toBeNull();
		const late = await completePasswordReset(db, token, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, from(), T0 + RESET_LINK_LIFETIME_MS);
		expect(late).toEqual({ ok: false, reason: 'link', message: LINK_NOT_WORKING });
		expect((await logIn(db, { email: 'rhian.jones@example.org', password: OLD_PASSWORD }, from(), T0 + 31 * MINUTE)).ok).toBe(true);
	});

	it('retires the earlier links of an account when a new one is asked for', async () => {
		await ask(db, 'rhian.jones@example.org', T0);
		await ask(db, 'rhian.jones@example.org', T0 + MINUTE);
		const [first, second] = received.map(tokenIn);
		expect(first).not.toBe(second);
		expect(await findResetLink(db, first!, T0 + 2 * MINUTE)).toBeNull();
		const withFirst = await completePasswordReset(db, first!, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, from(), T0 + 2 * MINUTE);
		expect(withFirst).toMatchObject({ ok: false, reason: 'link' });
		const withSecond = await completePasswordReset(db, second!, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, from(), T0 + 2 * MINUTE);
		expect(withSecond.ok).toBe(true);
	});

	it('answers an email no account has exactly as one an account has, and sends nothing', async () => {
		const known = await ask(db, 'rhian.jones@example.org', T0, '203.0.113.10');
		const unknown = await ask(db, 'nobody@example.org', T0, '203.0.113.11');
		expect(Object.keys(unknown)).toEqual(Object.keys(known));
		expect(unknown.ok && known.ok).toBe(true);
		expect(received.map((m) => m.to)).toEqual([['rhian.jones@example.org']]);
		expect(await dbAll(db.select().from(passwordReset))).toHaveLength(1);
		// Both are logged: the account by its id, the unknown email as typed.
		const requested = await eventsOf(db, 'password.reset.requested');
		expect(requested.map((e) => [e.userId, e.email, e.detail?.sent])).toEqual([
			[userId, null, true],
			[null, 'nobody@example.org', false]
		]);
		expect(RESET_REQUESTED).toMatch(/^If an account has this email address/);
	});

	it('sends nothing for a deactivated account, and its earlier link stops working', async () => {
		await ask(db, 'rhian.jones@example.org');
		await dbRun(db.update(user).set({ active: false }).where(eq(user.id, userId)));
		expect(await findResetLink(db, tokenIn(received[0]!), T0 + MINUTE)).toBeNull();
		await ask(db, 'rhian.jones@example.org', T0 + MINUTE);
		expect(received).toHaveLength(1);
	});

	it('throttles requests per typed email, whether or not an account has it, and per address', async () => {
		for (const email of ['rhian.jones@example.org', 'nobody@example.org']) {
			const answers = [];
			for (let i = 0; i <= RESET_POLICY.freeFailures; i++) answers.push(await ask(db, email, T0, `203.0.113.${20 + i}`));
			expect(answers.map((a) => a.ok)).toEqual([true, true, true, true]);
			const next = await ask(db, email, T0, '203.0.113.30');
			expect(next.ok).toBe(false);
			if (!next.ok) expect(next.message).toMatch(/^Too many requests for a reset link\. Wait 1 second/);
		}
		// Free failures plus the one a zero delay allows: four mails to the account, then none.
		expect(received).toHaveLength(RESET_POLICY.freeFailures + 1);
		// The address: after its allowance, any email from it is refused.
		const fresh = await createServerTestDb();
		const answers = [];
		for (let i = 0; i < 25; i++) answers.push((await requestPasswordReset(fresh, mailer, { email: `person${i}@example.org`, origin: ORIGIN }, from('203.0.113.99'), T0)).ok);
		expect(answers.filter((ok) => !ok).length).toBeGreaterThan(0);
		// Never the log-in's keys: asking for links does not slow anyone's log-in.
		expect((await dbAll(db.select().from(loginThrottle))).every((row) => row.key.startsWith('reset'))).toBe(true);
		expect((await eventsOf(db, 'password.reset.requested')).some((e) => e.detail?.throttled === true)).toBe(true);
	});

	it('holds the new password to the password rules and keeps the link while it is refused', async () => {
		await ask(db, 'rhian.jones@example.org');
		const token = tokenIn(received[0]!);
		const attempt = (newPassword: string, confirmPassword = newPassword) => completePasswordReset(db, token, { newPassword, confirmPassword }, from(), T0 + MINUTE);
		expect(await attempt('short')).toMatchObject({ ok: false, reason: 'invalid', errors: { newPassword: 'Use at least 12 characters.' } });
		expect(await attempt('password1234')).toMatchObject({ ok: false, reason: 'invalid', errors: { newPassword: expect.stringMatching(/common and breached/) } });
		expect(await attempt('rhian loves long walks')).toMatchObject({ ok: false, reason: 'invalid', errors: { newPassword: expect.stringMatching(/your name/) } });
		expect(await attempt(NEW_PASSWORD, 'something else entirely')).toMatchObject({ ok: false, reason: 'invalid', errors: { confirmPassword: 'The two new passwords are not the same.' } });
		expect((await findResetLink(db, token, T0 + MINUTE))?.user.id).toBe(userId);
		expect((await attempt(NEW_PASSWORD)).ok).toBe(true);
	});

	it('ends every session of the account, clears a one-time password and its log-in failures, and logs the reset', async () => {
		await dbRun(db.update(user).set({ mustChangePassword: true, oneTimePasswordExpiresAt: T0 + 60 * MINUTE }).where(eq(user.id, userId)));
		const tokens = [generateSessionToken(), generateSessionToken()];
		for (const t of tokens) await createSession(db, t, userId, T0);
		for (let i = 0; i < 5; i++) await logIn(db, { email: 'rhian.jones@example.org', password: `wrong ${i}` }, from('198.51.100.9'), T0 + i * 70_000);
		expect((await dbAll(db.select().from(loginThrottle))).some((r) => r.key === 'account:rhian.jones@example.org')).toBe(true);

		await ask(db, 'rhian.jones@example.org', T0 + 6 * MINUTE);
		const done = await completePasswordReset(db, tokenIn(received[0]!), { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, from(), T0 + 7 * MINUTE);
		expect(done.ok).toBe(true);
		expect(await dbAll(db.select().from(session).where(eq(session.userId, userId)))).toEqual([]);
		for (const t of tokens) expect((await validateSessionToken(db, t, T0 + 8 * MINUTE)).session).toBeNull();
		const row = (await dbGet(db.select().from(user).where(eq(user.id, userId))))!;
		expect(row.mustChangePassword).toBe(false);
		expect(row.oneTimePasswordExpiresAt).toBeNull();
		expect((await dbAll(db.select().from(loginThrottle))).some((r) => r.key === 'account:rhian.jones@example.org')).toBe(false);
		const completed = await eventsOf(db, 'password.reset.completed');
		expect(completed).toHaveLength(1);
		expect(completed[0]).toMatchObject({ userId, address: '203.0.113.7', routeId: '/login/forgot', detail: { fromOneTimePassword: true } });
		// Never the token or a password in the log.
		const logged = JSON.stringify(await dbAll(db.select().from(securityEvent)));
		expect(logged).not.toContain(tokenIn(received[0]!));
		expect(logged).not.toContain(NEW_PASSWORD);
	});

	it('refuses an unknown or malformed token with the one message, and logs the refusal', async () => {
		for (const token of ['', 'x'.repeat(500), 'not-a-real-id', 'A'.repeat(43)]) {
			expect(await completePasswordReset(db, token, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, from(), T0)).toEqual({ ok: false, reason: 'link', message: LINK_NOT_WORKING });
		}
		expect(await eventsOf(db, 'password.reset.refused')).toHaveLength(4);
	});

	it('lets only one of two parallel uses of a link set the password', async () => {
		await ask(db, 'rhian.jones@example.org');
		const token = tokenIn(received[0]!);
		const results = await Promise.all(
			['first long sentence password', 'second long sentence password'].map((p) => completePasswordReset(db, token, { newPassword: p, confirmPassword: p }, from(), T0 + MINUTE))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(await eventsOf(db, 'password.reset.completed')).toHaveLength(1);
	});
});
