/**
 * Telling recipients (UK GDPR Art 19): after a rectification, erasure or restriction, every
 * recipient in the disclosure log who received the data concerned is told, unless that proves
 * impossible or involves disproportionate effort, which is recorded with the reason.
 *
 * Recipients are the disclosure log's, grouped by who they are (type, name, organisation, third
 * party on file), one notification each. The data subject is not a recipient of their own data,
 * and colleagues are the organisation itself: neither is told. For a rectification or
 * restriction only recipients of the fields concerned are told; for an erasure, all.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbAll, writeTransaction } from './database';
import { appendAudit } from './audit';
import { disclosuresOf, type Disclosure } from './disclosure';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { INTERACTION_CHANNELS, recipientNotification } from './schema';
import { getRequest, type RightsRequest } from './requests';
import type { FulfilmentOutcome } from './request-fulfilment';

export type RecipientNotification = typeof recipientNotification.$inferSelect;

/** One recipient as the disclosure log knows them, with the disclosures made to them. */
export interface Recipient {
	key: string;
	recipientType: Disclosure['recipientType'];
	recipientName: string;
	recipientOrganisation: string;
	thirdPartyId: string | null;
	disclosureIds: string[];
}

const notifyInput = z.object({
	requestId: z.string().min(1),
	/** How recipients were told; email by default. */
	channel: z.enum(INTERACTION_CHANNELS).default('email'),
	/**
	 * Recipients who could not be told, each named by any one of the disclosures made to them,
	 * with the reason (e.g. "organisation dissolved; no successor").
	 */
	exceptions: z
		.array(
			z.object({
				disclosureId: z.string().min(1),
				outcome: z.enum(['impossible', 'disproportionate']),
				reason: z.string().trim().min(10, 'Record why telling this recipient is impossible or disproportionate')
			})
		)
		.default([])
});
export type NotifyRecipientsInput = z.input<typeof notifyInput>;

const ART19_KINDS: readonly RightsRequest['kind'][] = ['rectification', 'erasure', 'restriction'];

/** Tells every recipient of the data concerned about the request's rectification, erasure or restriction. */
export async function notifyRecipients(ctx: CoreContext, input: NotifyRecipientsInput): Promise<Result<RecipientNotification[]>> {
	const parsed = parseInput(notifyInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const req = await getRequest(ctx, v.requestId);
		if (!req) return err('request.not-found', `No request ${v.requestId}`, 'requestId');
		if (!ART19_KINDS.includes(req.kind)) return err('recipients.not-applicable', 'Art 19 applies after a rectification, erasure or restriction', 'requestId');
		const outcome = req.particulars.outcome as FulfilmentOutcome | undefined;
		if (req.customerId === null || outcome === undefined || outcome.refused === true) {
			return err('request.not-fulfilled', 'Carry out the rectification, erasure or restriction first', 'requestId');
		}
		if ((await notificationsOf(ctx, req.id)).length > 0) return err('recipients.already-notified', 'Recipients have already been told of this request', 'requestId');

		const list = await recipientsFor(ctx, req.customerId, outcome.fields);
		const exceptionFor = new Map<string, (typeof v.exceptions)[number]>();
		for (const e of v.exceptions) {
			const recipient = list.find((r) => r.disclosureIds.includes(e.disclosureId));
			if (!recipient) return err('recipients.unknown-disclosure', `Disclosure ${e.disclosureId} is not to a recipient of this data`, 'exceptions');
			exceptionFor.set(recipient.key, e);
		}
		const now = ctx.clock();
		const rows: RecipientNotification[] = list.map((r) => {
			const e = exceptionFor.get(r.key);
			return {
				id: ctx.ids(),
				workspaceId: ctx.workspaceId,
				requestId: req.id,
				customerId: req.customerId!,
				disclosureIds: r.disclosureIds,
				recipientType: r.recipientType,
				recipientName: r.recipientName,
				recipientOrganisation: r.recipientOrganisation,
				outcome: e?.outcome ?? 'notified',
				reason: e?.reason ?? '',
				channel: e === undefined ? v.channel : null,
				at: now,
				by: ctx.actor.id
			};
		});
		if (rows.length > 0) await dbRun(ctx.db.insert(recipientNotification).values(rows));
		const told = rows.filter((r) => r.outcome === 'notified');
		await appendAudit(ctx, {
			action: 'recipients.notified',
			subjectType: 'customer',
			subject: req.customerId,
			details: {
				requestId: req.id,
				kind: req.kind,
				count: told.length,
				recipients: rows.length,
				disclosureIds: told.flatMap((r) => r.disclosureIds),
				channel: v.channel
			}
		});
		for (const row of rows.filter((r) => r.outcome !== 'notified')) {
			await appendAudit(ctx, {
				action: 'recipients.notification.impossible',
				subjectType: 'customer',
				subject: req.customerId,
				details: { requestId: req.id, notificationId: row.id, outcome: row.outcome, recipientType: row.recipientType, disclosureIds: row.disclosureIds }
			});
		}
		return ok(rows);
	});
}

/** The recipients of a customer's data in the disclosure log, optionally only of some fields. */
export async function recipientsFor(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string, fields: readonly string[] | 'all' = 'all'): Promise<Recipient[]> {
	const byKey = new Map<string, Recipient>();
	for (const d of await disclosuresOf(ctx, customerId)) {
		if (d.recipientType === 'data-subject' || d.recipientType === 'colleague') continue;
		if (fields !== 'all' && !d.fields.some((f) => fields.includes(f))) continue;
		const key = JSON.stringify([d.recipientType, d.thirdPartyId, d.recipientName.toLowerCase(), d.recipientOrganisation.toLowerCase()]);
		const found = byKey.get(key);
		if (found) found.disclosureIds.push(d.id);
		else
			byKey.set(key, {
				key,
				recipientType: d.recipientType,
				recipientName: d.recipientName,
				recipientOrganisation: d.recipientOrganisation,
				thirdPartyId: d.thirdPartyId,
				disclosureIds: [d.id]
			});
	}
	return [...byKey.values()];
}

/** The Art 19 notifications recorded for a request. */
export async function notificationsOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, requestId: string): Promise<RecipientNotification[]> {
	return await dbAll(ctx.db
		.select()
		.from(recipientNotification)
		.where(and(eq(recipientNotification.workspaceId, ctx.workspaceId), eq(recipientNotification.requestId, requestId))));
}
