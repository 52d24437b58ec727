/**
 * Interactions: every contact with or about a customer, with its date and time, channel, who the
 * organisation was dealing with, the nature of the enquiry, notes, actions taken and by whom.
 * Notes are personal data: they appear in a SAR (other people redacted) and are erased with the person.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbGet, dbRun, dbAll, writeTransaction, insertionOrder } from './database';
import { appendAudit } from './audit';
import { startRetentionPeriod } from './retention';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { INTERACTION_CHANNELS, PARTY_TYPES, authorisedThirdParty, customer, interaction } from './schema';
import { toUtcInstant } from './uk-date';

export type Interaction = typeof interaction.$inferSelect;

const logInput = z.object({
	/** Omitted while the caller is not matched to a record. */
	customerId: z.string().min(1).optional(),
	channel: z.enum(INTERACTION_CHANNELS),
	direction: z.enum(['inbound', 'outbound']),
	partyType: z.enum(PARTY_TYPES),
	thirdPartyId: z.string().min(1).optional(),
	/** When the contact happened (ISO 8601 with offset); now by default. */
	occurredAt: z.iso.datetime({ offset: true }).optional(),
	nature: z.string().trim().min(1, 'Say what the enquiry was about, e.g. “balance enquiry”'),
	notes: z.string().default(''),
	actionsTaken: z.array(z.string().trim().min(1)).default([]),
	/** Actor id of who handled it; the acting user by default. */
	handledBy: z.string().min(1).optional()
});
export type LogInteractionInput = z.input<typeof logInput>;

/** Logs one contact. */
export async function logInteraction(ctx: CoreContext, input: LogInteractionInput): Promise<Result<Interaction>> {
	const parsed = parseInput(logInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	const now = ctx.clock();
	const occurredAt = v.occurredAt === undefined ? now : toUtcInstant(v.occurredAt);
	if (occurredAt > now) return err('interaction.in-future', 'An interaction cannot be logged before it happens', 'occurredAt');
	return await writeTransaction(ctx.db, async () => {
		if (v.customerId !== undefined) {
			const found = await dbGet(ctx.db
				.select({ id: customer.id })
				.from(customer)
				.where(and(eq(customer.workspaceId, ctx.workspaceId), eq(customer.id, v.customerId))));
			if (!found) return err('customer.not-found', `No customer ${v.customerId}`, 'customerId');
		}
		if (v.thirdPartyId !== undefined) {
			const tp = await dbGet(ctx.db
				.select({ customerId: authorisedThirdParty.customerId })
				.from(authorisedThirdParty)
				.where(and(eq(authorisedThirdParty.workspaceId, ctx.workspaceId), eq(authorisedThirdParty.id, v.thirdPartyId))));
			if (!tp || (v.customerId !== undefined && tp.customerId !== v.customerId)) {
				return err('third-party.not-found', 'No authorised third party with that id for this customer', 'thirdPartyId');
			}
		}
		const row: Interaction = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId: v.customerId ?? null,
			channel: v.channel,
			direction: v.direction,
			partyType: v.partyType,
			thirdPartyId: v.thirdPartyId ?? null,
			occurredAt,
			nature: v.nature,
			notes: v.notes,
			actionsTaken: v.actionsTaken,
			handledBy: v.handledBy ?? ctx.actor.id,
			loggedAt: now
		};
		await dbRun(ctx.db.insert(interaction).values(row));
		// Contact with the person restarts any "N years after last contact" retention clock (DOMAIN.md §5).
		if (row.customerId !== null && row.partyType === 'data-subject') {
			await startRetentionPeriod(ctx, row.customerId, 'last-contact', occurredAt);
		}
		await appendAudit(ctx, {
			action: 'interaction.logged',
			subjectType: row.customerId === null ? 'interaction' : 'customer',
			subject: row.customerId ?? row.id,
			// The nature, notes and actions are free text and may hold personal data: the row keeps them.
			details: {
				interactionId: row.id,
				channel: row.channel,
				direction: row.direction,
				partyType: row.partyType,
				thirdPartyId: row.thirdPartyId,
				occurredAt: row.occurredAt,
				actionsCount: row.actionsTaken.length
			}
		});
		return ok(row);
	});
}

/** A customer's interactions, oldest first. */
export async function interactionsOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<Interaction[]> {
	return await dbAll(ctx.db
		.select()
		.from(interaction)
		.where(and(eq(interaction.workspaceId, ctx.workspaceId), eq(interaction.customerId, customerId)))
		.orderBy(interaction.occurredAt, insertionOrder(ctx.db, interaction)));
}

/** One interaction in the context's workspace, or undefined. */
export async function getInteraction(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, interactionId: string): Promise<Interaction | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(interaction)
		.where(and(eq(interaction.workspaceId, ctx.workspaceId), eq(interaction.id, interactionId))));
}
