import { eq } from 'drizzle-orm';
import { closeDatabase, dbGet, openDatabase } from '../../../src/lib/core/database';
import { user } from '../../../src/lib/server/db/schema';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, decodeHex } from '@oslojs/encoding';
import { e2eDatabasePath } from './fingerprint';

/**
 * TOTP codes for the end-to-end tests. The server accepts a code once: a step at or before the
 * last one accepted for an account is refused (src/lib/server/auth/mfa.ts). A test may log in as
 * one account more than once, and tests of the demo log in as its accounts in parallel, so codes are
 * never computed from the clock alone:
 * each is for a step after the one the server last accepted (read from its database), and one
 * test at a time per account holds a lock from choosing the code until the server has answered.
 */
const PERIOD_MS = 30_000;
const DIGITS = 6;

function artifacts(): string {
	return `tests/.artifacts/mfa-${process.env.E2E_PORT}`;
}

export function baseURL(): string {
	return `http://localhost:${process.env.E2E_PORT}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `run` holding a lock shared by every worker (a directory: mkdir is atomic). */
export async function withLock<T>(name: string, run: () => Promise<T>): Promise<T> {
	mkdirSync(artifacts(), { recursive: true });
	const path = `${artifacts()}/${name}.lock`;
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			mkdirSync(path);
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			// A worker that died leaves its lock behind; no holder keeps one for more than a minute and a half.
			try {
				if (Date.now() - statSync(path).mtimeMs > 90_000) rmSync(path, { recursive: true, force: true });
			} catch {
				// released meanwhile
			}
			if (Date.now() > deadline) throw new Error(`the lock ${name} was not released`);
			await sleep(100);
		}
	}
	try {
		return await run();
	} finally {
		rmSync(path, { recursive: true, force: true });
	}
}

/** The account's TOTP key and last accepted step, read from the server's database (SQLite or PostgreSQL). */
async function totpOf(email: string): Promise<{ key: string | null; lastStep: number | null } | undefined> {
	const db = openDatabase(e2eDatabasePath(), { migrate: false });
	try {
		return await dbGet(db.select({ key: user.totpKey, lastStep: user.totpLastStep }).from(user).where(eq(user.email, email.toLowerCase())));
	} finally {
		await closeDatabase(db);
	}
}

/**
 * A code of the account's key for a step the server has not accepted yet: this step's, or the
 * next one's (accepted already: one step of clock drift either side), or, when both were used,
 * the next one's once its turn comes (at most 30 s). Call it inside withLock(email, …).
 */
export async function unusedCode(email: string): Promise<string> {
	const row = await totpOf(email);
	if (!row?.key) throw new Error(`${email} has no TOTP key`);
	const now = Date.now();
	const current = Math.floor(now / PERIOD_MS);
	const step = row.lastStep === null ? current : Math.max(current, row.lastStep + 1);
	if (step > current + 1) await sleep((step - 1) * PERIOD_MS - now + 250);
	return generateHOTP(decodeHex(row.key), BigInt(step), DIGITS);
}

/** The code an authenticator app would show now for a key typed from the enrolment page. */
export function codeForManualKey(manualKey: string, at = Date.now()): string {
	const key = decodeBase32IgnorePadding(manualKey.replace(/\s+/g, ''));
	return generateHOTP(key, BigInt(Math.floor(at / PERIOD_MS)), DIGITS);
}

/** The code of a key for the step after the current one: a different code the server still accepts. */
export function nextCodeForManualKey(manualKey: string, at = Date.now()): string {
	return codeForManualKey(manualKey, at + PERIOD_MS);
}

/**
 * MFA enrolment as a user does it on /account/mfa: reads the key shown for manual entry, enters
 * the code an app would show, and keeps the recovery codes shown once. Ends on the page the
 * continue link leads to.
 */
export async function enrolMfa(page: Page): Promise<{ manualKey: string; recoveryCodes: string[] }> {
	await expect(page).toHaveURL(/\/account\/mfa(\?|$)/);
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
	const manualKey = (await page.locator('#totp-key').textContent())!.trim();
	await page.getByLabel('Code from your app').fill(codeForManualKey(manualKey));
	await page.getByRole('button', { name: 'Turn on two-step log-in' }).click();
	await expect(page.getByRole('heading', { name: 'Store these recovery codes now' })).toBeVisible();
	const recoveryCodes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map((c) => c.trim());
	await page.getByRole('link', { name: /I have stored them/ }).click();
	await expect(page).not.toHaveURL(/\/account\/mfa/);
	return { manualKey, recoveryCodes };
}
