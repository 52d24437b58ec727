import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import type { CoreError } from '$lib/core/result';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { ROLES, user, userRole, type Role, type User } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { oneTimePasswordExpiry } from '$lib/server/auth/one-time-password';
import { recordActorEvent, recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import { invalidateUserSessions } from '$lib/server/auth/session';
import { normaliseEmail } from '$lib/server/auth/user';
import { parseCsv } from '$lib/server/csv';
import type { ImportedAccount, ImportProblem, ImportReport, UserListEntry as ListedUser } from '$lib/views/admin';

/** A user in the centre's list, with the server's role names. */
type UserListEntry = ListedUser<Role>;

/**
 * Administering a centre's users: accounts made with a one-time password that must be changed at
 * first log-in, deactivation (their sessions end at once), roles, and importing learners from CSV.
 * Every function is scoped to the centre: another centre's user is answered like a missing one.
 */

export type AdminResult<T> =
	| { ok: true; value: T }
	| { ok: false; error: CoreError; errors: Partial<Record<string, string>> };

function failure(code: string, message: string, field?: string): { ok: false; error: CoreError; errors: Partial<Record<string, string>> } {
	return { ok: false, error: field === undefined ? { code, message } : { code, field, message }, errors: field === undefined ? {} : { [field]: message } };
}

const NOT_FOUND = failure('user.not-found', 'That user was not found.');

/** The administrator who acts, and from where: named in the security log as the actor. */
export type AdminActor = { id: string } & Partial<RequestContext>;

/** Logged with every one-time password issued (never the password itself), inside the write that issues it. */
async function recordIssued(db: Db, by: AdminActor, userId: string, source: 'created' | 'reset' | 'import', now: Date): Promise<void> {
	await recordSecurityEvent(
		db,
		{ type: 'one-time-password.issued', userId, actorId: by.id, address: by.address, routeId: by.routeId, requestId: by.requestId, detail: { source } },
		now
	);
}

// No 0/O, 1/l/I: a one-time password is read off a screen or a slip of paper and typed.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A one-time password from the CSPRNG: four groups of four characters of a 31-letter alphabet
 * (about 79 bits), e.g. "hq7m-2xkd-9trw-b4pe". Rejection sampling keeps every letter equally likely.
 */
export function generateOneTimePassword(): string {
	const chars: string[] = [];
	const limit = 256 - (256 % PASSWORD_ALPHABET.length);
	while (chars.length < 16) {
		const bytes = crypto.getRandomValues(new Uint8Array(32));
		for (const byte of bytes) {
			if (byte < limit && chars.length < 16) chars.push(PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length]!);
		}
	}
	return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

const displayName = z
	.string()
	.trim()
	.min(1, 'Enter the person’s name.')
	.max(120, 'Use at most 120 characters for the name.')
	.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Use letters, spaces and punctuation only in the name.');
const email = z
	.string()
	.trim()
	.min(1, 'Enter an email address.')
	.max(254, 'Use at most 254 characters for the email address.')
	.pipe(z.email('Enter an email address like name@example.org.'));
const roles = z
	.array(z.enum(ROLES, { error: 'Choose roles from the list.' }))
	.min(1, 'Choose at least one role.')
	.max(ROLES.length, 'Choose roles from the list.');

async function rolesByUser(db: Db, ids: string[]): Promise<Map<string, Role[]>> {
	const map = new Map<string, Role[]>();
	if (ids.length === 0) return map;
	for (const row of await dbAll(db.select().from(userRole).where(inArray(userRole.userId, ids)))) {
		map.set(row.userId, [...(map.get(row.userId) ?? []), row.role]);
	}
	for (const [id, list] of map) map.set(id, ROLES.filter((r) => list.includes(r)));
	return map;
}

/** The centre's users by name, each with their roles in the usual order. */
export async function listUsers(db: Db, organisationId: string): Promise<UserListEntry[]> {
	const rows = await dbAll(db.select().from(user).where(eq(user.organisationId, organisationId)).orderBy(asc(user.displayName)));
	const roleMap = await rolesByUser(db, rows.map((r) => r.id));
	return rows.map((row) => ({
		id: row.id,
		email: row.email,
		displayName: row.displayName,
		active: row.active,
		mustChangePassword: row.mustChangePassword,
		oneTimePasswordExpiresAt: row.oneTimePasswordExpiresAt,
		roles: roleMap.get(row.id) ?? [],
		createdAt: row.createdAt
	}));
}

export async function findCentreUser(db: Db, organisationId: string, userId: string): Promise<UserListEntry | undefined> {
	return (await listUsers(db, organisationId)).find((u) => u.id === userId);
}

/** The active cohorts a user is in, with the role they have there. */
export async function cohortsOfUser(db: Db, userId: string): Promise<{ id: string; name: string; role: string }[]> {
	return await dbAll(db
		.select({ id: cohort.id, name: cohort.name, role: cohortMember.role })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.where(and(eq(cohortMember.userId, userId), isNull(cohort.archivedAt)))
		.orderBy(asc(cohort.name)));
}

async function emailTaken(db: Db, address: string): Promise<boolean> {
	// Emails are unique across the installation (the log-in page does not ask for a centre).
	return await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, normaliseEmail(address)))) !== undefined;
}

export interface NewAccount {
	user: User;
	/** Shown once to the administrator; only its hash is kept. */
	oneTimePassword: string;
}

const newUserFields = z.object({ displayName, email, roles });

/** Makes an account with a one-time password that must be changed at first log-in. */
export async function createUserAccount(
	db: Db,
	organisationId: string,
	input: { displayName: string; email: string; roles: string[] },
	by: AdminActor,
	now = new Date()
): Promise<AdminResult<NewAccount>> {
	const parsed = newUserFields.safeParse(input);
	if (!parsed.success) {
		const errors: Partial<Record<string, string>> = {};
		for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
		const [field, message] = Object.entries(errors)[0]!;
		return { ok: false, error: { code: 'invalid', field, message: message! }, errors };
	}
	const address = normaliseEmail(parsed.data.email);
	if (await emailTaken(db, address)) return failure('user.email-taken', 'There is already an account with this email address.', 'email');
	const oneTimePassword = generateOneTimePassword();
	const passwordHash = await hashPassword(oneTimePassword);
	const row: User = {
		id: crypto.randomUUID(),
		organisationId,
		email: address,
		displayName: parsed.data.displayName,
		passwordHash,
		mustChangePassword: true,
		oneTimePasswordExpiresAt: oneTimePasswordExpiry(now.getTime()),
		totpKey: null,
		mfaEnrolledAt: null,
		totpLastStep: null,
		active: true,
		createdAt: now.toISOString()
	};
	try {
		await writeTransaction(db, async () => {
				await dbRun(db.insert(user).values(row));
				for (const role of new Set(parsed.data.roles)) await dbRun(db.insert(userRole).values({ userId: row.id, role }));
				await recordActorEvent(db, by, { type: 'account.created', userId: row.id, detail: { roles: ROLES.filter((r) => parsed.data.roles.includes(r)) } }, now);
				await recordIssued(db, by, row.id, 'created', now);
			});
	} catch (error) {
		// Another administrator made the same account while the password was being hashed.
		if (error instanceof Error && /UNIQUE/.test(error.message)) return failure('user.email-taken', 'There is already an account with this email address.', 'email');
		throw error;
	}
	return { ok: true, value: { user: row, oneTimePassword } };
}

/**
 * A new one-time password for a user who lost theirs, or whose one-time password expired unused:
 * their sessions end and they must change it.
 */
export async function resetToOneTimePassword(
	db: Db,
	organisationId: string,
	userId: string,
	by: AdminActor,
	now = new Date()
): Promise<AdminResult<{ oneTimePassword: string }>> {
	if (!await findCentreUser(db, organisationId, userId)) return NOT_FOUND;
	const oneTimePassword = generateOneTimePassword();
	const passwordHash = await hashPassword(oneTimePassword);
	await writeTransaction(db, async () => {
			await dbRun(db.update(user)
				.set({ passwordHash, mustChangePassword: true, oneTimePasswordExpiresAt: oneTimePasswordExpiry(now.getTime()) })
				.where(eq(user.id, userId)));
			await invalidateUserSessions(db, userId);
			await recordIssued(db, by, userId, 'reset', now);
		});
	return { ok: true, value: { oneTimePassword } };
}

async function activeAdminIds(db: Db, organisationId: string): Promise<string[]> {
	return (await dbAll(db
		.select({ id: user.id })
		.from(user)
		.innerJoin(userRole, and(eq(userRole.userId, user.id), eq(userRole.role, 'admin')))
		.where(and(eq(user.organisationId, organisationId), eq(user.active, true)))))
		.map((r) => r.id);
}

/**
 * Deactivates or reactivates an account. Deactivation ends every session of the user at once (and
 * validateSessionToken refuses an inactive user's session anyway). An administrator cannot
 * deactivate themselves, and the centre's last active administrator stays.
 */
export async function setUserActive(db: Db, organisationId: string, by: AdminActor, userId: string, active: boolean): Promise<AdminResult<UserListEntry>> {
	return await writeTransaction(db, async (): Promise<AdminResult<UserListEntry>> => {
			const target = await findCentreUser(db, organisationId, userId);
			if (!target) return NOT_FOUND;
			if (!active) {
				if (userId === by.id) return failure('user.self', 'You cannot deactivate your own account: ask another administrator.');
				const admins = await activeAdminIds(db, organisationId);
				if (admins.length === 1 && admins[0] === userId) return failure('user.last-admin', 'This is the centre’s only active administrator: give another user the admin role first.');
			}
			await dbRun(db.update(user).set({ active }).where(eq(user.id, userId)));
			if (!active) await invalidateUserSessions(db, userId);
			// Asking again for the state an account is already in changes nothing, and logs nothing.
			if (target.active !== active) await recordActorEvent(db, by, { type: active ? 'account.reactivated' : 'account.deactivated', userId });
			return { ok: true, value: { ...target, active } };
		});
}

/** Replaces a user's roles. An administrator keeps their own admin role; the last active admin stays. */
export async function setUserRoles(db: Db, organisationId: string, by: AdminActor, userId: string, input: string[]): Promise<AdminResult<UserListEntry>> {
	const parsed = roles.safeParse(input);
	if (!parsed.success) return failure('invalid', parsed.error.issues[0]!.message, 'roles');
	const next = ROLES.filter((r) => parsed.data.includes(r));
	return await writeTransaction(db, async (): Promise<AdminResult<UserListEntry>> => {
			const target = await findCentreUser(db, organisationId, userId);
			if (!target) return NOT_FOUND;
			const losesAdmin = target.roles.includes('admin') && !next.includes('admin');
			if (losesAdmin && userId === by.id) return failure('user.self', 'You cannot remove your own admin role: ask another administrator.', 'roles');
			if (losesAdmin && target.active) {
				const admins = await activeAdminIds(db, organisationId);
				if (admins.length === 1 && admins[0] === userId) return failure('user.last-admin', 'This is the centre’s only active administrator: give another user the admin role first.', 'roles');
			}
			await dbRun(db.delete(userRole).where(eq(userRole.userId, userId)));
			for (const role of next) await dbRun(db.insert(userRole).values({ userId, role }));
			if (target.roles.join() !== next.join()) await recordActorEvent(db, by, { type: 'roles.changed', userId, detail: { before: target.roles, after: next } });
			return { ok: true, value: { ...target, roles: next } };
		});
}

const accountFields = z.object({ displayName, email });

/**
 * Changes a user's name and email. The email stays unique across the installation, whatever its
 * case; the change is logged as `account.updated` with the fields changed and the email before and
 * after (the name is not repeated in the log), and the administrator as actor.
 */
export async function updateUserAccount(
	db: Db,
	organisationId: string,
	by: AdminActor,
	userId: string,
	input: { displayName: string; email: string }
): Promise<AdminResult<UserListEntry>> {
	const parsed = accountFields.safeParse(input);
	if (!parsed.success) {
		const errors: Partial<Record<string, string>> = {};
		for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
		const [field, message] = Object.entries(errors)[0]!;
		return { ok: false, error: { code: 'invalid', field, message: message! }, errors };
	}
	const next = { displayName: parsed.data.displayName, email: normaliseEmail(parsed.data.email) };
	return await writeTransaction(db, async (): Promise<AdminResult<UserListEntry>> => {
			const target = await findCentreUser(db, organisationId, userId);
			if (!target) return NOT_FOUND;
			const other = await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, next.email)));
			if (other && other.id !== userId) return failure('user.email-taken', 'There is already an account with this email address.', 'email');
			const fields = (['displayName', 'email'] as const).filter((f) => target[f] !== next[f]);
			// Saving the form unchanged changes nothing, and logs nothing.
			if (fields.length === 0) return { ok: true, value: target };
			await dbRun(db.update(user).set(next).where(eq(user.id, userId)));
			const detail: Record<string, string | string[]> = { fields: [...fields] };
			if (fields.includes('email')) Object.assign(detail, { emailBefore: target.email, emailAfter: next.email });
			await recordActorEvent(db, by, { type: 'account.updated', userId, detail });
			return { ok: true, value: { ...target, ...next } };
		});
}

// ── Import ──────────────────────────────────────────────────────────────────────────────────

/** Limits of one import: each account costs a password hash (about 25 ms of CPU). */
export const IMPORT_MAX_BYTES = 100_000;
export const IMPORT_MAX_ROWS = 200;

export interface ImportOptions {
	now?: Date;
	/** The password hash (tests pass a cheap one). */
	hash?: (password: string) => Promise<string>;
}

const HEADERS: Record<string, 'email' | 'name' | 'cohort'> = {
	email: 'email',
	'email address': 'email',
	name: 'name',
	'full name': 'name',
	cohort: 'cohort'
};

/**
 * Imports learners from CSV text with a header row: email, name and optionally cohort (a cohort's
 * name, matched ignoring case). Every row is either imported or reported with its row number,
 * column and what is wrong. The good rows are imported and the bad ones are not: the report says
 * which, so the administrator fixes those rows and imports them alone. A problem with the file as
 * a whole (too big, no header, a quote never closed) imports nothing.
 */
export async function importLearners(db: Db, organisationId: string, text: string, by: AdminActor, options: ImportOptions = {}): Promise<ImportReport> {
	const now = options.now ?? new Date();
	const hash = options.hash ?? hashPassword;
	const fileProblem = (message: string, row = 0): ImportReport => ({ rows: 0, imported: [], problems: [{ row, column: 'file', message }] });
	if (new TextEncoder().encode(text).length > IMPORT_MAX_BYTES) return fileProblem(`The file is larger than ${IMPORT_MAX_BYTES / 1000} KB: split it into smaller files.`);
	if (text.trim() === '') return fileProblem('The file is empty: it needs a header row (email,name,cohort) and a row per learner.');
	const parsed = parseCsv(text);
	if (!parsed.ok) return fileProblem(parsed.message, parsed.line);
	const [header, ...data] = parsed.rows;
	const columns = header!.cells.map((cell) => HEADERS[cell.trim().toLowerCase()]);
	const missing = (['email', 'name'] as const).filter((c) => !columns.includes(c));
	if (missing.length > 0) {
		return fileProblem(`The first row must name the columns: email, name and optionally cohort (missing: ${missing.join(', ')}).`, header!.line);
	}
	if (data.length === 0) return fileProblem('The file has a header row but no learners.');
	if (data.length > IMPORT_MAX_ROWS) return { rows: data.length, imported: [], problems: [{ row: 0, column: 'file', message: `The file has ${data.length} learners; import at most ${IMPORT_MAX_ROWS} at a time.` }] };

	const cohorts = await dbAll(db
		.select({ id: cohort.id, name: cohort.name })
		.from(cohort)
		.where(and(eq(cohort.organisationId, organisationId), isNull(cohort.archivedAt))));
	const problems: ImportProblem[] = [];
	const good: { row: number; email: string; displayName: string; cohort?: { id: string; name: string } }[] = [];
	const firstRowOf = new Map<string, number>();
	for (const { line, cells } of data) {
		const value = (column: 'email' | 'name' | 'cohort') => {
			const i = columns.indexOf(column);
			return i === -1 ? '' : (cells[i] ?? '').trim();
		};
		const rowProblems: ImportProblem[] = [];
		const extra = cells.slice(columns.length).some((c) => c.trim() !== '');
		if (extra) rowProblems.push({ row: line, column: 'file', message: `This row has ${cells.length} values; the header names ${columns.length} columns.` });
		const address = normaliseEmail(value('email'));
		const emailCheck = email.safeParse(address);
		if (!emailCheck.success) {
			rowProblems.push({ row: line, column: 'email', message: address === '' ? 'The email address is missing.' : `“${clip(address)}” is not an email address.` });
		} else if (firstRowOf.has(address)) {
			rowProblems.push({ row: line, column: 'email', message: `${address} is also on row ${firstRowOf.get(address)}: each learner once.` });
		} else if (await emailTaken(db, address)) {
			rowProblems.push({ row: line, column: 'email', message: `There is already an account with ${address}.` });
		}
		if (emailCheck.success && !firstRowOf.has(address)) firstRowOf.set(address, line);
		const nameCheck = displayName.safeParse(value('name'));
		if (!nameCheck.success) rowProblems.push({ row: line, column: 'name', message: value('name') === '' ? 'The name is missing.' : nameCheck.error.issues[0]!.message });
		const cohortName = value('cohort');
		const found = cohortName === '' ? undefined : cohorts.find((c) => c.name.toLowerCase() === cohortName.toLowerCase());
		if (cohortName !== '' && !found) rowProblems.push({ row: line, column: 'cohort', message: `There is no active cohort called “${clip(cohortName)}”.` });
		if (rowProblems.length > 0) problems.push(...rowProblems);
		else good.push({ row: line, email: address, displayName: nameCheck.data!, ...(found ? { cohort: found } : {}) });
	}

	const prepared = await Promise.all(
		good.map(async (entry) => {
			const oneTimePassword = generateOneTimePassword();
			return { ...entry, oneTimePassword, passwordHash: await hash(oneTimePassword) };
		})
	);
	const imported: ImportedAccount[] = [];
	const at = now.toISOString();
	await writeTransaction(db, async () => {
			for (const entry of prepared) {
				// Checked again inside the write: another import may have made the account meanwhile.
				if (await emailTaken(db, entry.email)) {
					problems.push({ row: entry.row, column: 'email', message: `There is already an account with ${entry.email}.` });
					continue;
				}
				const id = crypto.randomUUID();
				await dbRun(db.insert(user)
					.values({
						id,
						organisationId,
						email: entry.email,
						displayName: entry.displayName,
						passwordHash: entry.passwordHash,
						mustChangePassword: true,
						oneTimePasswordExpiresAt: oneTimePasswordExpiry(now.getTime()),
						active: true,
						createdAt: at
					}));
				await recordActorEvent(db, by, { type: 'account.created', userId: id, detail: { roles: ['learner'], source: 'import' } }, now);
				await recordIssued(db, by, id, 'import', now);
				await dbRun(db.insert(userRole).values({ userId: id, role: 'learner' }));
				if (entry.cohort) await dbRun(db.insert(cohortMember).values({ cohortId: entry.cohort.id, userId: id, role: 'learner', addedAt: at }));
				imported.push({ row: entry.row, email: entry.email, displayName: entry.displayName, cohort: entry.cohort?.name ?? '', oneTimePassword: entry.oneTimePassword });
			}
		});
	problems.sort((a, b) => a.row - b.row);
	return { rows: data.length, imported, problems };
}

function clip(value: string): string {
	return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}
