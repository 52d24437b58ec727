// `npm run demo:code -- EMAIL`: the current MFA code of a demo account, for someone trying the demo
// (staff demo accounts are enrolled with a fixed key: src/lib/server/demo.ts, README). Reads the
// key from the database, and only for accounts of the demo centre: a real centre's keys are its own.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { generateHOTP } from '@oslojs/otp';
import { decodeHex } from '@oslojs/encoding';

const PERIOD_SECONDS = 30; // as in src/lib/server/auth/mfa.ts (RFC 6238 defaults)
const DEMO_ORGANISATION_ID = 'demo-centre';

const email = (process.argv[2] ?? '').trim().toLowerCase();
if (!email) {
	console.error('Usage: npm run demo:code -- EMAIL   (e.g. npm run demo:code -- admin@custodian.test)');
	process.exit(2);
}
const path = process.env.DATABASE_PATH ?? 'data/custodian.db';
if (!existsSync(path)) {
	console.error(`No database at ${path} (start the server once with npm start, or set DATABASE_PATH).`);
	process.exit(1);
}
const db = new Database(path, { readonly: true, fileMustExist: true });
const row = db
	.prepare(`SELECT totp_key AS key, totp_last_step AS lastStep, mfa_enrolled_at AS enrolledAt, organisation_id AS org FROM user WHERE email = ?`)
	.get(email);
db.close();
if (!row || row.org !== DEMO_ORGANISATION_ID) {
	console.error(`${email} is not a demo account.`);
	process.exit(1);
}
if (!row.key || !row.enrolledAt) {
	console.error(`${email} has not set up MFA, so it needs no code (or it was reset: log in and set it up).`);
	process.exit(1);
}
const now = Date.now();
const current = Math.floor(now / 1000 / PERIOD_SECONDS);
// A code works once (RFC 6238 §5.2): if this step's code was used, the next step's is accepted
// already, since the server allows one step of clock drift either side.
const step = row.lastStep !== null && row.lastStep >= current ? row.lastStep + 1 : current;
if (step > current + 1) {
	const wait = Math.ceil(((current + 1) * PERIOD_SECONDS * 1000 - now) / 1000);
	console.error(`The codes for now have been used. Try again in ${wait} seconds.`);
	process.exit(1);
}
const code = generateHOTP(decodeHex(row.key), BigInt(step), 6);
const left = Math.ceil(((step + 2) * PERIOD_SECONDS * 1000 - now) / 1000);
console.log(code);
console.error(`Code for ${email}: valid for about ${left} more seconds, and for one log-in.`);
