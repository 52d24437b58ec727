/**
 * What the simulation screen shows of an attempt (the conversation, the record system's desk and
 * panels): loaded by the learner's attempt page and by a tutor's preview, so the tutor sees a draft
 * exactly as a learner would. Reads only: nothing here writes to the workspace's audit chain.
 */
import { and, asc, eq } from 'drizzle-orm';
import {
	DISCLOSURE_BASES,
	ERASURE_GROUNDS,
	FIELD_CATALOGUE,
	REDACTABLE_SOURCES,
	RESTRICTED_DISCLOSURE_GROUNDS,
	RESTRICTION_GROUNDS,
	EXTENSION_REASONS,
	FEE_GROUNDS,
	REFUSAL_GROUNDS,
	SUBJECTS_NOT_TOLD_REASONS,
	breachRegister,
	categoryOfField,
	directoryEntries,
	purposes,
	requests,
	schema,
	thirdPartiesOf,
	verificationAttemptsOf,
	type CustomerView,
	type SearchResult
} from '$lib/core';
import { attemptActions, type AttemptView, type LoadedScenario, type StoredAction } from '$lib/sim/runtime';
import { conversationMedium } from '$lib/sim/conversation';
import type { Db } from '$lib/core/database';
import type { DeskOptions, EnumName, Option } from '$lib/components/sim/forms';
import { deskDate, deskTime, londonLocalInput, words } from '$lib/components/sim/words';

/** Operations that change a customer's values: a record opened before one of them shows old values. */
const CHANGES_VALUES = new Set([
	'correctField',
	'completeField',
	'contestField',
	'confirmAccuracy',
	'restrictField',
	'liftRestriction',
	'addCustomerFields',
	'fulfilRectification',
	'fulfilRestriction',
	'fulfilErasure',
	'applyLegalHold',
	'releaseLegalHold'
]);

const options = (codes: readonly string[]): Option[] => codes.map((value) => ({ value, label: words(value) }));
const succeeded = (a: StoredAction) => a.kind === 'core' && a.outcome.core?.ok === true;
const valueOf = <T>(a: StoredAction) => (a.outcome.core?.ok ? (a.outcome.core.value as T) : undefined);

export function deskData(db: Db, view: AttemptView, loaded: LoadedScenario, title: string, userId: string, url: URL) {
	const user = { id: userId };
	const scenario = loaded.scenario;
	const version = { title };
	// Reads only: none of these writes to the audit chain (what the learner did is already recorded).
	const ctx = { db, workspaceId: view.workspaceId, clock: () => view.clock };
	const done = attemptActions(db, view.id);

	// The customers the learner has come across in this attempt, and what they know of each.
	const known = new Map<string, { reference: string; name?: string }>();
	for (const action of done.filter(succeeded)) {
		if (action.name === 'searchCustomers') {
			for (const hit of valueOf<SearchResult>(action)?.hits ?? []) known.set(hit.customerId, { ...known.get(hit.customerId), reference: hit.reference });
		} else if (action.name === 'viewCustomer') {
			const v = valueOf<CustomerView>(action);
			if (!v) continue;
			const shown = (f: string) => v.fields.find((x) => x.field === f)?.value ?? undefined;
			const name = [shown('givenName'), shown('familyName')].filter(Boolean).join(' ');
			known.set(v.customer.id, { reference: v.customer.reference, name: name || known.get(v.customer.id)?.name });
		} else if (action.name === 'recordCustomer') {
			const v = valueOf<{ id: string; reference: string }>(action);
			const typed = (action.input as { fields?: Record<string, string> } | null)?.fields ?? {};
			if (v) known.set(v.id, { reference: v.reference, name: [typed.givenName, typed.familyName].filter(Boolean).join(' ') || undefined });
		}
	}

	const lastSearch = done.filter((a) => succeeded(a) && a.name === 'searchCustomers').at(-1);
	const lastView = done.filter((a) => succeeded(a) && a.name === 'viewCustomer').at(-1);
	const record = lastView ? valueOf<CustomerView>(lastView) : undefined;
	const recordId = record?.customer.id ?? '';
	const changedSince =
		lastView !== undefined &&
		done.some((a) => a.seq > lastView.seq && succeeded(a) && CHANGES_VALUES.has(a.name) && (a.input as { customerId?: unknown } | null)?.customerId === recordId);

	const activePurposes = purposes(ctx).filter((p) => p.active);
	const catalogue = new Map<string, string>(Object.entries(FIELD_CATALOGUE).map(([field, c]) => [field, c.category]));
	for (const p of activePurposes) for (const field of p.fields) if (!catalogue.has(field)) catalogue.set(field, categoryOfField(p, field) ?? 'identity');

	const thirdParties = recordId ? thirdPartiesOf(ctx, recordId) : [];
	const verifications = recordId ? verificationAttemptsOf(ctx, recordId) : [];
	const rightsRequests = requests(ctx);
	const customerLabel = (id: string | null) => {
		const c = id === null ? undefined : known.get(id);
		return c ? [c.reference, c.name].filter(Boolean).join(' · ') : id === null ? 'Not matched' : 'A customer record';
	};

	// A field's history, on request: a read of what the record holds, shown for a field the learner has opened.
	const historyField = url.searchParams.get('history');
	// A withheld value (restricted, Art 18; or kept only for a legal hold) is withheld from its history too.
	const historyWithheld = record?.fields.find((f) => f.field === historyField)?.withheld != null;
	const history =
		record && historyField && record.fields.some((f) => f.field === historyField)
			? db
					.select()
					.from(schema.customerFieldHistory)
					.where(
						and(
							eq(schema.customerFieldHistory.workspaceId, view.workspaceId),
							eq(schema.customerFieldHistory.customerId, recordId),
							eq(schema.customerFieldHistory.field, historyField)
						)
					)
					.orderBy(asc(schema.customerFieldHistory.at))
					.all()
					.map((h) => ({
						id: h.id,
						at: h.at,
						change: h.change,
						oldValue: historyWithheld ? null : h.oldValue,
						newValue: historyWithheld ? null : h.newValue,
						reason: h.reason,
						by: h.actorRole === 'system' ? 'System' : h.actorId === user.id ? 'You' : words(h.actorRole)
					}))
			: null;

	const enums: Record<EnumName, Option[]> = {
		partyTypes: options(schema.PARTY_TYPES),
		interactionChannels: options(schema.INTERACTION_CHANNELS),
		contactChannels: options(schema.CONTACT_CHANNELS),
		objectionChannels: schema.OBJECTION_CHANNELS.map((value) => ({ value, label: value === 'all' ? 'Every channel' : words(value) })),
		verificationMethods: options(schema.VERIFICATION_METHODS),
		thirdPartyActions: options(schema.THIRD_PARTY_ACTIONS),
		authorityTypes: options(schema.AUTHORITY_TYPES),
		lpaTypes: options(schema.LPA_TYPES),
		dataCategories: options(schema.DATA_CATEGORIES),
		consentMethods: options([...schema.CONSENT_METHODS, 'verbal']),
		consentGivers: options(schema.CONSENT_GIVERS),
		requestKinds: options(schema.REQUEST_KINDS),
		refusalGrounds: options(REFUSAL_GROUNDS),
		extensionReasons: options(EXTENSION_REASONS),
		feeGrounds: options(FEE_GROUNDS),
		redactionSources: options(Object.keys(REDACTABLE_SOURCES)),
		redactionDecisions: options(schema.REDACTION_DECISIONS),
		art15Items: options(schema.ART15_ITEMS),
		restrictionGrounds: options(RESTRICTION_GROUNDS),
		legalHoldReasons: options(schema.LEGAL_HOLD_REASONS),
		erasureGrounds: Object.entries(ERASURE_GROUNDS).map(([value, label]) => ({ value, label })),
		disclosureBases: options(DISCLOSURE_BASES),
		restrictedDisclosureGrounds: options(RESTRICTED_DISCLOSURE_GROUNDS),
		notToldReasons: Object.entries(SUBJECTS_NOT_TOLD_REASONS).map(([value, label]) => ({ value, label })),
		breachRisks: options(['unlikely', 'risk', 'high-risk']),
		dataSources: options(schema.DATA_SOURCES)
	};

	const desk: DeskOptions = {
		clockInput: londonLocalInput(view.clock),
		purposes: activePurposes.map((p) => ({ value: p.code, label: p.name })),
		customers: [...known].map(([id]) => ({ value: id, label: customerLabel(id) })),
		openCustomerId: recordId,
		recordFields: (record?.fields ?? []).map((f) => ({ value: f.field, label: words(f.field) })),
		thirdParties: thirdParties.map((t) => ({ value: t.id, label: `${t.name} (${t.relationship}${t.lpaType ? `, ${words(t.lpaType).toLowerCase()} LPA` : ''}${t.revokedAt ? ', revoked' : ''})` })),
		verifications: verifications.map((v) => ({ value: v.id, label: `${deskTime(v.attemptedAt)} · ${words(v.requesterType)} · ${v.outcome}` })),
		requests: rightsRequests.map((r) => ({ value: r.id, label: `${words(r.kind)} · received ${deskDate(r.receivedAt)} · due ${deskDate(r.dueDate)}` })),
		directory: directoryEntries(ctx).map((e) => ({
			value: e.code,
			label: `${e.name} (${e.kind === 'team' ? 'team' : 'outside body'})`,
			kind: e.kind,
			receives: e.receives.map((r) => ({ purpose: activePurposes.find((p) => p.code === r.purposeCode)?.name ?? r.purposeCode, fields: r.fields.map((f) => words(f)) }))
		})),
		catalogue: [...catalogue].map(([key, category]) => ({ key, label: words(key), category })),
		enums
	};

	return {
		attempt: {
			id: view.id,
			status: view.status,
			clock: view.clock,
			nextActionSeq: view.nextActionSeq,
			node: view.node,
			transcript: view.transcript
		},
		scenario: {
			id: scenario.id,
			title: version.title,
			brief: scenario.brief,
			organisation: scenario.organisation.name ?? 'Northwind Energy Ltd',
			// A call, a chat, correspondence or a conversation in person: the screen's words follow it.
			medium: conversationMedium(scenario.personas, view.node?.speaker?.key, view.transcript)
		},
		desk,
		search: lastSearch
			? { at: lastSearch.outcome.clock, result: valueOf<SearchResult>(lastSearch)!, names: Object.fromEntries([...known].map(([id, c]) => [id, c.name ?? ''])) }
			: null,
		record: record
			? {
					at: lastView!.at,
					customerId: recordId,
					reference: record.customer.reference,
					name: known.get(recordId)?.name ?? '',
					purpose: activePurposes.find((p) => p.code === record.purposeCode)?.name ?? record.purposeCode,
					purposeCode: record.purposeCode,
					fields: record.fields,
					changedSince
				}
			: null,
		history: history && historyField ? { field: historyField, entries: history } : null,
		thirdParties: thirdParties.map((t) => ({ id: t.id, name: t.name, relationship: t.relationship, scope: t.scopeCategories, actions: t.scopeActions, validTo: t.validTo, revoked: t.revokedAt !== null })),
		verifications: verifications.map((v) => ({
			id: v.id,
			at: v.attemptedAt,
			requesterType: v.requesterType,
			method: v.method,
			outcome: v.outcome,
			matched: v.itemsMatched,
			mismatched: v.itemsMismatched,
			readOut: v.itemsReadOut
		})),
		requests: rightsRequests.map((r) => ({
			id: r.id,
			kind: r.kind,
			state: r.state,
			customer: customerLabel(r.customerId),
			receivedAt: r.receivedAt,
			dueDate: r.dueDate,
			extended: r.extended,
			verbal: r.verbal,
			channel: r.channel,
			description: r.description
		})),
		breaches: breachRegister(ctx).map((b) => ({
			id: b.id,
			awareAt: b.awareAt,
			reportDueAt: b.reportDueAt,
			description: b.description,
			dataCategories: b.dataCategories,
			approxSubjects: b.approxSubjects,
			risk: b.risk,
			measuresTaken: b.measuresTaken,
			icoNotifiedAt: b.icoNotifiedAt,
			icoReference: b.icoReference,
			notNotifiedReason: b.notNotifiedReason,
			subjectsToldAt: b.subjectsToldAt,
			subjectsNotToldReason: b.subjectsNotToldReason,
			fromDisclosure: b.sourceDisclosureId !== null,
			closedAt: b.closedAt,
			reportOverdue: b.reportOverdue
		}))
	};
}
