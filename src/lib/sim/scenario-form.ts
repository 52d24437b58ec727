/**
 * The form editor's view of a scenario draft and its edits (issue 16): the details, the people
 * (personas), the customer records of the seed and the marking points, as values a form shows, and
 * each form's post as one edit of the YAML text. An edit writes only the values that changed, in
 * place (source-edit.ts), so the comments and layout of everything else survive, and the YAML view
 * shows the same draft. A refused edit names the field and says why, and changes nothing.
 *
 * Pure (text in, text out); callers run it in a worker (server/workers/scenario-jobs.ts).
 */
import { parseDocument } from 'yaml';
import { isCriterionCode } from '../criteria';
import { DATA_CATEGORIES } from '../core/schema/purpose';
import { INTERACTION_CHANNELS, PARTY_TYPES } from '../core/schema/interaction';
import { CUSTOMER_FIELDS } from './fields';
import { prescanScenario } from './scenario-limits';
import { appendItem, deleteKey, removeItem, setValue, type Path } from './source-edit';
import { DIFFICULTIES } from './starter-scenario';

// ── What the forms show ──────────────────────────────────────────────────────────────────────

export interface DetailsView {
	title: string;
	difficulty: string;
	criteria: string[];
	brief: string;
	/** As text, so a form can show it as typed. */
	passMark: string;
}

export interface PersonaView {
	key: string;
	name: string;
	role: string;
	partyType: string;
	channel: string;
	/** The seeded customer's key, or ''. */
	customer: string;
	description: string;
	/** The dialogue nodes where they speak. */
	speaksAt: string[];
}

export interface CustomerView {
	key: string;
	reference: string;
	since: string;
	/** The field values by data category, in the catalogue's order of categories. */
	groups: { category: string; fields: { field: string; value: string }[] }[];
	/** Catalogue fields the record does not have yet, by category. */
	addable: { category: string; fields: string[] }[];
}

/** A marking rule the form can edit: the learner did (or did not) do one dialogue event. */
export interface SimpleRule {
	kind: 'exists' | 'absent';
	event: string;
}

export interface PointView {
	id: string;
	description: string;
	criteria: string[];
	weight: string;
	critical: boolean;
	met: string;
	notMet: string;
	/** Null when the rule is more than the form can show: it stays as written, editable in YAML. */
	rule: SimpleRule | null;
	/** The choices that award (or cost) it: tagged with it, or putting an event its rule names in the log. */
	awardedBy: { node: string; choice: string; label: string; quality?: string }[];
}

export interface FormView {
	details: DetailsView;
	personas: PersonaView[];
	customers: CustomerView[];
	points: PointView[];
	/** The declared dialogue events, for a point's rule. */
	events: { name: string; description: string }[];
	/** The dialogue's node ids, in order (a problem at `dialogue.nodes[3]` is fixed at the fourth). */
	nodes: string[];
}

export type FormViewResult = { ok: true; view: FormView } | { ok: false; message: string };

const UNREADABLE = 'The draft’s YAML cannot be read, so the forms cannot show it. Fix it in the YAML view first (the problems below say where).';

type Data = Record<string, unknown>;
const rec = (v: unknown): Data => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

function read(source: string): Data | undefined {
	if (prescanScenario(source)) return undefined;
	try {
		const doc = parseDocument(source, { uniqueKeys: false });
		if (doc.errors.length > 0) return undefined;
		const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
		return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Data) : undefined;
	} catch {
		return undefined;
	}
}

/** The catalogue's fields of one data category, in catalogue order. */
const fieldsOf = (category: string) => Object.entries(CUSTOMER_FIELDS).filter(([, c]) => c === category).map(([f]) => f);

/** The dialogue's choices, each with its node. */
function choicesOf(data: Data): { node: string; choice: Data }[] {
	return list(rec(data.dialogue).nodes).flatMap((n) => list(rec(n).choices).map((c) => ({ node: str(rec(n).id), choice: rec(c) })));
}

/** Every event name a rule mentions, at any depth. */
function eventsOfRule(rule: unknown, into = new Set<string>()): Set<string> {
	if (Array.isArray(rule)) for (const r of rule) eventsOfRule(r, into);
	else if (rule !== null && typeof rule === 'object') {
		for (const [k, v] of Object.entries(rule)) {
			if (k === 'event' && typeof v === 'string') into.add(v);
			else eventsOfRule(v, into);
		}
	}
	return into;
}

function simpleRule(rule: unknown): SimpleRule | null {
	const r = rec(rule);
	const keys = Object.keys(r);
	if (keys.length !== 1 || (keys[0] !== 'exists' && keys[0] !== 'absent')) return null;
	const matcher = rec(r[keys[0]]);
	if (Object.keys(matcher).length !== 1 || typeof matcher.event !== 'string') return null;
	return { kind: keys[0], event: matcher.event };
}

export function formView(source: string): FormViewResult {
	const data = read(source);
	if (!data) return { ok: false, message: UNREADABLE };
	const nodes = list(rec(data.dialogue).nodes).map(rec);
	const choices = choicesOf(data);
	const view: FormView = {
		details: {
			title: str(data.title),
			difficulty: str(data.difficulty),
			criteria: list(data.criteria).map(str),
			brief: str(data.brief),
			passMark: data.passMark === undefined ? '80' : str(data.passMark)
		},
		personas: list(data.personas).map((p) => {
			const persona = rec(p);
			const key = str(persona.key);
			return {
				key,
				name: str(persona.name),
				role: str(persona.role),
				partyType: str(persona.partyType),
				channel: persona.channel === undefined ? 'phone' : str(persona.channel),
				customer: str(persona.customer),
				description: str(persona.description),
				speaksAt: nodes.filter((n) => n.speaker === key).map((n) => str(n.id))
			};
		}),
		customers: list(rec(data.seed).customers).map((c) => {
			const customer = rec(c);
			const fields = rec(customer.fields);
			return {
				key: str(customer.key),
				reference: str(customer.reference),
				since: str(customer.since),
				groups: DATA_CATEGORIES.filter((cat) => Object.keys(rec(fields[cat])).length > 0).map((category) => ({
					category,
					fields: Object.entries(rec(fields[category])).map(([field, value]) => ({ field, value: str(value) }))
				})),
				addable: DATA_CATEGORIES.map((category) => ({ category, fields: fieldsOf(category).filter((f) => !(f in rec(fields[category]))) })).filter((g) => g.fields.length > 0)
			};
		}),
		points: list(data.marking).map((p) => {
			const point = rec(p);
			const id = str(point.id);
			const feedback = rec(point.feedback);
			const mentioned = eventsOfRule(point.rule);
			return {
				id,
				description: str(point.description),
				criteria: list(point.criteria).map(str),
				weight: str(point.weight),
				critical: point.critical === true,
				met: str(feedback.met),
				notMet: str(feedback.notMet),
				rule: simpleRule(point.rule),
				awardedBy: choices
					.filter(({ choice }) => choice.point === id || (typeof choice.event === 'string' && mentioned.has(choice.event)))
					.map(({ node, choice }) => ({ node, choice: str(choice.id), label: str(choice.label), ...(typeof choice.quality === 'string' ? { quality: choice.quality } : {}) }))
			};
		}),
		events: list(data.events).map((e) => ({ name: str(rec(e).name), description: str(rec(e).description) })),
		nodes: nodes.map((n) => str(n.id))
	};
	return { ok: true, view };
}

// ── The edits ────────────────────────────────────────────────────────────────────────────────

export type FormEdit =
	| { kind: 'details'; title: string; difficulty: string; criteria: string[]; brief: string; passMark: string }
	| { kind: 'persona'; key: string; name: string; role: string; partyType: string; channel: string; customer: string; description: string }
	| { kind: 'add-persona'; name: string }
	| { kind: 'remove-persona'; key: string }
	| { kind: 'customer'; key: string; reference: string; since: string; values: Record<string, string> }
	| { kind: 'add-field'; key: string; field: string; value: string }
	| { kind: 'remove-field'; key: string; field: string }
	| { kind: 'add-customer' }
	| { kind: 'point'; id: string; description: string; criteria: string[]; weight: string; critical: boolean; met: string; notMet: string; ruleKind?: string; ruleEvent?: string }
	| { kind: 'add-point'; description: string }
	| { kind: 'remove-point'; id: string };

export type FormEditResult = { ok: true; source: string } | { ok: false; field: string; message: string };

/** The longest values the forms take: a title, a name or a value; a description or feedback; the brief. */
export const MAX_SHORT = 200;
export const MAX_TEXT = 4_000;
export const MAX_BRIEF = 20_000;

class Refusal {
	constructor(
		readonly field: string,
		readonly message: string
	) {}
}
const refuse = (field: string, message: string): never => {
	throw new Refusal(field, message);
};

function required(field: string, value: string, what: string, max = MAX_SHORT): string {
	const v = value.trim();
	if (v === '') refuse(field, `Enter ${what}.`);
	if (v.length > max) refuse(field, `Use at most ${max.toLocaleString('en-GB')} characters: this is longer.`);
	return v;
}

function wholeNumber(field: string, value: string, min: number, max: number, what: string): number {
	const v = value.trim();
	if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max) refuse(field, `Enter ${what} as a whole number from ${min} to ${max}.`);
	return Number(v);
}

function criteriaList(field: string, codes: string[]): string[] {
	const unknown = codes.filter((c) => !isCriterionCode(c));
	if (unknown.length > 0) refuse(field, `Unknown criterion ${unknown.map((c) => JSON.stringify(c.slice(0, 20))).join(', ')}: choose from the list.`);
	const unique = [...new Set(codes)];
	if (unique.length === 0) refuse(field, 'Choose at least one criterion.');
	return unique;
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[], what: string): T {
	if (!(allowed as readonly string[]).includes(value)) refuse(field, `Choose ${what} from the list.`);
	return value as T;
}

const KEBAB = /[^a-z0-9]+/g;
/** A new local key made from words, unique among `taken`. */
function newKey(words: string, fallback: string, taken: ReadonlySet<string>): string {
	const base =
		words
			.normalize('NFD')
			.replace(/\p{M}/gu, '')
			.toLowerCase()
			.replace(KEBAB, '-')
			.replace(/^-+|-+$/g, '')
			.split('-')
			.slice(0, 5)
			.join('-')
			.slice(0, 40)
			.replace(/-+$/, '') || fallback;
	let key = base;
	for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
	return key;
}

/** Writes `value` at `path` only when it differs from what is there, so untouched values keep their layout. */
function put(source: string, path: Path, current: unknown, value: unknown): string {
	return JSON.stringify(current) === JSON.stringify(value) ? source : setValue(source, path, value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const REFERENCE = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

/** Applies one form's edit to the draft's text, or says which field refused it and why. */
export function applyFormEdit(source: string, edit: FormEdit): FormEditResult {
	const data = read(source);
	if (!data) return { ok: false, field: 'form', message: UNREADABLE };
	try {
		return { ok: true, source: apply(source, data, edit) };
	} catch (e) {
		if (e instanceof Refusal) return { ok: false, field: e.field, message: e.message };
		throw e;
	}
}

function indexBy(items: unknown[], name: string, value: string, notFound: string): number {
	const i = items.findIndex((item) => rec(item)[name] === value);
	if (i < 0) refuse('form', notFound);
	return i;
}

function apply(source: string, data: Data, edit: FormEdit): string {
	const personas = list(data.personas);
	const customers = list(rec(data.seed).customers);
	const points = list(data.marking);
	const gone = (what: string) => `That ${what} is no longer in the draft (it was changed elsewhere): here is the draft as it is now.`;
	switch (edit.kind) {
		case 'details': {
			const title = required('title', edit.title, 'a title', 140);
			const difficulty = oneOf('difficulty', edit.difficulty, DIFFICULTIES, 'a difficulty');
			const criteria = criteriaList('criteria', edit.criteria);
			const brief = required('brief', edit.brief.replace(/\r\n/g, '\n'), 'the brief: what the learner is told before starting', MAX_BRIEF);
			const passMark = wholeNumber('passMark', edit.passMark, 1, 100, 'the pass mark');
			let out = put(source, ['title'], data.title, title);
			out = put(out, ['difficulty'], data.difficulty, difficulty);
			out = put(out, ['criteria'], data.criteria, criteria);
			// A brief is compared without its final line break, which a block scalar adds.
			if (str(data.brief).replace(/\n$/, '') !== brief) out = setValue(out, ['brief'], `${brief}\n`);
			return put(out, ['passMark'], data.passMark ?? 80, passMark);
		}
		case 'persona': {
			const i = indexBy(personas, 'key', edit.key, gone('person'));
			const persona = rec(personas[i]);
			const path = (k: string): Path => ['personas', i, k];
			const name = required('name', edit.name, 'their name');
			const role = required('role', edit.role, 'their role, e.g. “caller” or “team leader”');
			const partyType = oneOf('partyType', edit.partyType, PARTY_TYPES, 'who they are to the organisation');
			const channel = oneOf('channel', edit.channel, INTERACTION_CHANNELS, 'how they are in contact');
			if (edit.customer !== '' && !customers.some((c) => rec(c).key === edit.customer)) refuse('customer', 'Choose a customer record from the list, or none.');
			const description = required('description', edit.description, 'a description: who they are, what they want, how they behave', MAX_TEXT);
			let out = put(source, path('name'), persona.name, name);
			out = put(out, path('role'), persona.role, role);
			out = put(out, path('partyType'), persona.partyType, partyType);
			out = put(out, path('channel'), persona.channel ?? 'phone', channel);
			if (edit.customer === '') out = deleteKey(out, path('customer'));
			else out = put(out, path('customer'), persona.customer, edit.customer);
			return put(out, path('description'), persona.description, description);
		}
		case 'add-persona': {
			const name = required('name', edit.name, 'their name');
			const key = newKey(name, 'person', new Set(personas.map((p) => str(rec(p).key))));
			return appendItem(source, ['personas'], { key, name, role: 'caller', partyType: 'data-subject', channel: 'phone', description: `Describe ${name}: who they are, what they want, how they behave.` });
		}
		case 'remove-persona': {
			const i = indexBy(personas, 'key', edit.key, gone('person'));
			const at = list(rec(data.dialogue).nodes).filter((n) => rec(n).speaker === edit.key).map((n) => `“${str(rec(n).id)}”`);
			if (at.length > 0) {
				refuse('form', `${str(rec(personas[i]).name) || edit.key} speaks in the dialogue (node${at.length === 1 ? '' : 's'} ${at.join(', ')}): give ${at.length === 1 ? 'that node' : 'those nodes'} another speaker first.`);
			}
			return removeItem(source, ['personas'], i);
		}
		case 'customer': {
			const i = indexBy(customers, 'key', edit.key, gone('customer record'));
			const customer = rec(customers[i]);
			const reference = required('reference', edit.reference, 'the account reference', 32).toUpperCase();
			if (!REFERENCE.test(reference)) refuse('reference', 'An account reference is 3 to 32 capital letters, digits and hyphens, e.g. “ACC-104233”.');
			const since = edit.since.trim();
			if (!DATE.test(since) && !INSTANT.test(since)) refuse('since', 'Enter the date the customer was first recorded, e.g. 2024-11-02.');
			const fields = rec(customer.fields);
			let out = put(source, ['seed', 'customers', i, 'reference'], customer.reference, reference);
			out = put(out, ['seed', 'customers', i, 'since'], customer.since, since);
			for (const category of DATA_CATEGORIES) {
				for (const [field, current] of Object.entries(rec(fields[category]))) {
					const posted = edit.values[field];
					if (posted === undefined) continue;
					const value = required(`value-${field}`, posted, 'a value (or remove the field)', MAX_SHORT);
					out = put(out, ['seed', 'customers', i, 'fields', category, field], current, value);
				}
			}
			return out;
		}
		case 'add-field': {
			const i = indexBy(customers, 'key', edit.key, gone('customer record'));
			const category = (CUSTOMER_FIELDS as Record<string, string>)[edit.field];
			if (category === undefined) refuse('field', 'Choose a field from the list.');
			const fields = rec(rec(customers[i]).fields);
			if (edit.field in rec(fields[category!])) refuse('field', 'The record already has that field: change its value above.');
			const value = required('value', edit.value, 'a value for the new field');
			if (fields[category!] === undefined) return setValue(source, ['seed', 'customers', i, 'fields', category!], { [edit.field]: value });
			return setValue(source, ['seed', 'customers', i, 'fields', category!, edit.field], value);
		}
		case 'remove-field': {
			const i = indexBy(customers, 'key', edit.key, gone('customer record'));
			const fields = rec(rec(customers[i]).fields);
			const category = DATA_CATEGORIES.find((c) => edit.field in rec(fields[c]));
			if (!category) refuse('form', gone('field'));
			// A category left with no field goes too: an empty category is not a record's.
			if (Object.keys(rec(fields[category!])).length === 1) return deleteKey(source, ['seed', 'customers', i, 'fields', category!]);
			return deleteKey(source, ['seed', 'customers', i, 'fields', category!, edit.field]);
		}
		case 'add-customer': {
			const taken = new Set(customers.map((c) => str(rec(c).key)));
			const key = newKey('customer', 'customer', taken);
			let n = customers.length + 1;
			const references = new Set(customers.map((c) => str(rec(c).reference)));
			while (references.has(`NEW-${String(n).padStart(4, '0')}`)) n++;
			// The purposes' required fields come filled, from the first record, so the new one can be seeded at once.
			const first = rec(rec(customers[0]).fields);
			const fields: Record<string, Record<string, string>> = { identity: { givenName: 'New', familyName: 'Customer' } };
			for (const purpose of list(rec(data.seed).purposes)) {
				for (const field of list(rec(purpose).requiredFields).map(str)) {
					const category = DATA_CATEGORIES.find((c) => field in rec(first[c]));
					if (category && !(field in (fields[category] ?? {}))) fields[category] = { ...fields[category], [field]: str(rec(first[category])[field]) };
				}
			}
			return appendItem(source, ['seed', 'customers'], { key, reference: `NEW-${String(n).padStart(4, '0')}`, since: '2024-01-02', fields });
		}
		case 'point': {
			const i = indexBy(points, 'id', edit.id, gone('marking point'));
			const point = rec(points[i]);
			const path = (...k: string[]): Path => ['marking', i, ...k];
			const description = required('description', edit.description, 'what the point checks', MAX_TEXT);
			const criteria = criteriaList('criteria', edit.criteria);
			const weight = wholeNumber('weight', edit.weight, 1, 1000, 'the marks');
			const met = required('met', edit.met, 'the feedback when the point is met', MAX_TEXT);
			const notMet = required('notMet', edit.notMet, 'the feedback when it is missed', MAX_TEXT);
			let out = put(source, path('description'), point.description, description);
			out = put(out, path('criteria'), point.criteria, criteria);
			out = put(out, path('weight'), point.weight, weight);
			if (edit.critical) out = put(out, path('critical'), point.critical, true);
			else if (point.critical !== undefined) out = deleteKey(out, path('critical'));
			const feedback = rec(point.feedback);
			out = put(out, path('feedback', 'met'), feedback.met, met);
			out = put(out, path('feedback', 'notMet'), feedback.notMet, notMet);
			// Only a rule the form showed is changed; any other rule stays exactly as written.
			if (edit.ruleKind !== undefined && simpleRule(point.rule) !== null) {
				const kind = oneOf('ruleKind', edit.ruleKind, ['exists', 'absent'] as const, 'whether the learner should do it');
				const event = (edit.ruleEvent ?? '').trim();
				if (!/^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+$/.test(event)) refuse('ruleEvent', 'Choose what the learner does from the list.');
				const current = simpleRule(point.rule)!;
				if (current.kind !== kind || current.event !== event) out = setValue(out, path('rule'), { [kind]: { event } });
			}
			return out;
		}
		case 'add-point': {
			const description = required('description', edit.description, 'what the point checks', MAX_TEXT);
			const id = newKey(description, 'point', new Set(points.map((p) => str(rec(p).id))));
			const event = str(rec(list(data.events)[0]).name) || 'interaction.logged';
			const criteria = list(data.criteria).map(str).filter(isCriterionCode).slice(0, 1);
			return appendItem(source, ['marking'], {
				id,
				description,
				criteria: criteria.length > 0 ? criteria : ['PC03'],
				weight: 1,
				rule: { exists: { event } },
				feedback: { met: 'Say what the learner did well.', notMet: 'Say what the learner did, and what to do instead.' }
			});
		}
		case 'remove-point': {
			const i = indexBy(points, 'id', edit.id, gone('marking point'));
			const tagged = choicesOf(data).filter(({ choice }) => choice.point === edit.id).map(({ node, choice }) => `“${str(choice.id)}” (node “${node}”)`);
			if (tagged.length > 0) {
				refuse('form', `The dialogue’s choice${tagged.length === 1 ? '' : 's'} ${tagged.join(', ')} ${tagged.length === 1 ? 'is' : 'are'} judged under this point: tag ${tagged.length === 1 ? 'it' : 'them'} with another point in the dialogue first.`);
			}
			return removeItem(source, ['marking'], i);
		}
	}
}

// ── Where a problem is fixed ─────────────────────────────────────────────────────────────────

export type ProblemPlace = { kind: 'form'; anchor: string; where: string } | { kind: 'dialogue'; node: string; where: string } | { kind: 'yaml'; where: string };

const DETAIL_FIELDS: Record<string, string> = { title: 'Title', difficulty: 'Difficulty', criteria: 'Criteria', brief: 'Brief', passMark: 'Pass mark' };
const PERSONA_FIELDS = ['name', 'role', 'partyType', 'channel', 'customer', 'description'];
const POINT_FIELDS = ['description', 'criteria', 'weight', 'critical'];

/** Where the problem at a checker's `path` can be fixed: a field of a form, a node of the dialogue, or the YAML. */
export function problemPlace(path: string, view: FormView | null): ProblemPlace {
	const top = /^([A-Za-z]+)/.exec(path)?.[1] ?? '';
	if (top in DETAIL_FIELDS) return { kind: 'form', anchor: `details-${top}`, where: `Details: ${DETAIL_FIELDS[top]!.toLowerCase()}` };
	let m = /^personas\[(\d+)\](?:\.(\w+))?/.exec(path);
	if (m && view?.personas[Number(m[1])]) {
		const p = view.personas[Number(m[1])]!;
		const field = m[2] && PERSONA_FIELDS.includes(m[2]) ? `-${m[2]}` : '';
		return { kind: 'form', anchor: `persona-${p.key}${field}`, where: `Person “${p.name || p.key}”` };
	}
	m = /^seed\.customers\[(\d+)\]/.exec(path);
	if (m && view?.customers[Number(m[1])]) {
		const c = view.customers[Number(m[1])]!;
		return { kind: 'form', anchor: `customer-${c.key}`, where: `Customer record ${c.reference || c.key}` };
	}
	m = /^marking\[(\d+)\](?:\.(\w+))?/.exec(path);
	if (m && view?.points[Number(m[1])]) {
		const p = view.points[Number(m[1])]!;
		const field = m[2] && POINT_FIELDS.includes(m[2]) ? `-${m[2]}` : m[2] === 'feedback' ? '-met' : '';
		return { kind: 'form', anchor: `point-${p.id}${field}`, where: `Marking point “${p.id}”` };
	}
	m = /^dialogue\.nodes\[(\d+)\]/.exec(path);
	const node = m ? view?.nodes[Number(m[1])] : undefined;
	if (node) return { kind: 'dialogue', node, where: `Dialogue, node “${node}”` };
	return { kind: 'yaml', where: path === '(root)' ? 'The whole file' : path };
}
