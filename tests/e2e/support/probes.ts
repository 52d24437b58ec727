import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { generateTOTP } from '@oslojs/otp';
import { expect, type APIRequestContext } from '@playwright/test';
import { e2eDatabasePath } from './fingerprint';

/**
 * Accounts of a test's own, written straight into the e2e server's database (password: the demo
 * password, whose hash is copied from a demo account). Staff accounts are enrolled in MFA with a key
 * of their own, so the test can compute their codes; each logs in once, so no code is ever replayed.
 */
export interface ProbeAccount {
	id: string;
	email: string;
	roles: string[];
	totpKey: Uint8Array | null;
}

const STAFF = new Set(['assessor', 'tutor', 'admin', 'iqa', 'eqa']);

export function createProbeAccounts(
	prefix: string,
	specs: readonly { roles: string[]; mustChangePassword?: boolean }[]
): ProbeAccount[] {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		const demo = db.prepare(`SELECT organisation_id AS org, password_hash AS hash FROM user WHERE email = 'learner@custodian.test'`).get() as {
			org: string;
			hash: string;
		};
		const now = new Date().toISOString();
		const made = specs.map((spec) => {
			const staff = spec.roles.some((role) => STAFF.has(role));
			return {
				id: randomUUID(),
				email: `${prefix}-${spec.roles.join('-') || 'none'}-${randomUUID().slice(0, 8)}@custodian.test`,
				roles: spec.roles,
				totpKey: staff ? new Uint8Array(randomBytes(20)) : null,
				mustChangePassword: spec.mustChangePassword ?? false
			};
		});
		db.transaction(() => {
			for (const account of made) {
				db.prepare(
					`INSERT INTO user (id, organisation_id, email, display_name, password_hash, must_change_password, active, created_at, totp_key, mfa_enrolled_at)
					 VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`
				).run(
					account.id,
					demo.org,
					account.email,
					`${prefix} ${account.roles.join(' ')}`,
					demo.hash,
					account.mustChangePassword ? 1 : 0,
					now,
					account.totpKey ? Buffer.from(account.totpKey).toString('hex') : null,
					account.totpKey ? now : null
				);
				for (const role of account.roles) db.prepare(`INSERT INTO user_role (user_id, role) VALUES (?, ?)`).run(account.id, role);
			}
		}).immediate();
		return made.map(({ id, email, roles, totpKey }) => ({ id, email, roles, totpKey }));
	} finally {
		db.close();
	}
}

export function currentTotp(key: Uint8Array): string {
	return generateTOTP(key, 30, 6);
}

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/**
 * A client address of the request's own (RFC 2544's 198.18.0.0/15, as fixtures.ts newClientAddress):
 * the e2e server reads the client from X-Forwarded-For, and without one every raw request would come
 * from the loopback address, so the route matrix's hostile log-in posts would add up on one address
 * throttle and slow a later log-in of another test to a 429.
 */
function ownAddress(): string {
	const [a, b, c] = randomBytes(3);
	return `198.${18 + (a! & 1)}.${b}.${c}`;
}

/**
 * One HTTP request with the path sent exactly as given: no client normalises its dot segments,
 * doubled slashes or percent-encoding, as an attacker's client would not. It comes from an address
 * of its own unless `headers` names one.
 */
export function rawRequest(
	baseURL: string,
	method: 'GET' | 'POST',
	rawPath: string,
	headers: Record<string, string> = {},
	body?: string
): Promise<RawResponse> {
	const base = new URL(baseURL);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: base.hostname,
				port: base.port,
				method,
				path: rawPath,
				agent: false,
				headers: {
					origin: base.origin,
					accept: 'text/html',
					'x-forwarded-for': ownAddress(),
					...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}),
					...headers
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

function sessionCookie(response: RawResponse): string | null {
	const cookies = response.headers['set-cookie'] ?? [];
	for (const cookie of Array.isArray(cookies) ? cookies : [cookies]) {
		const match = /^((?:__Host-)?session)=([^;]+)/.exec(cookie);
		if (match && match[2]) return `${match[1]}=${match[2]}`;
	}
	return null;
}

/**
 * Logs an account in as a browser would (password, then the MFA step when the server asks for it)
 * and returns the Cookie header of the session.
 */
export async function logInRaw(baseURL: string, account: ProbeAccount, password: string): Promise<string> {
	const form = new URLSearchParams({ email: account.email, password }).toString();
	const login = await rawRequest(baseURL, 'POST', '/login', {}, form);
	if (login.status !== 303) throw new Error(`log-in of ${account.email} answered ${login.status}`);
	let cookie = sessionCookie(login);
	if (!cookie) throw new Error(`log-in of ${account.email} set no session cookie`);
	const next = String(login.headers['location'] ?? '');
	if (next.startsWith('/account/mfa/verify')) {
		if (!account.totpKey) throw new Error(`${account.email} was asked for a code but has no key`);
		const code = new URLSearchParams({ code: currentTotp(account.totpKey) }).toString();
		const verified = await rawRequest(baseURL, 'POST', '/account/mfa/verify', { cookie }, code);
		if (verified.status !== 303) throw new Error(`MFA step of ${account.email} answered ${verified.status}`);
		cookie = sessionCookie(verified) ?? cookie;
	}
	return cookie;
}

/**
 * Logs a Playwright request client in (password, then the second step when the server asks for it),
 * so that the client's cookie jar holds a session that has passed MFA.
 */
export async function logInClient(client: APIRequestContext, account: { email: string; totpKey: Uint8Array | null }, password: string): Promise<void> {
	const login = await client.post('/login', { form: { email: account.email, password }, maxRedirects: 0 });
	expect(login.status(), `log in as ${account.email}`).toBe(303);
	if (!String(login.headers()['location']).startsWith('/account/mfa/verify')) return;
	expect(account.totpKey, `${account.email} was asked for a code`).toBeTruthy();
	const verified = await client.post('/account/mfa/verify', { form: { code: currentTotp(account.totpKey!) }, maxRedirects: 0 });
	expect(verified.status(), `second step for ${account.email}`).toBe(303);
}
