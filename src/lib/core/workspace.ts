import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext, SystemContext } from './context';
import { dbGet, dbRun, writeTransaction, type Db } from './database';
import { appendAudit } from './audit';
import { err, ok, type Result } from './result';
import { POLICY_MODES, REGIONS, workspace, type WorkspaceSettings } from './schema';

export type Workspace = typeof workspace.$inferSelect;
export type PolicyMode = (typeof POLICY_MODES)[number];

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = { recognisedLegitimateInterests: false };

const settingsSchema = z.object({ recognisedLegitimateInterests: z.boolean() }).partial();

const workspaceFields = {
	organisationName: z.string().trim().min(1, 'Enter the organisation’s name'),
	region: z.enum(REGIONS),
	policyMode: z.enum(POLICY_MODES),
	dpoName: z.string().trim().min(1, 'Enter the data protection officer’s name'),
	dpoEmail: z.email('Enter the data protection officer’s email address'),
	dpoPhone: z.string().trim(),
	settings: settingsSchema
};

const workspaceInput = z.object({
	...workspaceFields,
	/** A chosen id (e.g. a training attempt's); a fresh one otherwise. */
	id: z.string().min(1).optional(),
	dpoPhone: workspaceFields.dpoPhone.default(''),
	settings: settingsSchema.default({})
});
export type WorkspaceInput = z.input<typeof workspaceInput>;

const workspaceChanges = z.object(workspaceFields).partial();
export type WorkspaceChanges = z.input<typeof workspaceChanges>;

function firstIssue(error: z.ZodError): { code: string; field?: string; message: string } {
	const issue = error.issues[0]!;
	const field = issue.path.join('.') || undefined;
	return { code: 'invalid', field, message: issue.message };
}

/** Creates one organisation's record system. Its first audit entry is "workspace.created". */
export async function createWorkspace(ctx: SystemContext, input: WorkspaceInput): Promise<Result<Workspace>> {
	const parsed = workspaceInput.safeParse(input);
	if (!parsed.success) {
		const issue = firstIssue(parsed.error);
		return err(issue.code, issue.message, issue.field);
	}
	const { id, settings, ...values } = parsed.data;
	const row: Workspace = {
		id: id ?? ctx.ids(),
		...values,
		settings: { ...DEFAULT_WORKSPACE_SETTINGS, ...settings },
		createdAt: ctx.clock(),
		version: 1
	};
	return await writeTransaction(ctx.db, async () => {
		if (await dbGet(ctx.db.select({ id: workspace.id }).from(workspace).where(eq(workspace.id, row.id)))) {
			return err('workspace.exists', `A workspace with id ${row.id} already exists`, 'id');
		}
		await dbRun(ctx.db.insert(workspace).values(row));
		await appendAudit(
			{ ...ctx, workspaceId: row.id },
			{
				action: 'workspace.created',
				subjectType: 'workspace',
				subject: row.id,
				details: { region: row.region, policyMode: row.policyMode }
			}
		);
		return ok(row);
	});
}

export async function getWorkspace(db: Db, workspaceId: string): Promise<Result<Workspace>> {
	const row = await dbGet(db.select().from(workspace).where(eq(workspace.id, workspaceId)));
	return row ? ok(row) : err('workspace.not-found', `No workspace ${workspaceId}`);
}

/** Changes the region, policy mode, DPO contact or settings of the context's workspace. */
export async function changeWorkspaceSettings(ctx: CoreContext, changes: WorkspaceChanges): Promise<Result<Workspace>> {
	const parsed = workspaceChanges.safeParse(changes);
	if (!parsed.success) {
		const issue = firstIssue(parsed.error);
		return err(issue.code, issue.message, issue.field);
	}
	return await writeTransaction(ctx.db, async () => {
		const current = await getWorkspace(ctx.db, ctx.workspaceId);
		if (!current.ok) return current;
		const { settings, ...values } = parsed.data;
		const next: Workspace = {
			...current.value,
			...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
			settings: { ...current.value.settings, ...settings },
			version: current.value.version + 1
		};
		await dbRun(ctx.db.update(workspace).set(next).where(eq(workspace.id, ctx.workspaceId)));
		const changed = Object.keys(parsed.data).filter((key) => parsed.data[key as keyof typeof parsed.data] !== undefined);
		await appendAudit(ctx, {
			action: 'workspace.settings.changed',
			subjectType: 'workspace',
			subject: ctx.workspaceId,
			// Names of what changed, and the non-personal new values; never the DPO's contact details.
			details: { changed, region: next.region, policyMode: next.policyMode, version: next.version }
		});
		return ok(next);
	});
}
