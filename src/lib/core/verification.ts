/**
 * Identity verification (DOMAIN.md §3): compares what the REQUESTER supplied with the record,
 * normalised as the record is (postcode without spaces, phone in E.164, dates of birth as dates),
 * and applies the verification policy (verification-policy.ts). Supplied values are never stored:
 * the attempt keeps the names of the fields supplied, matched and mismatched.
 *
 * An agent who reads data out ("is your address still 12 High Street?") has disclosed it: items
 * read out never count as matched, are logged as "data.read.out", and make a disclosure (manner
 * "read-out") to the requester, which is unauthorised unless the requester was already verified.
 */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbAll, dbGet, writeTransaction } from './database';
import { appendAudit } from './audit';
import { checkFieldValue, foldText } from './collection';
import { requireCustomer } from './customers';
import { recordDisclosure, type DisclosureOutcome } from './disclosure';
import { heldValues } from './held-values';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { INTERACTION_CHANNELS, PARTY_TYPES, VERIFICATION_METHODS, rightsRequest, verificationAttempt } from './schema';
import { sameRequester } from './requests';
import { getThirdParty } from './third-parties';
import { ukDateOf } from './uk-date';
import { THIRD_PARTY_NAME_ITEM, VERIFICATION_POLICY, verificationOutcome } from './verification-policy';

export type VerificationAttempt = typeof verificationAttempt.$inferSelect;

const verifyInput = z.object({
	customerId: z.string().min(1),
	requesterType: z.enum(PARTY_TYPES),
	thirdPartyId: z.string().min(1).optional(),
	method: z.enum(VERIFICATION_METHODS),
	/** Field name → what the requester said. Compared, then discarded. */
	supplied: z.record(z.string().min(1), z.string()),
	/** Fields the agent read out to the requester: a disclosure, never a match. */
	readOut: z.array(z.string().min(1)).default([]),
	/** For officials: the independent route by which their credentials were confirmed. */
	credentialsConfirmedVia: z.string().trim().min(1).optional(),
	/** How the requester identified themselves, for the disclosure log when data was read out. */
	requesterName: z.string().trim().min(1).optional(),
	channel: z.enum(INTERACTION_CHANNELS).default('phone'),
	interactionId: z.string().min(1).optional(),
	requestId: z.string().min(1).optional()
});
export type VerifyIdentityInput = z.input<typeof verifyInput>;

export interface VerificationResult {
	attempt: VerificationAttempt;
	/** The disclosure made by reading data out, if any. */
	readOut: DisclosureOutcome | null;
}

const PHONE_FIELDS = ['phone', 'mobilePhone'];

/** Checks a requester's identity against the record and records the attempt. */
export async function verifyIdentity(ctx: CoreContext, input: VerifyIdentityInput): Promise<Result<VerificationResult>> {
	const parsed = parseInput(verifyInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	if (v.requesterType === 'authorised-third-party' && v.thirdPartyId === undefined) {
		return err('invalid', 'Name the third party on file the requester claims to be', 'thirdPartyId');
	}
	return await writeTransaction(ctx.db, async () => {
		const customer = await requireCustomer(ctx, v.customerId);
		if (!customer.ok) return customer;
		const thirdParty = v.thirdPartyId === undefined ? undefined : await getThirdParty(ctx, v.thirdPartyId);
		if (v.thirdPartyId !== undefined && (!thirdParty || thirdParty.customerId !== v.customerId)) {
			return err('third-party.not-found', 'No authorised third party with that id for this customer', 'thirdPartyId');
		}
		const request = v.requestId === undefined ? undefined : await findRequest(ctx, v.requestId);
		if (v.requestId !== undefined && (!request || (request.customerId !== null && request.customerId !== v.customerId))) {
			return err('request.not-found', 'No request with that id for this customer', 'requestId');
		}

		const held = new Map((await heldValues(ctx, v.customerId)).filter((h) => h.value !== null).map((h) => [h.field, h]));
		const readOut = [...new Set(v.readOut)];
		const notHeld = readOut.filter((f) => !held.has(f));
		if (notHeld.length > 0) return err('verification.read-out-not-held', `No value is held for ${notHeld.join(', ')}`, 'readOut');

		// What the agent read out never counts, even if the requester then "confirms" it.
		const supplied = Object.keys(v.supplied).filter((f) => !readOut.includes(f));
		const matched: string[] = [];
		const mismatched: string[] = [];
		let thirdPartyNameMatched: boolean | null = null;
		const today = ukDateOf(ctx.clock());
		for (const field of supplied) {
			const said = v.supplied[field]!;
			if (field === THIRD_PARTY_NAME_ITEM) {
				thirdPartyNameMatched = thirdParty !== undefined && foldText(said) === foldText(thirdParty.name);
				(thirdPartyNameMatched ? matched : mismatched).push(field);
				continue;
			}
			if (v.method === 'official-credentials') continue; // credentials are not on the customer's record
			const record = held.get(field);
			if (!record) continue; // nothing on file to compare: neither evidence for nor against
			const checked = checkFieldValue(field, said, { today });
			const comparable = checked.ok ? checked.value.normalised : foldText(said);
			const onFile = record.normalised ?? foldText(record.value!);
			(comparable === onFile ? matched : mismatched).push(field);
		}
		if (v.method === 'official-credentials' && v.credentialsConfirmedVia !== undefined) matched.push(...supplied);

		const contactField =
			v.method === 'callback-to-number-on-file'
				? (PHONE_FIELDS.find((f) => matched.includes(f)) ?? null)
				: v.method === 'email-to-address-on-file'
					? (matched.includes('email') ? 'email' : null)
					: null;
		const outcome = verificationOutcome(v.method, v.requesterType, { supplied, matched, mismatched }, {
			credentialsConfirmed: v.credentialsConfirmedVia !== undefined,
			thirdPartyNameMatched,
			contactField
		});

		// Reading data out is a disclosure to whoever is on the line, judged by what was known of
		// them before this attempt: enforce mode refuses it (and so the whole attempt).
		let readOutOutcome: DisclosureOutcome | null = null;
		if (readOut.length > 0) {
			const prior = await priorVerification(ctx, v);
			const disclosed = await recordDisclosure(
				ctx,
				{
					customerId: v.customerId,
					recipient: {
						type: v.requesterType,
						name: v.requesterName ?? thirdParty?.name,
						organisation: '',
						role: '',
						thirdPartyId: v.thirdPartyId,
						verifiedHow: prior === undefined ? 'not verified when the data was read out' : ''
					},
					fields: readOut,
					prejudiceTest: '',
					authorityEvidence: '',
					channel: v.channel,
					interactionId: v.interactionId,
					requestId: v.requestId,
					verificationId: prior?.id
				},
				'read-out'
			);
			if (!disclosed.ok) return disclosed;
			readOutOutcome = disclosed.value;
		}

		const attempt: VerificationAttempt = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId: v.customerId,
			interactionId: v.interactionId ?? null,
			requestId: v.requestId ?? null,
			requesterType: v.requesterType,
			thirdPartyId: v.thirdPartyId ?? null,
			method: v.method,
			itemsSupplied: supplied,
			itemsMatched: matched,
			itemsMismatched: mismatched,
			itemsReadOut: readOut,
			outcome,
			attemptedAt: ctx.clock(),
			attemptedBy: ctx.actor.id
		};
		await dbRun(ctx.db.insert(verificationAttempt).values(attempt));
		// A successful verification of the requester, made for a request, is the request's identity check.
		if (outcome === 'verified' && request && sameRequester(attempt, request)) {
			await dbRun(ctx.db
				.update(rightsRequest)
				.set({ verificationAttemptId: attempt.id, updatedAt: ctx.clock() })
				.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.id, request.id))));
		}
		await appendAudit(ctx, {
			action: outcome === 'verified' ? 'identity.verified' : outcome === 'failed' ? 'identity.verification.failed' : 'identity.verification.attempted',
			subjectType: 'customer',
			subject: v.customerId,
			fields: supplied,
			details: {
				verificationId: attempt.id,
				method: v.method,
				requesterType: v.requesterType,
				thirdPartyId: attempt.thirdPartyId,
				outcome,
				itemsSupplied: supplied,
				itemsMatched: matched,
				itemsMismatched: mismatched,
				itemsReadOut: readOut,
				readOutDisclosureId: readOutOutcome?.disclosure.id ?? null,
				interactionId: attempt.interactionId,
				requestId: attempt.requestId
			}
		});
		return ok({ attempt, readOut: readOutOutcome });
	});
}

/** The verification attempts made about a customer, newest first. */
export async function verificationAttemptsOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<VerificationAttempt[]> {
	return await dbAll(ctx.db
		.select()
		.from(verificationAttempt)
		.where(and(eq(verificationAttempt.workspaceId, ctx.workspaceId), eq(verificationAttempt.customerId, customerId)))
		.orderBy(desc(verificationAttempt.attemptedAt)));
}

/** A verification of this same party still valid now: the basis for judging what was read out. */
async function priorVerification(ctx: CoreContext, v: z.output<typeof verifyInput>): Promise<VerificationAttempt | undefined> {
	const now = Date.parse(ctx.clock());
	return (await verificationAttemptsOf(ctx, v.customerId)).find(
		(a) =>
			a.outcome === 'verified' &&
			a.requesterType === v.requesterType &&
			a.thirdPartyId === (v.thirdPartyId ?? null) &&
			(v.interactionId === undefined || a.interactionId === null || a.interactionId === v.interactionId) &&
			(now - Date.parse(a.attemptedAt)) / 60_000 <= VERIFICATION_POLICY.validForMinutes
	);
}

async function findRequest(ctx: CoreContext, id: string) {
	return await dbGet(ctx.db
		.select({ id: rightsRequest.id, customerId: rightsRequest.customerId, requesterType: rightsRequest.requesterType, thirdPartyId: rightsRequest.thirdPartyId })
		.from(rightsRequest)
		.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.id, id))));
}
