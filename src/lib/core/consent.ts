/**
 * Consent (UK GDPR Art 4(11), Art 7; ICO "how should we obtain, record and manage consent") and
 * objection to direct marketing (Art 21(2)-(3), PECR). One consent record per purpose and channel,
 * never bundled; withdrawal as easy as giving it and effective from then on; an objection to direct
 * marketing is absolute and immediate.
 */
import { mapInOrder } from './in-order';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbGet, dbRun, dbAll, writeTransaction } from './database';
import { appendAudit } from './audit';
import { findCustomer, requireCustomer } from './customers';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { findPurpose } from './purposes';
import { startRetentionPeriod } from './retention';
import { err, ok, type Result } from './result';
import { CONSENT_GIVERS, CONSENT_METHODS, CONTACT_CHANNELS, OBJECTION_CHANNELS, authorisedThirdParty, consent, marketingObjection, purpose } from './schema';

export type Consent = typeof consent.$inferSelect;
export type MarketingObjection = typeof marketingObjection.$inferSelect;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

const giveConsentInput = z.object({
	customerId: z.string().min(1),
	purposeCode: z.string().trim().min(1, 'Choose the purpose consented to'),
	channel: z.enum(CONTACT_CHANNELS),
	// "verbal" is accepted here only to be refused (or recorded as a finding): undocumented verbal
	// consent is not a consent record.
	method: z.enum([...CONSENT_METHODS, 'verbal']),
	noticeVersion: z.string().trim().min(1, 'Say which privacy notice the person was given'),
	evidenceRef: z.string().trim().default(''),
	givenBy: z.enum(CONSENT_GIVERS).default('data-subject'),
	thirdPartyId: z.string().min(1).optional()
});
export type GiveConsentInput = z.input<typeof giveConsentInput>;

const withdrawConsentInput = z.object({
	customerId: z.string().min(1),
	purposeCode: z.string().trim().min(1),
	channel: z.enum(CONTACT_CHANNELS),
	/** How the withdrawal arrived, e.g. "phone", "unsubscribe link". */
	method: z.string().trim().min(1).default('as given')
});
export type WithdrawConsentInput = z.input<typeof withdrawConsentInput>;

const objectionInput = z.object({
	customerId: z.string().min(1),
	channel: z.enum(OBJECTION_CHANNELS),
	interactionId: z.string().min(1).optional(),
	requestId: z.string().min(1).optional()
});
export type MarketingObjectionInput = z.input<typeof objectionInput>;

/** Records consent for one purpose and one channel. */
export async function giveConsent(ctx: CoreContext, input: GiveConsentInput): Promise<Result<Consent>> {
	const parsed = parseInput(giveConsentInput, input);
	if (!parsed.ok) return parsed;
	const given = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const customerRow = await requireCustomer(ctx, given.customerId);
		if (!customerRow.ok) return customerRow;
		if (customerRow.value.erasedAt !== null) return err('customer.erased', 'This person’s data was erased: they are on the suppression list', 'customerId');
		const p = await findPurpose(ctx, given.purposeCode);
		if (!p || !p.active) return err('purpose.not-found', `No active purpose "${given.purposeCode}"`, 'purposeCode');
		// ICO consent guidance: consent is only the basis where the purpose relies on it; asking for it
		// for a purpose that rests on contract or law bundles it with things the person cannot refuse.
		if (p.lawfulBasis !== 'consent') {
			return err('consent.not-the-basis', `The purpose “${p.name}” relies on ${p.lawfulBasis}, not consent`, 'purposeCode');
		}
		if (given.givenBy === 'authorised-third-party') {
			const authority = given.thirdPartyId
				? await dbGet(ctx.db
						.select({ id: authorisedThirdParty.id })
						.from(authorisedThirdParty)
						.where(
							and(
								eq(authorisedThirdParty.workspaceId, ctx.workspaceId),
								eq(authorisedThirdParty.id, given.thirdPartyId),
								eq(authorisedThirdParty.customerId, given.customerId),
								isNull(authorisedThirdParty.revokedAt)
							)
						))
				: undefined;
			if (!authority) return err('consent.no-authority', 'No authority on file for the third party giving consent', 'thirdPartyId');
		}
		if (given.method === 'verbal' || given.evidenceRef === '') {
			// ICO consent guidance (Art 7(1): the controller must be able to demonstrate consent): verbal
			// consent with nothing documented is not a consent record. Record mode keeps the finding,
			// but there is still no consent to store, so both modes return an error.
			const decision = await applyPolicy(ctx, {
				code: 'consent.undocumented',
				rule: 'UK GDPR Art 7(1)',
				message: 'Verbal consent with nothing documented is not a consent record: record it as verbal-documented with an evidence reference',
				field: given.method === 'verbal' ? 'method' : 'evidenceRef',
				subjectType: 'customer',
				subject: given.customerId,
				details: { purposeCode: p.code, channel: given.channel }
			});
			if (!decision.ok) return decision;
			return err('consent.undocumented', decision.value.message, decision.value.field ?? undefined);
		}
		if (await liveConsent(ctx, given.customerId, p.code, given.channel)) {
			return err('consent.exists', `Consent for ${p.code} by ${given.channel} is already on record`, 'channel');
		}
		const row: Consent = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId: given.customerId,
			purposeCode: p.code,
			channel: given.channel,
			givenBy: given.givenBy,
			thirdPartyId: given.thirdPartyId ?? null,
			method: given.method,
			noticeVersion: given.noticeVersion,
			takenBy: ctx.actor.id,
			evidenceRef: given.evidenceRef,
			givenAt: ctx.clock(),
			withdrawnAt: null,
			withdrawnBy: null,
			withdrawalMethod: null
		};
		await dbRun(ctx.db.insert(consent).values(row));
		await appendAudit(ctx, {
			action: 'consent.given',
			subjectType: 'customer',
			subject: given.customerId,
			details: {
				consentId: row.id,
				purposeCode: row.purposeCode,
				channel: row.channel,
				method: row.method,
				noticeVersion: row.noticeVersion,
				givenBy: row.givenBy,
				thirdPartyId: row.thirdPartyId
			}
		});
		return ok(row);
	});
}

async function liveConsent(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string, purposeCode: string, channel: ContactChannel): Promise<Consent | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(consent)
		.where(
			and(
				eq(consent.workspaceId, ctx.workspaceId),
				eq(consent.customerId, customerId),
				eq(consent.purposeCode, purposeCode),
				eq(consent.channel, channel),
				isNull(consent.withdrawnAt)
			)
		));
}

/**
 * Stamps live consents as withdrawn and audits each, inside the caller's transaction. Values held
 * for a purpose whose rule runs from withdrawal start their retention period now.
 */
export async function withdrawConsents(ctx: CoreContext, rows: Consent[], method: string): Promise<Consent[]> {
	const now = ctx.clock();
	const withdrawn: Consent[] = [];
	for (const row of rows) {
		await dbRun(ctx.db
			.update(consent)
			.set({ withdrawnAt: now, withdrawnBy: ctx.actor.id, withdrawalMethod: method })
			.where(and(eq(consent.workspaceId, ctx.workspaceId), eq(consent.id, row.id))));
		await startRetentionPeriod(ctx, row.customerId, 'consent-withdrawn', now, row.purposeCode);
		await appendAudit(ctx, {
			action: 'consent.withdrawn',
			subjectType: 'customer',
			subject: row.customerId,
			details: { consentId: row.id, purposeCode: row.purposeCode, channel: row.channel, method }
		});
		withdrawn.push({ ...row, withdrawnAt: now, withdrawnBy: ctx.actor.id, withdrawalMethod: method });
	}
	return withdrawn;
}

/** Withdraws consent for one purpose and channel (Art 7(3)): as easy as giving it, effective from now. */
export async function withdrawConsent(ctx: CoreContext, input: WithdrawConsentInput): Promise<Result<Consent>> {
	const parsed = parseInput(withdrawConsentInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, purposeCode, channel, method } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const live = await liveConsent(ctx, customerId, purposeCode, channel);
		if (!live) return err('consent.not-found', `No live consent for ${purposeCode} by ${channel}`, 'purposeCode');
		const [withdrawn] = await withdrawConsents(ctx, [live], method);
		return ok(withdrawn!);
	});
}

/**
 * Whether processing may rely on the person's consent for this purpose and channel right now: a
 * documented consent given and not withdrawn, for a purpose still in use, of a person not erased.
 */
export async function hasValidConsent(
	ctx: Pick<CoreContext, 'db' | 'workspaceId'>,
	customerId: string,
	purposeCode: string,
	channel: ContactChannel
): Promise<boolean> {
	const person = await findCustomer(ctx, customerId);
	if (!person || person.erasedAt !== null) return false;
	const p = await findPurpose(ctx, purposeCode);
	if (!p || !p.active || p.lawfulBasis !== 'consent') return false;
	const live = await liveConsent(ctx, customerId, purposeCode, channel);
	return live !== undefined && live.evidenceRef !== '';
}

/**
 * Records an objection to direct marketing on one channel or all (Art 21(2)-(3)): absolute and
 * immediate. Live consents of direct-marketing purposes on those channels are withdrawn at once.
 */
export async function recordMarketingObjection(ctx: CoreContext, input: MarketingObjectionInput): Promise<Result<MarketingObjection>> {
	const parsed = parseInput(objectionInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, channel, interactionId, requestId } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const customerRow = await requireCustomer(ctx, customerId);
		if (!customerRow.ok) return customerRow;
		const row: MarketingObjection = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId,
			channel,
			receivedAt: ctx.clock(),
			recordedBy: ctx.actor.id,
			interactionId: interactionId ?? null,
			requestId: requestId ?? null
		};
		await dbRun(ctx.db.insert(marketingObjection).values(row));
		await appendAudit(ctx, {
			action: 'marketing.objection.recorded',
			subjectType: 'customer',
			subject: customerId,
			details: { channel, objectionId: row.id, interactionId: row.interactionId, requestId: row.requestId }
		});
		const marketingCodes = (await dbAll(ctx.db
			.select({ code: purpose.code })
			.from(purpose)
			.where(and(eq(purpose.workspaceId, ctx.workspaceId), eq(purpose.directMarketing, true)))))
			.map((p) => p.code);
		if (marketingCodes.length > 0) {
			const live = await dbAll(ctx.db
				.select()
				.from(consent)
				.where(
					and(
						eq(consent.workspaceId, ctx.workspaceId),
						eq(consent.customerId, customerId),
						isNull(consent.withdrawnAt),
						inArray(consent.purposeCode, marketingCodes),
						...(channel === 'all' ? [] : [eq(consent.channel, channel)])
					)
				));
			await withdrawConsents(ctx, live, 'marketing objection');
		}
		return ok(row);
	});
}

/**
 * Whether the organisation may send direct marketing to the person on this channel now: not
 * suppressed or erased, no objection for the channel (or all channels) since their latest consent,
 * and a valid consent for an active direct-marketing purpose on that channel. Soft opt-in and
 * legitimate-interests marketing by post are not modelled: marketing here always rests on consent.
 */
export async function mayMarket(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string, channel: ContactChannel): Promise<boolean> {
	const person = await findCustomer(ctx, customerId);
	if (!person || person.suppressed || person.erasedAt !== null) return false;
	const marketingPurposes = await dbAll(ctx.db
		.select({ code: purpose.code })
		.from(purpose)
		.where(and(eq(purpose.workspaceId, ctx.workspaceId), eq(purpose.directMarketing, true), eq(purpose.active, true), eq(purpose.lawfulBasis, 'consent'))));
	const consents = (await mapInOrder(marketingPurposes, async (p) => await liveConsent(ctx, customerId, p.code, channel)))
		.filter((c): c is Consent => c !== undefined && c.evidenceRef !== '');
	if (consents.length === 0) return false;
	const latestConsent = consents.map((c) => c.givenAt).sort().at(-1)!;
	const objections = await dbAll(ctx.db
		.select({ receivedAt: marketingObjection.receivedAt })
		.from(marketingObjection)
		.where(
			and(
				eq(marketingObjection.workspaceId, ctx.workspaceId),
				eq(marketingObjection.customerId, customerId),
				inArray(marketingObjection.channel, [channel, 'all'])
			)
		));
	// Art 21(3): after an objection, no more direct marketing, unless the person later consents afresh.
	return !objections.some((o) => o.receivedAt >= latestConsent);
}
