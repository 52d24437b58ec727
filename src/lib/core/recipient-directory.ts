/**
 * The organisation's directory of recipients (UK GDPR Art 30(1)(d)): the teams and outside bodies
 * it gives customers' data to, each with what it may receive for which purpose. A disclosure to a
 * colleague or an outside body names its directory entry, and the entry decides: it is authorised
 * only when the entry may receive every field disclosed for the stated purpose (Art 5(1)(b),(c)).
 * Being a colleague gives no access by itself (DOMAIN.md §3: access is by role and need to know).
 */
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, preparedStatements, writeTransaction } from './database';
import { appendAudit } from './audit';
import { parseInput } from './input';
import { findPurpose } from './purposes';
import { err, ok, type Result } from './result';
import { DIRECTORY_KINDS, recipientDirectory, type DirectoryAllowance } from './schema';
import { tableRows } from './table-rows';

export type DirectoryEntry = typeof recipientDirectory.$inferSelect;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

const entryRows = tableRows(recipientDirectory);
const statements = preparedStatements((client) => ({
	byCode: client.prepare<[string, string], Record<string, unknown>>(`select ${entryRows.columns} from recipient_directory where workspace_id = ? and code = ?`),
	any: client.prepare<[string], { one: number }>('select 1 as one from recipient_directory where workspace_id = ? limit 1'),
	names: client.prepare<[string], { code: string; name: string }>('select code, name from recipient_directory where workspace_id = ?'),
	all: client.prepare<[string], Record<string, unknown>>(`select ${entryRows.columns} from recipient_directory where workspace_id = ?`)
}));

const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'Name a field in camelCase, e.g. "mobilePhone"');

const entryInput = z.object({
	code: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens, e.g. "field-services"'),
	name: z.string().trim().min(1, 'Name the team or body'),
	kind: z.enum(DIRECTORY_KINDS),
	description: z.string().trim().default(''),
	receives: z
		.array(z.object({ purposeCode: z.string().trim().min(1, 'Choose the purpose'), fields: z.array(fieldName).min(1, 'List the fields it may receive') }))
		.default([])
});
export type DirectoryEntryInput = z.input<typeof entryInput>;

/** Adds a team or outside body to the directory, with what it may receive for each purpose. */
export async function addDirectoryEntry(ctx: CoreContext, input: DirectoryEntryInput): Promise<Result<DirectoryEntry>> {
	const parsed = parseInput(entryInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		if (await findDirectoryEntry(ctx, v.code)) return err('directory.exists', `The directory already has an entry "${v.code}"`, 'code');
		const receives: DirectoryAllowance[] = [];
		for (const [i, allowance] of v.receives.entries()) {
			const purpose = await findPurpose(ctx, allowance.purposeCode);
			if (!purpose) return err('purpose.not-found', `No purpose "${allowance.purposeCode}"`, `receives.${i}.purposeCode`);
			if (receives.some((r) => r.purposeCode === allowance.purposeCode)) {
				return err('invalid', `The purpose "${allowance.purposeCode}" is listed twice: give all its fields once`, `receives.${i}.purposeCode`);
			}
			// Art 5(1)(c): a recipient may not be given, for a purpose, more than the purpose needs.
			const beyond = allowance.fields.filter((f) => !purpose.fields.includes(f));
			if (beyond.length > 0) {
				return err('invalid', `The purpose “${purpose.name}” does not need ${beyond.join(', ')}: a recipient may receive only fields the purpose needs`, `receives.${i}.fields`);
			}
			receives.push({ purposeCode: purpose.code, fields: [...new Set(allowance.fields)] });
		}
		const row: DirectoryEntry = { id: ctx.ids(), workspaceId: ctx.workspaceId, code: v.code, name: v.name, kind: v.kind, description: v.description, receives, createdAt: ctx.clock() };
		await dbRun(ctx.db.insert(recipientDirectory).values(row));
		await appendAudit(ctx, {
			action: 'directory.entry.added',
			subjectType: 'directory-entry',
			subject: row.id,
			fields: [...new Set(receives.flatMap((r) => r.fields))],
			details: { code: row.code, kind: row.kind, purposeCodes: receives.map((r) => r.purposeCode) }
		});
		return ok(row);
	});
}

export async function findDirectoryEntry(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, code: string): Promise<DirectoryEntry | undefined> {
	const row = await statements(ctx.db).byCode.get(ctx.workspaceId, code);
	return row && entryRows.read(row);
}

/** Whether the organisation keeps a directory at all: where it does, it alone entitles colleagues. */
export async function hasDirectory(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<boolean> {
	return (await statements(ctx.db).any.get(ctx.workspaceId)) !== undefined;
}

/** What the directory calls each of its teams and bodies, by code (one prepared read). */
export async function directoryNames(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<Map<string, string>> {
	return new Map((await statements(ctx.db).names.all(ctx.workspaceId)).map((e) => [e.code, e.name]));
}

/** The workspace's directory, teams first, then by name. */
export async function directoryEntries(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<DirectoryEntry[]> {
	return (await statements(ctx.db).all.all(ctx.workspaceId))
		.map(entryRows.read)
		.sort((a, b) => DIRECTORY_KINDS.indexOf(a.kind) - DIRECTORY_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name, 'en-GB'));
}

/** The fields of `fields` the entry may not receive for the purpose (all of them when it may receive nothing for it). */
export function notAllowedFor(entry: Pick<DirectoryEntry, 'receives'>, purposeCode: string, fields: readonly string[]): string[] {
	const allowed = entry.receives.find((r) => r.purposeCode === purposeCode)?.fields ?? [];
	return fields.filter((f) => !allowed.includes(f));
}
