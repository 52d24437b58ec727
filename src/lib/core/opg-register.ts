/**
 * The Office of the Public Guardian's register of lasting powers of attorney, as the record system
 * reaches it (schema/opg-register.ts). Before acting on an LPA, check it on the register: it can be
 * used only once registered (Mental Capacity Act 2005 Sch 1 para 1), and the register says which
 * kind it is and who the attorneys are. The check is audited, so the file shows it was made.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbAll, writeTransaction } from './database';
import { appendAudit } from './audit';
import { foldText } from './collection';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { LPA_TYPES, OPG_REGISTER_STATUSES, opgRegisterEntry } from './schema';
import { customerExists } from './customers';

export type OpgRegisterEntry = typeof opgRegisterEntry.$inferSelect;

/** "7000 1234 5678", "7000-1234-5678" and "700012345678" are the same reference. */
export function normaliseLpaReference(reference: string): string {
	return reference.replace(/[\s-]/g, '').toUpperCase();
}

const entryInput = z.object({
	reference: z.string().trim().min(1, 'Enter the LPA’s OPG reference'),
	donorName: z.string().trim().min(1, 'Enter the donor’s name'),
	attorneyNames: z.array(z.string().trim().min(1)).min(1, 'Name at least one attorney'),
	lpaType: z.enum(LPA_TYPES),
	registeredOn: z.iso.date().optional(),
	status: z.enum(OPG_REGISTER_STATUSES)
});
export type OpgRegisterEntryInput = z.input<typeof entryInput>;

/** Puts an entry on the workspace's copy of the register (a training scenario's seed). Not audited: the organisation did nothing. */
export async function addOpgRegisterEntry(ctx: CoreContext, input: OpgRegisterEntryInput): Promise<Result<OpgRegisterEntry>> {
	const parsed = parseInput(entryInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	if (v.status !== 'pending' && v.registeredOn === undefined) return err('invalid', 'Give the date a registered LPA was registered', 'registeredOn');
	const row: OpgRegisterEntry = {
		id: ctx.ids(),
		workspaceId: ctx.workspaceId,
		reference: v.reference,
		donorName: v.donorName,
		attorneyNames: v.attorneyNames,
		lpaType: v.lpaType,
		registeredOn: v.registeredOn ?? null,
		status: v.status
	};
	await dbRun(ctx.db.insert(opgRegisterEntry).values(row));
	return ok(row);
}

const searchInput = z
	.object({
		reference: z.string().trim().max(40, 'An OPG reference is at most 40 characters').optional(),
		donorName: z.string().trim().max(200).optional(),
		attorneyName: z.string().trim().max(200).optional(),
		/** The customer the LPA is said to be for: the check is filed on their record. */
		customerId: z.string().min(1).optional()
	})
	.refine((v) => Boolean(v.reference || v.donorName), { message: 'Enter the LPA’s reference or the donor’s name', path: ['reference'] });
export type SearchOpgRegisterInput = z.input<typeof searchInput>;

export interface OpgRegisterSearch {
	/** The entries that match every detail given. */
	entries: OpgRegisterEntry[];
	/** Whether the attorney name given is among the attorneys of the entry found (null when none was given or nothing was found). */
	attorneyListed: boolean | null;
}

/**
 * Searches the register: an entry matches when the reference (ignoring spaces and hyphens) and the
 * donor's name, each where given, are the entry's. The attorney's name narrows nothing: the
 * register answers whether it is listed, which is the point of asking.
 */
export async function searchOpgRegister(ctx: CoreContext, input: SearchOpgRegisterInput): Promise<Result<OpgRegisterSearch>> {
	const parsed = parseInput(searchInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		if (v.customerId !== undefined && !await customerExists(ctx, v.customerId)) return err('customer.not-found', `No customer ${v.customerId}`, 'customerId');
		const reference = v.reference ? normaliseLpaReference(v.reference) : undefined;
		const donor = v.donorName ? foldText(v.donorName) : undefined;
		const entries = (await dbAll(ctx.db
			.select()
			.from(opgRegisterEntry)
			.where(eq(opgRegisterEntry.workspaceId, ctx.workspaceId))
			.orderBy(opgRegisterEntry.reference)))
			.filter((e) => (reference === undefined || normaliseLpaReference(e.reference) === reference) && (donor === undefined || foldText(e.donorName) === donor));
		const attorney = v.attorneyName ? foldText(v.attorneyName) : undefined;
		const attorneyListed = attorney === undefined || entries.length === 0 ? null : entries.some((e) => e.attorneyNames.some((a) => foldText(a) === attorney));
		const only = entries.length === 1 ? entries[0]! : undefined;
		await appendAudit(ctx, {
			action: 'authority.register.checked',
			...(v.customerId === undefined ? {} : { subjectType: 'customer' as const, subject: v.customerId }),
			details: {
				found: entries.length > 0,
				matches: entries.length,
				searchedBy: [v.reference ? 'reference' : '', v.donorName ? 'donorName' : '', v.attorneyName ? 'attorneyName' : ''].filter(Boolean),
				lpaType: only?.lpaType ?? null,
				status: only?.status ?? null,
				attorneyListed
			}
		});
		return ok({ entries, attorneyListed });
	});
}
