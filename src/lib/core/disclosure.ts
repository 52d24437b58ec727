/**
 * Disclosure (DOMAIN.md §3): every supply of a customer's personal data to anyone, authorised or
 * not, is logged: recipient and type, how the recipient was verified, the authority evidence, the
 * fields, the purpose, the lawful basis or exemption, the channel, who disclosed and approved, and
 * the linked request. A disclosure is authorised only by one of these routes:
 *
 * - verified-data-subject: the person, with a successful verification of the same customer that is
 *   still fresh (VERIFICATION_POLICY.validForMinutes, or made for the same request);
 * - authorised-third-party: a third party on file whose authority covers the categories, allows
 *   receiving information and is valid today, verified as that third party;
 * - colleague-need-to-know: a colleague (or an outside body in the directory) whose stated purpose
 *   needs every field disclosed and who may receive them: by the entry chosen from the organisation's
 *   directory of recipients, which must list every field for that purpose (where there is a
 *   directory, nobody outside it is entitled); or, in a workspace without a directory, by a role
 *   among the purpose's recipient categories (colleagues are not automatically authorised);
 * - exemption (DISCLOSURE_EXEMPTIONS): a verified recipient, the written request as evidence, a
 *   recorded prejudice test, and no field beyond those asked for;
 * - legal-obligation: a disclosure required by law, with the requirement as evidence.
 *
 * Restricted data (Art 18) goes to no one but the person, except on an Art 18(2) ground.
 * Anything else is unauthorised: enforce mode refuses it; record mode logs it as unauthorised and
 * opens a breach-register entry (Art 4(12); DPA 2018 s170), the two linked both ways.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbGet, dbAll, preparedStatements, writeTransaction, insertionOrder } from './database';
import { appendAudit } from './audit';
import { insertBreach, type Breach } from './breaches';
import { requireCustomer } from './customers';
import { heldValues, type HeldValue } from './held-values';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { findPurpose } from './purposes';
import { findDirectoryEntry, hasDirectory, notAllowedFor, type DirectoryEntry } from './recipient-directory';
import { servicingRefusal } from './restriction';
import { err, ok, type Result } from './result';
import { DISCLOSURE_MANNERS, INTERACTION_CHANNELS, PARTY_TYPES, disclosure, rightsRequest, verificationAttempt } from './schema';
import { tableRows } from './table-rows';
import { authorityCovers, getThirdParty } from './third-parties';
import { ukDateOf } from './uk-date';
import { VERIFICATION_POLICY } from './verification-policy';

export type Disclosure = typeof disclosure.$inferSelect;
export type DisclosureRoute = Disclosure['route'];
type VerificationAttempt = typeof verificationAttempt.$inferSelect;

const disclosureRows = tableRows(disclosure);
const statements = preparedStatements((client) => ({ insert: client.prepare<Record<string, unknown>>(disclosureRows.insert) }));

/** Exemptions from the UK GDPR's disclosure restrictions a disclosure may rely on (DPA 2018 Sch 2 Pt 1). */
export const DISCLOSURE_EXEMPTIONS = {
	'crime-and-taxation': {
		citation: 'DPA 2018 Sch 2 Pt 1 para 2',
		label: 'prevention or detection of crime, apprehension or prosecution of offenders, assessment or collection of tax'
	},
	'legal-proceedings': {
		citation: 'DPA 2018 Sch 2 Pt 1 para 5(2)',
		label: 'necessary for legal proceedings, legal advice, or establishing, exercising or defending legal rights'
	}
} as const;
export type DisclosureExemption = keyof typeof DISCLOSURE_EXEMPTIONS;

/** A basis or exemption named on a disclosure: an exemption, or a disclosure required by law. */
export const DISCLOSURE_BASES = [...(Object.keys(DISCLOSURE_EXEMPTIONS) as DisclosureExemption[]), 'legal-obligation'] as const;

const LEGAL_OBLIGATION_CITATION = 'UK GDPR Art 6(1)(c); DPA 2018 Sch 2 Pt 1 para 5(1): disclosure required by law';

/** UK GDPR Art 18(2): the only grounds on which restricted data is processed beyond storage. */
export const RESTRICTED_DISCLOSURE_GROUNDS = ['data-subject-consent', 'legal-claims', 'protection-of-rights', 'important-public-interest'] as const;

/** The minimum length of a recorded prejudice test: a sentence, not a tick. */
const PREJUDICE_TEST_MIN = 20;

const fieldName = z.string().min(1);

export const discloseInput = z.object({
	customerId: z.string().min(1),
	recipient: z.object({
		type: z.enum(PARTY_TYPES),
		/** As identified, e.g. "PC 1234 Smith"; ignored for the data subject (logged as "data subject"). */
		name: z.string().trim().min(1).optional(),
		organisation: z.string().trim().default(''),
		/** A colleague's role, checked against the purpose's recipient categories when no directory entry is named. */
		role: z.string().trim().default(''),
		/** The team or outside body in the organisation's directory of recipients: it decides what may go. */
		directoryCode: z.string().trim().min(1).optional(),
		thirdPartyId: z.string().min(1).optional(),
		/** How the recipient was verified, in words, beyond the verification attempt. */
		verifiedHow: z.string().trim().default('')
	}),
	fields: z.array(fieldName).min(1, 'Name the fields disclosed'),
	/** What the recipient asked for: nothing beyond it may go (minimisation; "supply only what matches the request"). */
	fieldsRequested: z.array(fieldName).optional(),
	purposeCode: z.string().trim().min(1).optional(),
	basisOrExemption: z.enum(DISCLOSURE_BASES).optional(),
	prejudiceTest: z.string().trim().default(''),
	/** The written request, order or authority relied on, e.g. "DP request form TVP/2025/0412". */
	authorityEvidence: z.string().trim().default(''),
	restrictionGround: z.enum(RESTRICTED_DISCLOSURE_GROUNDS).optional(),
	channel: z.enum(INTERACTION_CHANNELS),
	approvedBy: z.string().trim().min(1).optional(),
	requestId: z.string().min(1).optional(),
	interactionId: z.string().min(1).optional(),
	verificationId: z.string().min(1).optional()
});
export type DiscloseInput = z.input<typeof discloseInput>;
export type ParsedDiscloseInput = z.output<typeof discloseInput>;

export interface DisclosureOutcome {
	disclosure: Disclosure;
	/** The breach opened because the disclosure was unauthorised (record mode), else null. */
	breach: Breach | null;
	/** Why it was unauthorised: empty when authorised. */
	problems: DisclosureProblem[];
}

/** One reason a disclosure is not authorised: a stable code, the rule, and words for people. */
export interface DisclosureProblem {
	code: string;
	rule: string;
	message: string;
}

/** Supplies a customer's data to a recipient, logging it; see the module comment for the routes. */
export async function disclose(ctx: CoreContext, input: DiscloseInput): Promise<Result<DisclosureOutcome>> {
	const parsed = parseInput(discloseInput, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => await recordDisclosure(ctx, parsed.value, 'supplied'));
}

/**
 * The disclosure engine, for operations already inside their write transaction (disclose, a
 * read-out during verification, a SAR response): decides the route, applies policy, logs the
 * disclosure, and opens a breach when it is unauthorised.
 */
export async function recordDisclosure(
	ctx: CoreContext,
	v: ParsedDiscloseInput,
	manner: (typeof DISCLOSURE_MANNERS)[number]
): Promise<Result<DisclosureOutcome>> {
	const customer = await requireCustomer(ctx, v.customerId);
	if (!customer.ok) return customer;
	const fields = [...new Set(v.fields)];
	const held = new Map((await heldValues(ctx, v.customerId)).filter((h) => h.value !== null).map((h) => [h.field, h]));
	const notHeld = fields.filter((f) => !held.has(f));
	if (notHeld.length > 0) {
		return err('disclosure.field-not-held', `No value is held for ${listed(notHeld.map(inWords))}: nothing to disclose`, 'fields');
	}
	const values = fields.map((f) => held.get(f)!);
	const categories = [...new Set(values.map((h) => h.category))];
	const decision = await decideRoute(ctx, v, values, categories);

	if (decision.problems.length > 0) {
		const first = decision.problems[0]!;
		const policy = await applyPolicy(ctx, {
			code: first.code,
			rule: first.rule,
			message: decision.problems.map((p) => p.message).join('; '),
			subjectType: 'customer',
			subject: v.customerId,
			fields,
			details: {
				recipientType: v.recipient.type,
				manner,
				channel: v.channel,
				problems: decision.problems.map((p) => p.code),
				requestId: v.requestId ?? null,
				interactionId: v.interactionId ?? null
			}
		});
		if (!policy.ok) {
			await appendAudit(ctx, {
				action: 'disclosure.refused',
				subjectType: 'customer',
				subject: v.customerId,
				fields,
				details: {
					recipientType: v.recipient.type,
					reason: first.code,
					problems: decision.problems.map((p) => p.code),
					manner,
					channel: v.channel,
					requestId: v.requestId ?? null,
					interactionId: v.interactionId ?? null
				}
			});
			return policy;
		}
	}

	const authorised = decision.problems.length === 0;
	const row: Disclosure = {
		id: ctx.ids(),
		workspaceId: ctx.workspaceId,
		customerId: v.customerId,
		recipientType: v.recipient.type,
		// The person's own name is not copied into the log: it would outlive their erasure.
		recipientName: v.recipient.type === 'data-subject' ? 'data subject' : (v.recipient.name ?? decision.thirdPartyName ?? `unnamed ${v.recipient.type}`),
		recipientOrganisation: v.recipient.organisation === '' && decision.directoryEntry?.kind === 'outside-body' ? decision.directoryEntry.name : v.recipient.organisation,
		thirdPartyId: v.recipient.thirdPartyId ?? null,
		recipientRole: v.recipient.role === '' && decision.directoryEntry ? decision.directoryEntry.name : v.recipient.role,
		verificationAttemptId: decision.verification?.id ?? v.verificationId ?? null,
		recipientVerifiedHow: decision.verifiedHow,
		authorityEvidence: decision.authorityEvidence,
		route: authorised ? decision.route : 'none',
		authorised,
		manner,
		fields,
		categories,
		purposeCode: v.purposeCode ?? '',
		basisOrExemption: authorised ? decision.basis : v.basisOrExemption === undefined ? 'none' : citationOf(v.basisOrExemption),
		prejudiceTest: v.prejudiceTest,
		channel: v.channel,
		disclosedBy: ctx.actor.id,
		approvedBy: v.approvedBy ?? null,
		requestId: v.requestId ?? null,
		interactionId: v.interactionId ?? null,
		breachId: null,
		disclosedAt: ctx.clock()
	};
	await statements(ctx.db).insert.run(disclosureRows.insertParams(row));

	if (decision.route === 'colleague-need-to-know') {
		await appendAudit(ctx, {
			action: 'disclosure.need.checked',
			subjectType: 'customer',
			subject: v.customerId,
			fields,
			details: {
				disclosureId: row.id,
				recipientRole: row.recipientRole,
				...(v.recipient.directoryCode === undefined ? {} : { directoryCode: v.recipient.directoryCode }),
				purposeCode: v.purposeCode ?? null,
				outcome: authorised ? 'needed' : 'not-needed'
			}
		});
	}
	if (decision.route === 'exemption') {
		await appendAudit(ctx, {
			action: 'disclosure.exemption.assessed',
			subjectType: 'customer',
			subject: v.customerId,
			fields,
			details: {
				disclosureId: row.id,
				exemption: v.basisOrExemption ?? null,
				prejudiceTestRecorded: v.prejudiceTest.length >= PREJUDICE_TEST_MIN,
				outcome: authorised ? 'applies' : 'not-established'
			}
		});
	}

	let breachRow: Breach | null = null;
	if (!authorised) {
		breachRow = await insertBreach(ctx, {
			awareAt: row.disclosedAt,
			occurredAt: row.disclosedAt,
			description: unauthorisedDescription(row, decision.problems),
			dataCategories: categories,
			subjectCategories: ['customers'],
			approxSubjects: 1,
			approxRecords: 1,
			affectedCustomerIds: [v.customerId],
			likelyConsequences: '',
			measuresTaken: '',
			sourceDisclosureId: row.id
		});
		row.breachId = breachRow.id;
		await dbRun(ctx.db
			.update(disclosure)
			.set({ breachId: breachRow.id })
			.where(and(eq(disclosure.workspaceId, ctx.workspaceId), eq(disclosure.id, row.id))));
	}

	await appendAudit(ctx, {
		action: 'disclosure.made',
		subjectType: 'customer',
		subject: v.customerId,
		fields,
		details: {
			disclosureId: row.id,
			recipientType: row.recipientType,
			route: row.route,
			authorised,
			manner,
			basisOrExemption: v.basisOrExemption ?? null,
			verificationId: row.verificationAttemptId,
			thirdPartyId: row.thirdPartyId,
			purposeCode: v.purposeCode ?? null,
			channel: row.channel,
			categories,
			requestId: row.requestId,
			interactionId: row.interactionId,
			approvedBy: row.approvedBy,
			breachId: row.breachId,
			problems: decision.problems.map((p) => p.code)
		}
	});
	if (manner === 'read-out') {
		await appendAudit(ctx, {
			action: 'data.read.out',
			subjectType: 'customer',
			subject: v.customerId,
			fields,
			details: { disclosureId: row.id, authorised, recipientType: row.recipientType, interactionId: row.interactionId, breachId: row.breachId }
		});
	}
	return ok({ disclosure: row, breach: breachRow, problems: decision.problems });
}

interface RouteDecision {
	route: Exclude<DisclosureRoute, 'none'>;
	problems: DisclosureProblem[];
	basis: string;
	verification: VerificationAttempt | null;
	verifiedHow: string;
	authorityEvidence: string;
	thirdPartyName: string | null;
	/** The directory entry the disclosure named, when it is in the directory. */
	directoryEntry: DirectoryEntry | null;
}

const UNAUTHORISED_RULE = 'UK GDPR Art 5(1)(f), Art 4(12); DPA 2018 s170';

async function decideRoute(ctx: CoreContext, v: ParsedDiscloseInput, values: HeldValue[], categories: string[]): Promise<RouteDecision> {
	const problems: DisclosureProblem[] = [];
	const fields = values.map((h) => h.field);
	const decision: RouteDecision = {
		route: 'verified-data-subject',
		problems,
		basis: '',
		verification: null,
		verifiedHow: v.recipient.verifiedHow,
		authorityEvidence: v.authorityEvidence,
		thirdPartyName: null,
		directoryEntry: null
	};
	const verification = v.verificationId === undefined ? undefined : await findAttempt(ctx, v.verificationId);
	const describeVerification = (attempt: VerificationAttempt) => {
		decision.verification = attempt;
		const how = `${attempt.method}${attempt.itemsMatched.length > 0 ? ` (matched: ${attempt.itemsMatched.join(', ')})` : ''}`;
		decision.verifiedHow = v.recipient.verifiedHow === '' ? how : `${how}; ${v.recipient.verifiedHow}`;
	};
	const requireVerified = async (requesterType: string, thirdPartyId?: string) => {
		const check = await verificationProblem(ctx, verification, { customerId: v.customerId, requesterType, thirdPartyId, requestId: v.requestId, interactionId: v.interactionId });
		if (check === null) describeVerification(verification!);
		else problems.push(check);
	};
	const beyondRequest = v.fieldsRequested === undefined ? [] : fields.filter((f) => !v.fieldsRequested!.includes(f));
	if (beyondRequest.length > 0) {
		problems.push({
			code: 'disclosure.beyond-request',
			rule: 'UK GDPR Art 5(1)(c)',
			message: `${upperFirst(listed(beyondRequest.map(inWords)))} ${beyondRequest.length === 1 ? 'was' : 'were'} not asked for`
		});
	}

	if (v.basisOrExemption !== undefined && v.basisOrExemption !== 'legal-obligation') {
		const exemption = DISCLOSURE_EXEMPTIONS[v.basisOrExemption];
		decision.route = 'exemption';
		decision.basis = `${exemption.citation} (${exemption.label})`;
		if (v.recipient.type === 'data-subject') {
			problems.push({ code: 'disclosure.exemption-misused', rule: exemption.citation, message: 'An exemption is not needed to give people their own data' });
		}
		await requireVerified(v.recipient.type);
		if (v.prejudiceTest.length < PREJUDICE_TEST_MIN) {
			problems.push({
				code: 'disclosure.prejudice-test-missing',
				rule: exemption.citation,
				message: 'Record the prejudice test: why not disclosing would be likely to prejudice the purpose'
			});
		}
		if (v.authorityEvidence === '') {
			problems.push({ code: 'disclosure.request-not-in-writing', rule: exemption.citation, message: 'Record the written request the disclosure answers' });
		}
		if (v.fieldsRequested === undefined) {
			problems.push({ code: 'disclosure.not-minimum', rule: 'UK GDPR Art 5(1)(c)', message: 'Record which fields were asked for, so only the minimum goes' });
		}
	} else if (v.basisOrExemption === 'legal-obligation') {
		decision.route = 'legal-obligation';
		decision.basis = LEGAL_OBLIGATION_CITATION;
		if (v.authorityEvidence === '') {
			problems.push({ code: 'disclosure.obligation-not-evidenced', rule: 'UK GDPR Art 6(1)(c)', message: 'Record the legal requirement relied on (statute, notice or order)' });
		}
	} else if (v.recipient.type === 'data-subject') {
		decision.route = 'verified-data-subject';
		decision.basis = 'the data subject’s own data';
		await requireVerified('data-subject');
	} else if (v.recipient.type === 'authorised-third-party') {
		decision.route = 'authorised-third-party';
		if (v.recipient.thirdPartyId === undefined) {
			problems.push({ code: 'disclosure.no-authority', rule: UNAUTHORISED_RULE, message: 'No third party on file was named' });
		} else {
			const row = await getThirdParty(ctx, v.recipient.thirdPartyId);
			const check = authorityCovers(row, {
				customerId: v.customerId,
				thirdPartyId: v.recipient.thirdPartyId,
				categories,
				action: 'receive-information',
				on: ukDateOf(ctx.clock())
			});
			if (row) {
				decision.thirdPartyName = row.name;
				decision.basis = `authority of the data subject: ${row.authorityType}`;
				if (decision.authorityEvidence === '') decision.authorityEvidence = `${row.authorityType}: ${row.evidenceRef}`;
			}
			if (!check.authorised) {
				problems.push({ code: 'disclosure.no-authority', rule: UNAUTHORISED_RULE, message: `The authority on file does not cover this (${check.gaps.map(inWords).join(', ')})` });
			}
			await requireVerified('authorised-third-party', v.recipient.thirdPartyId);
		}
	} else if (v.recipient.type === 'colleague' || v.recipient.directoryCode !== undefined) {
		decision.route = 'colleague-need-to-know';
		const entry = v.recipient.directoryCode === undefined ? undefined : await findDirectoryEntry(ctx, v.recipient.directoryCode);
		if (v.recipient.directoryCode !== undefined && !entry) {
			problems.push({ code: 'disclosure.recipient-unknown', rule: 'UK GDPR Art 5(1)(f), Art 32', message: `No team or body “${v.recipient.directoryCode}” is in the directory` });
		}
		decision.directoryEntry = entry ?? null;
		const purpose = v.purposeCode === undefined ? undefined : await findPurpose(ctx, v.purposeCode);
		if (!purpose || !purpose.active) {
			problems.push({ code: 'disclosure.no-purpose', rule: 'UK GDPR Art 5(1)(b)', message: 'A colleague must state an active purpose that needs the data' });
		} else {
			decision.basis = `${purpose.lawfulBasis} (purpose ${purpose.code})`;
			decision.authorityEvidence =
				decision.authorityEvidence || (entry ? `directory entry ${entry.code}; purpose ${purpose.code}` : `role ${v.recipient.role || 'not stated'}; purpose ${purpose.code}`);
			const notNeeded = fields.filter((f) => !purpose.fields.includes(f));
			if (notNeeded.length > 0) {
				problems.push({ code: 'disclosure.not-needed', rule: 'UK GDPR Art 5(1)(c)', message: `The purpose “${purpose.name}” does not need ${listed(notNeeded.map(inWords))}` });
			}
			const roles = purpose.recipientCategories.map((r) => r.toLowerCase());
			if (entry) {
				// Art 5(1)(b),(c): the directory says, per purpose, what each team or body may receive.
				const notAllowed = notAllowedFor(entry, purpose.code, fields);
				if (notAllowed.length > 0) {
					const receivesNothing = notAllowed.length === fields.length && !entry.receives.some((r) => r.purposeCode === purpose.code);
					problems.push({
						code: 'disclosure.recipient-not-entitled',
						rule: 'UK GDPR Art 5(1)(b), (f); Art 4(12)',
						message: receivesNothing
							? `${entry.name} may not receive customers’ data for the purpose “${purpose.name}”`
							: `${entry.name} may not receive ${listed(notAllowed.map(inWords))} for the purpose “${purpose.name}”`
					});
				}
			} else if (v.recipient.directoryCode === undefined && (await hasDirectory(ctx))) {
				// Where the organisation keeps a directory, it alone entitles: a role typed in is not matched against anything.
				problems.push({
					code: 'disclosure.recipient-not-in-directory',
					rule: 'UK GDPR Art 5(1)(f), Art 32',
					message: 'The recipient is not in the directory: only a team or body listed there may receive customers’ data, and only what it lists'
				});
			} else if (v.recipient.directoryCode === undefined && (v.recipient.role === '' || !roles.includes(v.recipient.role.toLowerCase()))) {
				problems.push({
					code: 'disclosure.role-not-entitled',
					rule: 'UK GDPR Art 5(1)(f), Art 32',
					message: `The role “${v.recipient.role || 'not stated'}” is not among those the purpose “${purpose.name}” discloses to`
				});
			}
		}
	} else {
		// A caller who says they are the spouse has no authority unless it is on file (DOMAIN.md §3).
		decision.route = 'authorised-third-party';
		problems.push({ code: 'disclosure.no-authority', rule: UNAUTHORISED_RULE, message: `No authority is on file for ${article(inWords(v.recipient.type))} to receive this` });
	}

	const restricted = values.filter((h) => h.restricted).map((h) => h.field);
	if (restricted.length > 0 && decision.route !== 'verified-data-subject' && v.restrictionGround === undefined) {
		problems.push({
			code: 'disclosure.restricted',
			rule: 'UK GDPR Art 18(2)',
			message: `${upperFirst(listed(restricted.map(inWords)))} ${restricted.length === 1 ? 'is' : 'are'} restricted: only stored, unless the person consents or an Art 18(2) ground applies`
		});
	}
	// MLR 2017 reg 41 (and Art 17(3)): a value kept only for its legal hold goes to the person (their
	// right of access is another law's) or on a basis that serves the hold's purpose, to no one else.
	if (decision.route !== 'verified-data-subject') {
		for (const h of values.filter((x) => !x.restricted && x.keptForHoldOnly)) {
			const refusal = servicingRefusal(h, 'disclosure', { disclosureBasis: v.basisOrExemption });
			if (refusal) problems.push({ code: 'disclosure.kept-for-hold-only', rule: refusal.rule, message: refusal.message });
		}
	}
	return decision;
}

async function verificationProblem(
	ctx: CoreContext,
	attempt: VerificationAttempt | undefined,
	want: { customerId: string; requesterType: string; thirdPartyId?: string; requestId?: string; interactionId?: string }
): Promise<DisclosureProblem | null> {
	const problem = (message: string): DisclosureProblem => ({ code: 'disclosure.unverified', rule: UNAUTHORISED_RULE, message });
	if (!attempt) return problem('The recipient has not been verified');
	if (attempt.outcome !== 'verified') return problem('The recipient’s verification did not succeed');
	if (attempt.customerId !== want.customerId) return problem('The verification was for another customer');
	if (attempt.requesterType !== want.requesterType) return problem(`The verification was of a ${attempt.requesterType}, not a ${want.requesterType}`);
	if (want.thirdPartyId !== undefined && attempt.thirdPartyId !== want.thirdPartyId) return problem('The verification was of another third party');
	if (want.interactionId !== undefined && attempt.interactionId !== null && attempt.interactionId !== want.interactionId) {
		return problem('The verification was made in another contact');
	}
	// A verification made for the request, or accepted as its identity check, lasts as long as the request.
	const forThisRequest =
		want.requestId !== undefined &&
		(attempt.requestId === want.requestId ||
			await dbGet(ctx.db
				.select({ id: rightsRequest.id })
				.from(rightsRequest)
				.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.id, want.requestId), eq(rightsRequest.verificationAttemptId, attempt.id)))) !== undefined);
	const ageMinutes = (Date.parse(ctx.clock()) - Date.parse(attempt.attemptedAt)) / 60_000;
	if (!forThisRequest && ageMinutes > VERIFICATION_POLICY.validForMinutes) {
		return problem(`The verification is more than ${VERIFICATION_POLICY.validForMinutes} minutes old`);
	}
	return null;
}

async function findAttempt(ctx: CoreContext, id: string): Promise<VerificationAttempt | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(verificationAttempt)
		.where(and(eq(verificationAttempt.workspaceId, ctx.workspaceId), eq(verificationAttempt.id, id))));
}

function citationOf(basis: (typeof DISCLOSURE_BASES)[number]): string {
	return basis === 'legal-obligation' ? LEGAL_OBLIGATION_CITATION : DISCLOSURE_EXEMPTIONS[basis].citation;
}

function unauthorisedDescription(row: Disclosure, problems: DisclosureProblem[]): string {
	// The register is read by people (the learner, the DPO, the ICO): field names and the recipient in
	// words, the problems as their messages with the rule, and no internal codes or ids (the entry links
	// to its disclosure through sourceDisclosureId).
	const fields = row.fields.map(inWords);
	const reasons = problems.map((p) => `${p.message.charAt(0).toLowerCase()}${p.message.slice(1)} (${p.rule})`);
	return (
		`Unauthorised disclosure (UK GDPR Art 4(12)): ${listed(fields)} of one customer ${row.manner === 'read-out' ? 'read out' : 'supplied'} ` +
		`by ${inWords(row.channel)} to ${article(inWords(row.recipientType))} without lawful authority: ${reasons.join('; ')}. ` +
		'Knowingly or recklessly disclosing personal data without the consent of the controller may be an offence under DPA 2018 s170.'
	);
}

/** 'dateOfBirth' → 'date of birth', 'third-party' → 'third party'. */
function inWords(code: string): string {
	return code
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/[-_]/g, ' ')
		.toLowerCase();
}

function listed(items: string[]): string {
	return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function upperFirst(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

function article(noun: string): string {
	return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** A customer's disclosure log, oldest first: feeds a SAR's recipients and Art 19 notifications. */
export async function disclosuresOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<Disclosure[]> {
	return await dbAll(ctx.db
		.select()
		.from(disclosure)
		.where(and(eq(disclosure.workspaceId, ctx.workspaceId), eq(disclosure.customerId, customerId)))
		.orderBy(disclosure.disclosedAt, insertionOrder(ctx.db, disclosure)));
}

/** The workspace's whole disclosure log, oldest first. */
export async function disclosureLog(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<Disclosure[]> {
	return await dbAll(ctx.db.select().from(disclosure).where(eq(disclosure.workspaceId, ctx.workspaceId)).orderBy(disclosure.disclosedAt, insertionOrder(ctx.db, disclosure)));
}
