/**
 * Every event name the core can write to the audit log, with what it means. Scenario files and
 * marking rules refer to these names; an unknown name is an error there, so this list is the
 * contract. Names are dotted: the record, then what happened to it.
 *
 * Subject convention: when an act concerns a customer, the entry's subject is the customer id
 * (subjectType "customer") and ids of related records go in details (requestId, disclosureId,
 * consentId, breachId, verificationId, interactionId, thirdPartyId, findingId). Otherwise the
 * subject is the record acted on (a breach, a purpose, a request not yet matched to a customer).
 */
export const AUDIT_ACTIONS = [
	// Workspace and policy
	{ action: 'workspace.created', description: 'A workspace (one organisation’s record system) was created with its region and policy mode.' },
	{ action: 'workspace.settings.changed', description: 'The region, policy mode, DPO contact or a setting of the workspace changed (details: names of what changed).' },
	{ action: 'policy.refused', description: 'Enforce mode refused an act the law forbids (details: code, rule).' },
	{ action: 'finding.recorded', description: 'Record mode let a forbidden act happen and recorded a finding (details: findingId, code, rule).' },

	// Record of processing (Art 30)
	{ action: 'purpose.defined', description: 'A purpose of processing was defined with its Art 6 basis and the fields it needs.' },
	{ action: 'purpose.changed', description: 'A purpose’s description, fields or retention changed (its basis may not be swapped).' },
	{ action: 'purpose.retired', description: 'A purpose stopped being used for new processing.' },
	{ action: 'retention.rule.defined', description: 'A retention rule (period, trigger, disposal action) was defined for a data category.' },
	{ action: 'retention.rule.changed', description: 'A retention rule’s period, trigger or action changed.' },
	{ action: 'directory.entry.added', description: 'A team or outside body was added to the directory of recipients, with what it may receive for which purposes (fields: names it may receive; details: code, kind, purposeCodes).' },
	{ action: 'processing.record.produced', description: 'The record of processing activities (Art 30) was produced.' },

	// Customers and their data
	{ action: 'customer.recorded', description: 'A new customer was collected and recorded (fields: names recorded; details: purposeCodes, categories).' },
	{ action: 'customer.collection.rejected', description: 'Values offered at collection failed validation (fields: names; details: error codes). Nothing was recorded.' },
	{ action: 'customer.field.recorded', description: 'A field was added to an existing customer (details: purposeCode, category, lawfulBasis).' },
	{ action: 'customer.field.corrected', description: 'A field’s value was corrected; old and new kept in field history (details: version, historyId, requestId, wasContested).' },
	{ action: 'customer.field.completed', description: 'Incomplete data was completed by a supplementary statement (Art 16).' },
	{ action: 'customer.field.contested', description: 'The person disputed the accuracy of a field; it is flagged contested.' },
	{ action: 'customer.field.accuracy.confirmed', description: 'A contested field was checked and its accuracy confirmed or settled.' },
	{ action: 'customer.field.restricted', description: 'Processing of a field was restricted (Art 18): it is only stored.' },
	{ action: 'customer.restriction.lift.notified', description: 'The person was told before a restriction is lifted (Art 18(3)).' },
	{ action: 'customer.field.restriction.lifted', description: 'A restriction on a field was lifted.' },
	{ action: 'customer.details.read.back', description: 'Recorded details were read back to the verified person for accuracy (fields: names read back).' },
	{ action: 'customer.searched', description: 'Customers were searched (fields: criteria names; details: purposeCode, resultCount).' },
	{ action: 'customer.viewed', description: 'A customer record was opened (fields: names shown; details: purposeCode, restricted, keptForHoldOnly). Restricted values, and values kept only for a legal hold opened for another purpose, are withheld.' },
	{ action: 'customer.relationship.ended', description: 'The customer relationship ended (account closed): retention periods start.' },
	{ action: 'customer.erased', description: 'A person’s data was erased (Art 17) outside legal holds (details: counts by category, held counts, requestId).' },
	{ action: 'customer.suppressed', description: 'A minimal suppression entry was kept so the person is not contacted again.' },
	{
		action: 'legal-hold.applied',
		description:
			'A legal hold was put on fields or categories, e.g. for MLR 2017 reg 40 (details: reasonCode, purposeCode, until). Once their erasure is decided, held values are kept for the purpose named only.'
	},
	{ action: 'legal-hold.released', description: 'A legal hold was released; values kept only for it are erased now (details: erasedFields).' },
	{ action: 'special-category.recorded', description: 'Special category data was recorded with its Art 9(2) condition (details: specialCategory, art9Condition, schedule1Condition).' },
	{ action: 'special-category.corrected', description: 'Special category data was corrected; history kept.' },
	{ action: 'special-category.viewed', description: 'Special category data was viewed (details: purposeCode).' },
	{ action: 'criminal-offence.recorded', description: 'Criminal-offence data was recorded under its Schedule 1 condition (Art 10).' },

	// Identity verification (DOMAIN.md §3)
	{ action: 'identity.verification.attempted', description: 'Verification began or an item was checked (details: method, requesterType, verificationId; fields: items supplied).' },
	{ action: 'identity.verified', description: 'The requester was verified (details: method, requesterType, outcome, itemsSupplied, itemsMatched, itemsMismatched, itemsReadOut, verificationId).' },
	{ action: 'identity.verification.failed', description: 'Verification failed or was abandoned (details: method, itemsMismatched, outcome).' },
	{ action: 'data.read.out', description: 'An agent volunteered data during a check: a disclosure, not a verification (fields: names read out; details: disclosureId, authorised).' },

	// Third parties
	{ action: 'third-party.authorised', description: 'A third party’s authority was recorded (details: authorityType, lpaType, relationship, scope, thirdPartyId).' },
	{ action: 'third-party.authority.revoked', description: 'A third party’s authority was revoked or ended.' },
	{ action: 'third-party.authority.checked', description: 'A caller’s claimed authority was checked against the file (details: found, inScope, action, categories, gaps, lpaType, thirdPartyId).' },
	{ action: 'authority.register.checked', description: 'A lasting power of attorney was looked up on the Office of the Public Guardian’s register (details: found, matches, searchedBy, lpaType, status, attorneyListed).' },

	// Interactions
	{ action: 'interaction.logged', description: 'A contact was logged; its nature and notes stay in the row, never here (details: interactionId, channel, direction, partyType, thirdPartyId, occurredAt, actionsCount).' },

	// Disclosure (DOMAIN.md §3)
	{ action: 'disclosure.requested', description: 'Someone asked for a customer’s data (details: recipientType, channel, written, fields asked for).' },
	{ action: 'disclosure.need.checked', description: 'A colleague’s role or directory entry and purpose were checked for need to know (details: recipientRole, directoryCode, purposeCode, outcome).' },
	{ action: 'disclosure.exemption.assessed', description: 'An exemption was considered with a recorded prejudice test (details: exemption, outcome, prejudiceTestRecorded).' },
	{ action: 'disclosure.made', description: 'Personal data was supplied (fields: names; details: disclosureId, recipientType, route, authorised, manner, basisOrExemption, verificationId, purposeCode, channel, approvedBy).' },
	{ action: 'disclosure.refused', description: 'A disclosure was declined by the agent or refused by policy (details: recipientType, reason code).' },

	// Consent and objection (Arts 7, 21)
	{ action: 'consent.given', description: 'Consent was recorded for one purpose and channel (details: consentId, purposeCode, channel, method, noticeVersion, givenBy).' },
	{ action: 'consent.withdrawn', description: 'Consent was withdrawn; processing on it stops from now (details: consentId, purposeCode, channel).' },
	{ action: 'marketing.objection.recorded', description: 'The person objected to direct marketing; it stops at once (Art 21(3)) (details: channel).' },
	{ action: 'objection.recorded', description: 'An objection to processing other than direct marketing was recorded (Art 21(1)) (details: purposeCode, requestId).' },
	{
		action: 'objection.decided',
		description:
			'An objection to processing was decided (details: purposeCode, decision, absolute, continueOn, groundsRecorded). To a direct-marketing purpose it is absolute (Art 21(3)): it stops. Under Art 21(1) processing stops unless compelling legitimate grounds that override the person’s interests, or legal claims, are recorded.'
	},
	{
		action: 'explicit-consent.withdrawn',
		description:
			'Explicit consent for special category data was withdrawn (Art 7(3), Art 9(2)(a)); data held on it is erased unless another Art 9(2) condition applies (fields: names covered; details: method, erasedFields, keptFields, keptUnder, heldFields).'
	},

	// Rights requests (DOMAIN.md §4). A state change writes exactly one entry: the specific
	// event below when there is one (with details.fromState/toState/dueDate), else request.transitioned.
	{ action: 'request.logged', description: 'A rights request was logged, verbal or written (details: requestId, kind, channel, verbal, relevantTime, dueDate).' },
	{ action: 'request.transitioned', description: 'A request changed state (details: requestId, fromState, toState, dueDate).' },
	{ action: 'request.matched', description: 'A request was linked to a customer record.' },
	{ action: 'request.id.requested', description: 'Proportionate ID was asked for; the clock waits for it.' },
	{ action: 'request.id.received', description: 'Requested ID arrived; the relevant time moves to its receipt.' },
	{ action: 'request.fee.requested', description: 'A fee was asked for where one is allowed (details: feePence).' },
	{ action: 'request.fee.received', description: 'The fee arrived; the relevant time moves to its receipt.' },
	{ action: 'request.clarification.requested', description: 'Clarification was reasonably asked for; the clock pauses.' },
	{ action: 'request.clarification.received', description: 'Clarification arrived; the clock resumes (details: pausedDays, dueDate).' },
	{ action: 'request.extended', description: 'The deadline was extended by up to two months and the person told with reasons (details: reason code, dueDate, notifiedAt).' },
	{ action: 'request.data.collated', description: 'Everything held on the person was gathered (details: counts by source: fields, interactions, disclosures, consents).' },
	{ action: 'request.redaction.decided', description: 'A decision on third-party information was recorded (details: decision, step, sourceTable).' },
	{ action: 'request.response.assembled', description: 'The response was assembled (details: items present, items missing).' },
	{ action: 'request.completed', description: 'The response was sent and the request closed as complete (details: items, channel, late).' },
	{ action: 'request.refused', description: 'The request was refused or partly refused with a recorded justification (details: partly, reason code, toldOfIcoAndCourt).' },
	{ action: 'request.withdrawn', description: 'The requester withdrew the request.' },
	{ action: 'recipients.notified', description: 'Recipients in the disclosure log were told of a rectification, erasure or restriction (Art 19) (details: count, disclosureIds).' },
	{ action: 'recipients.notification.impossible', description: 'Notifying a recipient was impossible or disproportionate, with reasons (Art 19).' },

	// Retention (DOMAIN.md §5)
	{
		action: 'retention.disposal.run',
		description:
			'A disposal run erased or anonymised what passed retain-until, keeping what a legal hold or a restriction (Art 18) covers (details: disposalRunId, asOf, counts, kept, keptHeld, keptRestricted). Counts are by category; kept lists category, reason and count: never values.'
	},

	// Breaches (Arts 33, 34)
	{ action: 'breach.registered', description: 'A breach was entered in the register (details: breachId, awareAt, reportDueAt, sourceDisclosureId, dataCategories, approxSubjects, affectedCustomerIds).' },
	{ action: 'breach.contained', description: 'Measures to contain the breach or limit its effects were recorded.' },
	{ action: 'breach.assessed', description: 'The risk to people was assessed (details: risk).' },
	{ action: 'breach.ico.notified', description: 'The breach was reported to the ICO (details: at, late, reportDueAt).' },
	{ action: 'breach.ico.not.notified', description: 'A decision not to report, with reasons, was recorded (Art 33(5)).' },
	{ action: 'breach.subjects.told', description: 'The people affected were told (Art 34) (details: count).' },
	{ action: 'breach.subjects.not.told', description: 'A decision not to tell the people affected, with the Art 34(3) reason, was recorded.' },
	{ action: 'breach.closed', description: 'The breach was closed in the register.' }
] as const satisfies readonly { action: string; description: string }[];

export type AuditAction = (typeof AUDIT_ACTIONS)[number]['action'];

const known: ReadonlySet<string> = new Set(AUDIT_ACTIONS.map((entry) => entry.action));

export function isAuditAction(name: string): name is AuditAction {
	return known.has(name);
}

/** Kinds of record an audit entry's subject can name. */
export const AUDIT_SUBJECT_TYPES = [
	'workspace',
	'customer',
	'request',
	'breach',
	'purpose',
	'directory-entry',
	'retention-rule',
	'disposal-run',
	'interaction',
	'finding'
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];
