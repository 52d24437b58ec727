/**
 * What the simulation desk knows after each action of an attempt: the customers the learner has
 * come across (and what they were shown of each), the last search, the last record opened and
 * whether that record has changed since. A pure function of the action log — `deskStateAfter`
 * folds one stored action into the state — so it can be kept as the attempt goes (a page render
 * reads it instead of every action) and replay reproduces it exactly.
 */
import type { CustomerView, SearchResult } from '../../core';
import { deskOperation } from './registry';
import type { StoredAction } from '../attempt-record';

/** A customer the learner has come across: found by a search, opened, or recorded by them. */
export interface KnownCustomer {
	id: string;
	reference: string;
	/** The name as the learner saw or typed it, when they did. */
	name?: string;
}

export interface DeskState {
	/** In the order the learner first came across them. */
	known: KnownCustomer[];
	/** The last search that ran: when (scenario clock after it) and what it found. */
	lastSearch: { seq: number; at: string; result: SearchResult } | null;
	/** The last record opened: when (scenario clock when opened) and what it showed. */
	lastView: { seq: number; at: string; view: CustomerView } | null;
	/** A value of the open record was changed after it was opened: what it shows may be out of date. */
	changedSince: boolean;
}

export const EMPTY_DESK_STATE: DeskState = Object.freeze({ known: [], lastSearch: null, lastView: null, changedSince: false }) as DeskState;

type Action = Pick<StoredAction, 'seq' | 'kind' | 'name' | 'input' | 'outcome' | 'at'>;

const valueOf = <T>(a: Action): T | undefined => (a.kind === 'core' && a.outcome.core?.ok ? (a.outcome.core.value as T) : undefined);

function withKnown(known: KnownCustomer[], id: string, update: (before: KnownCustomer | undefined) => KnownCustomer): KnownCustomer[] {
	const at = known.findIndex((k) => k.id === id);
	if (at < 0) return [...known, update(undefined)];
	const next = known.slice();
	next[at] = update(known[at]);
	return next;
}

const fullName = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ') || undefined;

/** The desk's state after one more action: the state before is never changed. */
export function deskStateAfter(state: DeskState, action: Action): DeskState {
	if (action.kind !== 'core' || action.outcome.core?.ok !== true) return state;
	switch (action.name) {
		case 'searchCustomers': {
			const result = valueOf<SearchResult>(action);
			if (!result) return state;
			let known = state.known;
			for (const hit of result.hits) known = withKnown(known, hit.customerId, (k) => ({ ...k, id: hit.customerId, reference: hit.reference }));
			return { ...state, known, lastSearch: { seq: action.seq, at: action.outcome.clock, result } };
		}
		case 'viewCustomer': {
			const view = valueOf<CustomerView>(action);
			if (!view) return state;
			const shown = (field: string) => view.fields.find((x) => x.field === field)?.value ?? undefined;
			const name = fullName(shown('givenName'), shown('familyName'));
			const known = withKnown(state.known, view.customer.id, (k) => ({ id: view.customer.id, reference: view.customer.reference, ...((name ?? k?.name) === undefined ? {} : { name: name ?? k?.name }) }));
			return { ...state, known, lastView: { seq: action.seq, at: action.at, view }, changedSince: false };
		}
		case 'recordCustomer': {
			const made = valueOf<{ id: string; reference: string }>(action);
			if (!made) return state;
			const typed = (action.input as { fields?: Record<string, string> } | null)?.fields ?? {};
			const name = fullName(typed.givenName, typed.familyName);
			const known = withKnown(state.known, made.id, () => ({ id: made.id, reference: made.reference, ...(name === undefined ? {} : { name }) }));
			return { ...state, known };
		}
		default: {
			const open = state.lastView?.view.customer.id;
			const target = (action.input as { customerId?: unknown } | null)?.customerId;
			if (open !== undefined && !state.changedSince && deskOperation(action.name)?.changesValues === true && target === open) return { ...state, changedSince: true };
			return state;
		}
	}
}

/** The desk's state after all these actions, in seq order: what replay gives. */
export function deskStateOf(actions: readonly Action[]): DeskState {
	return actions.reduce(deskStateAfter, EMPTY_DESK_STATE);
}
