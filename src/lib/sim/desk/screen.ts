/**
 * What the simulation screen shows of an attempt: the conversation, the record system's desk (the
 * choices its forms offer) and its panels. The learner's attempt and a tutor's preview show the
 * same thing, so a tutor sees a draft exactly as a learner would.
 *
 * Reads only, through the core's API: nothing here writes to the attempt's workspace or its audit
 * chain, which hold what the learner's recorded actions did and nothing else (an attempt replays to
 * the same chain). What the desk knows from those actions (who was found, the record open) comes
 * from keptDeskState.
 */
import {
	ART15_ITEMS,
	AUTHORITY_TYPES,
	CONSENT_GIVERS,
	CONSENT_METHODS,
	CONTACT_CHANNELS,
	DATA_CATEGORIES,
	DATA_SOURCES,
	DISCLOSURE_BASES,
	ERASURE_GROUNDS,
	EXTENSION_REASONS,
	FEE_GROUNDS,
	FIELD_CATALOGUE,
	INTERACTION_CHANNELS,
	LEGAL_HOLD_REASONS,
	LPA_TYPES,
	OBJECTION_CHANNELS,
	PARTY_TYPES,
	REDACTABLE_SOURCES,
	REDACTION_DECISIONS,
	REFUSAL_GROUNDS,
	REQUEST_KINDS,
	RESTRICTED_DISCLOSURE_GROUNDS,
	RESTRICTION_GROUNDS,
	SUBJECTS_NOT_TOLD_REASONS,
	THIRD_PARTY_ACTIONS,
	VERIFICATION_METHODS,
	breachRegister,
	categoryOfField,
	directoryEntries,
	fieldHistoryOf,
	purposes,
	requests,
	thirdPartiesOf,
	verificationAttemptsOf,
	type Db
} from '../../core';
import { conversationMedium } from '../conversation';
import type { AttemptView, LoadedScenario } from '../runtime';
import type { DeskOptions, EnumName, Option } from './forms';
import { keptDeskState } from './kept';
import { formatClock, formatDate, ukLocalInput } from '../../dates';
import { words } from './words';
import { deskNames, inPlainWords } from './plain';

const options = (codes: readonly string[]): Option[] => codes.map((value) => ({ value, label: words(value) }));

/** The choices the forms offer for each list of codes. */
function codeLists(): Record<EnumName, Option[]> {
	return {
		partyTypes: options(PARTY_TYPES),
		interactionChannels: options(INTERACTION_CHANNELS),
		contactChannels: options(CONTACT_CHANNELS),
		objectionChannels: OBJECTION_CHANNELS.map((value) => ({ value, label: value === 'all' ? 'Every channel' : words(value) })),
		verificationMethods: options(VERIFICATION_METHODS),
		thirdPartyActions: options(THIRD_PARTY_ACTIONS),
		authorityTypes: options(AUTHORITY_TYPES),
		lpaTypes: options(LPA_TYPES),
		dataCategories: options(DATA_CATEGORIES),
		consentMethods: options([...CONSENT_METHODS, 'verbal']),
		consentGivers: options(CONSENT_GIVERS),
		requestKinds: options(REQUEST_KINDS),
		refusalGrounds: options(REFUSAL_GROUNDS),
		extensionReasons: options(EXTENSION_REASONS),
		feeGrounds: options(FEE_GROUNDS),
		redactionSources: options(Object.keys(REDACTABLE_SOURCES)),
		redactionDecisions: options(REDACTION_DECISIONS),
		art15Items: options(ART15_ITEMS),
		restrictionGrounds: options(RESTRICTION_GROUNDS),
		legalHoldReasons: options(LEGAL_HOLD_REASONS),
		erasureGrounds: Object.entries(ERASURE_GROUNDS).map(([value, label]) => ({ value, label })),
		disclosureBases: options(DISCLOSURE_BASES),
		restrictedDisclosureGrounds: options(RESTRICTED_DISCLOSURE_GROUNDS),
		notToldReasons: Object.entries(SUBJECTS_NOT_TOLD_REASONS).map(([value, label]) => ({ value, label })),
		breachRisks: options(['unlikely', 'risk', 'high-risk']),
		dataSources: options(DATA_SOURCES)
	};
}

export interface ScreenRequest {
	/** The scenario's title as this screen names it (a preview names the draft's). */
	title: string;
	/** The field whose history the learner opened (`?history=`), if any. */
	historyField: string | null;
}

/** The screen's data for an attempt, at its current action. */
export async function deskScreen(db: Db, view: AttemptView, loaded: LoadedScenario, request: ScreenRequest) {
	const scenario = loaded.scenario;
	// The attempt's workspace, at the scenario's clock: due dates and overdue reports are as the learner's day has them.
	const ctx = { db, workspaceId: view.workspaceId, clock: () => view.clock };

	// The customers the learner has come across in this attempt, the last search and the record open.
	const state = await keptDeskState(db, view.id);
	const known = new Map(state.known.map((k) => [k.id, k]));
	const lastView = state.lastView;
	const record = lastView?.view;
	const recordId = record?.customer.id ?? '';

	const activePurposes = (await purposes(ctx)).filter((p) => p.active);
	const catalogue = new Map<string, string>(Object.entries(FIELD_CATALOGUE).map(([field, c]) => [field, c.category]));
	for (const p of activePurposes) for (const field of p.fields) if (!catalogue.has(field)) catalogue.set(field, categoryOfField(p, field) ?? 'identity');

	const thirdParties = recordId ? await thirdPartiesOf(ctx, recordId) : [];
	const verifications = recordId ? await verificationAttemptsOf(ctx, recordId) : [];
	const rightsRequests = await requests(ctx);
	const customerLabel = (id: string | null) => {
		const c = id === null ? undefined : known.get(id);
		return c ? [c.reference, c.name].filter(Boolean).join(' · ') : id === null ? 'Not matched' : 'A customer record';
	};

	// A field's history, on request, for a field of the record open. A value withheld from the record
	// (restricted, Art 18; or kept only for a legal hold) is withheld from its history too.
	const historyField = request.historyField;
	const shownField = historyField === null ? undefined : record?.fields.find((f) => f.field === historyField);
	const history =
		shownField && historyField !== null
			? {
					field: historyField,
					entries: (await fieldHistoryOf(ctx, recordId, historyField)).map((h) => ({
						id: h.id,
						at: h.at,
						change: h.change,
						oldValue: shownField.withheld != null ? null : h.oldValue,
						newValue: shownField.withheld != null ? null : h.newValue,
						reason: h.reason,
						// The attempt's owner is the one acting in it: their own changes are "You".
						by: h.actorRole === 'system' ? 'System' : h.actorId === view.ownerId ? 'You' : words(h.actorRole)
					}))
				}
			: null;

	const desk: DeskOptions = {
		clockInput: ukLocalInput(view.clock),
		purposes: activePurposes.map((p) => ({ value: p.code, label: p.name })),
		customers: [...known].map(([id]) => ({ value: id, label: customerLabel(id) })),
		openCustomerId: recordId,
		recordFields: (record?.fields ?? []).map((f) => ({ value: f.field, label: words(f.field) })),
		thirdParties: thirdParties.map((t) => ({ value: t.id, label: `${t.name} (${t.relationship}${t.lpaType ? `, ${words(t.lpaType).toLowerCase()} LPA` : ''}${t.revokedAt ? ', revoked' : ''})` })),
		verifications: verifications.map((v) => ({ value: v.id, label: `${formatClock(v.attemptedAt)} · ${words(v.requesterType)} · ${v.outcome}` })),
		requests: rightsRequests.map((r) => ({ value: r.id, label: `${words(r.kind)} · received ${formatDate(r.receivedAt)} · due ${formatDate(r.dueDate)}` })),
		directory: (await directoryEntries(ctx)).map((e) => ({
			value: e.code,
			label: `${e.name} (${e.kind === 'team' ? 'team' : 'outside body'})`,
			kind: e.kind,
			receives: e.receives.map((r) => ({ purpose: activePurposes.find((p) => p.code === r.purposeCode)?.name ?? r.purposeCode, fields: r.fields.map((f) => words(f)) }))
		})),
		catalogue: [...catalogue].map(([key, category]) => ({ key, label: words(key), category })),
		enums: codeLists()
	};

	const names = deskNames(desk);
	return {
		attempt: {
			id: view.id,
			status: view.status,
			clock: view.clock,
			nextActionSeq: view.nextActionSeq,
			node: view.node,
			// The record system's lines in the desk's words: stored as the core said them, shown without its codes.
			transcript: view.transcript.map((line) => (line.kind === 'system' ? { ...line, text: inPlainWords(line.text, names) } : line)),
			/** Lines of the conversation before the first shown: the screen links to the whole (`?transcript=all`). */
			earlierLines: view.earlierLines
		},
		scenario: {
			id: scenario.id,
			title: request.title,
			brief: scenario.brief,
			organisation: scenario.organisation.name ?? 'Northwind Energy Ltd',
			// A call, a chat, correspondence or a conversation in person: the screen's words follow it.
			medium: conversationMedium(scenario.personas, view.node?.speaker?.key, view.transcript)
		},
		desk,
		search: state.lastSearch
			? { at: state.lastSearch.at, result: state.lastSearch.result, names: Object.fromEntries([...known].map(([id, c]) => [id, c.name ?? ''])) }
			: null,
		record:
			record && lastView
				? {
						at: lastView.at,
						customerId: recordId,
						reference: record.customer.reference,
						name: known.get(recordId)?.name ?? '',
						purpose: activePurposes.find((p) => p.code === record.purposeCode)?.name ?? record.purposeCode,
						purposeCode: record.purposeCode,
						fields: record.fields,
						changedSince: state.changedSince
					}
				: null,
		history,
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
		breaches: (await breachRegister(ctx)).map((b) => ({
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

/** What the simulation screen shows: the page's data, from the learner's attempt or a tutor's preview. */
export type DeskScreen = Awaited<ReturnType<typeof deskScreen>>;
