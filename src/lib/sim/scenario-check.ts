/**
 * Reading and checking scenario files: YAML syntax, then the schema (scenario-schema.ts), then
 * what the schema cannot see — references between parts of the file and to the outside (event
 * names, nodes, personas, seeded records, fields, criteria) and the shape of the dialogue.
 *
 * Every problem is reported as `file: path: message`, the path naming the place in the file the
 * way an author reads it (`marking[2].rule.before.then.event`). All problems are errors: an unknown
 * name or an unreachable node is never a silent never-met rule or dead content.
 *
 * The whole check is linear in the file's size (issue 13: a 250 kB file must not hold a thread for
 * seconds): limits before parsing (scenario-limits.ts), duplicate keys found with one set per
 * mapping, lines found through an index, reachability in two passes, suggestions within a budget,
 * and at most MAX_REPORTED problems listed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { AUDIT_ACTIONS, isAuditAction } from '../core/audit-actions';
import { normaliseLpaReference } from '../core/opg-register';
import { SPECIAL_CATEGORIES } from '../core/schema/customer';
import { isBuiltInDialogueEvent, knownDetailsKeys } from './events';
import { cataloguedCategory, CUSTOMER_FIELDS, SPECIAL_CATEGORY_FIELDS, type FieldCategory } from './fields';
import { reachability } from './reachability';
import type { VariableValue } from './rules';
import { prescanScenario, scenarioSizeProblem } from './scenario-limits';
import {
	CONDITION_EXPECTED,
	RULE_EXPECTED,
	RULE_OPERATORS,
	scenarioSchema,
	type EventMatcher,
	type Rule,
	type Scenario
} from './scenario-schema';

export interface ScenarioError {
	file: string;
	/** Where in the file, e.g. "marking[2].rule.before.then.event"; "line 4, column 3" for YAML syntax. */
	path: string;
	message: string;
	/** 1-based line the path points at, when it can be found (for editors). */
	line?: number;
}

export function formatScenarioError(error: ScenarioError): string {
	return `${error.file}: ${error.path}: ${error.message}`;
}

export type ParsedScenario =
	| { ok: true; scenario: Scenario; version: string; hash: string }
	| { ok: false; errors: ScenarioError[] };

/** First 12 hex digits of the SHA-256 of the file's text. */
export function contentHash(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);
}

/** What an attempt pins: the declared version and the content hash, e.g. "1.0.0+3f2a9c81d07e". */
export function scenarioVersion(declared: string, text: string): string {
	return `${declared}+${contentHash(text)}`;
}

export function checkScenario(file: string, text: string): ScenarioError[] {
	const parsed = parseScenario(file, text);
	return parsed.ok ? [] : parsed.errors;
}

/** At most this many problems are listed (each with its line); a last entry says how many more. */
export const MAX_REPORTED = 200;

/** Parses and checks one file: the scenario, or every problem found (the first MAX_REPORTED). */
export function parseScenario(file: string, text: string): ParsedScenario {
	const limit = prescanScenario(text);
	if (limit) return { ok: false, errors: [{ file, path: '(root)', message: limit.message }] };
	const lineCounter = new LineCounter();
	// The parser's own duplicate-key check compares each key with every earlier one (20,000 keys in
	// one mapping took 2.5 s); duplicateKeys below does the same with one set per mapping.
	const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
	if (doc.errors.length > 0) {
		return {
			ok: false,
			errors: capped(
				file,
				doc.errors.map((e) => {
					const pos = e.linePos?.[0];
					const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
					return pos
						? { file, path: `line ${pos.line}, column ${pos.col}`, message, line: pos.line }
						: { file, path: '(root)', message };
				})
			)
		};
	}
	const repeated = duplicateKeys(doc, lineCounter);
	if (repeated.length > 0) return { ok: false, errors: capped(file, repeated.map((p) => ({ file, path: `line ${p.line}, column ${p.col}`, message: 'Map keys must be unique', line: p.line }))) };
	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: 100 });
	} catch (error) {
		// Too many aliases ("billion laughs"): refuse rather than expand.
		return { ok: false, errors: [{ file, path: '(root)', message: error instanceof Error ? error.message : String(error) }] };
	}
	const size = scenarioSizeProblem(data);
	if (size) return { ok: false, errors: [{ file, path: '(root)', message: size.message }] };
	const locate = lineFinder(doc.contents, lineCounter);
	const toErrors = (problems: Problem[]): ScenarioError[] => {
		const unique = dedupe(problems.map((p) => ({ file, path: formatPath(p.path), message: p.message, at: p.path })));
		// Lines only for the problems listed: each costs a walk down its path.
		return capped(
			file,
			unique.slice(0, MAX_REPORTED).map(({ at, ...e }) => {
				const line = locate(at);
				return line === undefined ? e : { ...e, line };
			}),
			unique.length
		);
	};
	const result = scenarioSchema.safeParse(data === undefined ? null : data);
	if (!result.success) return { ok: false, errors: toErrors(schemaProblems(result.error.issues, data, [])) };
	const problems = semanticProblems(result.data, file);
	if (problems.length > 0) return { ok: false, errors: toErrors(problems) };
	return { ok: true, scenario: result.data, version: scenarioVersion(result.data.version, text), hash: contentHash(text) };
}

/** The first MAX_REPORTED errors, and a last one saying how many are not listed. */
function capped(file: string, errors: ScenarioError[], total = errors.length): ScenarioError[] {
	if (total <= MAX_REPORTED) return errors;
	return [...errors.slice(0, MAX_REPORTED), { file, path: '(root)', message: `${total - MAX_REPORTED} more problems are not listed: fix these first` }];
}

/** Where a key is given a second time in the same mapping (YAML 1.2.2 §3.2.1.1: keys are unique). */
function duplicateKeys(doc: Document, lineCounter: LineCounter): { line: number; col: number }[] {
	const found: { line: number; col: number }[] = [];
	visit(doc, {
		Map(_, map: YAMLMap) {
			const seen = new Set<unknown>();
			for (const pair of map.items as Pair[]) {
				// Complex keys (a mapping as a key) are left to the schema, which takes only names.
				if (!isScalar(pair.key)) continue;
				const key = pair.key.value;
				if (seen.has(key)) {
					const offset = pair.key.range?.[0];
					if (offset !== undefined) found.push(lineCounter.linePos(offset));
				}
				seen.add(key);
			}
		}
	});
	return found;
}

export interface LoadedScenario {
	file: string;
	scenario: Scenario;
	/** `${declared version}+${content hash}`: what an attempt pins. */
	version: string;
	hash: string;
}

/** Every *.yaml file in `dir` (not recursive), in name order: the scenarios that pass, and every error. */
export function loadScenarios(dir: string): { scenarios: LoadedScenario[]; errors: ScenarioError[] } {
	const names = readdirSync(dir)
		.filter((name) => name.endsWith('.yaml'))
		.sort();
	const scenarios: LoadedScenario[] = [];
	const errors: ScenarioError[] = [];
	// Each file is named after its scenario's id (checked), so ids are unique within a directory.
	for (const name of names) {
		const file = join(dir, name);
		const parsed = parseScenario(file, readFileSync(file, 'utf8'));
		if (parsed.ok) scenarios.push({ file, scenario: parsed.scenario, version: parsed.version, hash: parsed.hash });
		else errors.push(...parsed.errors);
	}
	return { scenarios, errors };
}

// ── Paths and lines ──────────────────────────────────────────────────────────────────────────

type PathSegment = string | number;

interface Problem {
	path: PathSegment[];
	message: string;
}

function formatPath(path: readonly PathSegment[]): string {
	if (path.length === 0) return '(root)';
	return path
		.map((segment, i) => {
			if (typeof segment === 'number') return `[${segment}]`;
			if (!/^[A-Za-z0-9_-]+$/.test(segment)) return `[${JSON.stringify(segment)}]`;
			return i === 0 ? segment : `.${segment}`;
		})
		.join('');
}

/**
 * The line of the deepest part of a path that exists in the YAML (the key's line for a mapping
 * entry). A mapping's keys are indexed the first time a path goes through it, so finding the lines
 * of many problems in one large mapping costs its size once, not once per problem.
 */
function lineFinder(root: unknown, lineCounter: LineCounter): (path: readonly PathSegment[]) => number | undefined {
	const indexes = new Map<YAMLMap, Map<unknown, Pair>>();
	const pairOf = (map: YAMLMap, segment: PathSegment): Pair | undefined => {
		let index = indexes.get(map);
		if (!index) {
			index = new Map();
			for (const item of map.items as Pair[]) {
				const key = (item.key as { value?: unknown } | null)?.value;
				if (!index.has(key)) index.set(key, item);
			}
			indexes.set(map, index);
		}
		return index.get(segment);
	};
	return (path) => lineOf(root, path, lineCounter, pairOf);
}

function lineOf(root: unknown, path: readonly PathSegment[], lineCounter: LineCounter, pairOf: (map: YAMLMap, segment: PathSegment) => Pair | undefined): number | undefined {
	let node = root as YamlNode | null | undefined;
	let offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
	for (const segment of path) {
		if (isMap(node)) {
			const pair = pairOf(node, segment);
			if (!pair) break;
			offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? offset;
			node = pair.value as YamlNode | null;
		} else if (isSeq(node) && typeof segment === 'number') {
			const item = node.items[segment] as YamlNode | undefined;
			if (!item) break;
			offset = item.range?.[0] ?? offset;
			node = item;
		} else {
			break;
		}
	}
	return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function dedupe<E extends ScenarioError>(errors: E[]): E[] {
	const seen = new Set<string>();
	return errors.filter((e) => {
		const key = formatScenarioError(e);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

// ── Schema issues → problems ─────────────────────────────────────────────────────────────────

function valueAtPath(data: unknown, path: readonly PathSegment[]): unknown {
	let current = data;
	for (const segment of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<PathSegment, unknown>)[segment];
	}
	return current;
}

function describe(value: unknown): string {
	if (value === null) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	if (typeof value === 'string') return `"${value}"`;
	return String(value);
}

const EXPECTED: Record<string, string> = {
	object: 'a mapping',
	array: 'a list',
	string: 'a string',
	number: 'a number',
	int: 'a whole number',
	boolean: 'true or false',
	null: 'nothing'
};

/** zod's own messages start so; ours (given in the schema) never do. */
const isDefaultMessage = (message: string) => /^Invalid\b|^Too (small|big)/.test(message);

function schemaProblems(issues: readonly z.core.$ZodIssue[], data: unknown, prefix: PathSegment[]): Problem[] {
	const problems: Problem[] = [];
	for (const issue of issues) {
		const path = [...prefix, ...(issue.path as PathSegment[])];
		const value = valueAtPath(data, path);
		switch (issue.code) {
			case 'invalid_union':
				problems.push(...unionProblems(issue, path, value, data));
				break;
			case 'invalid_type': {
				const expected = EXPECTED[issue.expected] ?? issue.expected;
				const custom = isDefaultMessage(issue.message) ? undefined : issue.message;
				if (value === undefined) problems.push({ path, message: custom ? `missing: ${custom}` : `missing (expected ${expected})` });
				else problems.push({ path, message: custom ?? `expected ${expected}, got ${describe(value)}` });
				break;
			}
			case 'invalid_value': {
				const options = issue.values.map((v) => JSON.stringify(v));
				const expected = options.length === 1 ? options[0]! : `one of ${options.join(', ')}`;
				if (!isDefaultMessage(issue.message)) problems.push({ path, message: issue.message });
				else if (value === undefined) problems.push({ path, message: `missing (expected ${expected})` });
				else problems.push({ path, message: `expected ${expected}, got ${describe(value)}` });
				break;
			}
			case 'unrecognized_keys':
				for (const key of issue.keys) problems.push({ path: [...path, key], message: 'unknown key' });
				break;
			default:
				problems.push({ path, message: issue.message });
		}
	}
	return problems;
}

function unionProblems(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], value: unknown, data: unknown): Problem[] {
	const isMapping = value !== null && typeof value === 'object' && !Array.isArray(value);
	if (value === undefined) return [{ path, message: `missing (${issue.message})` }];
	if (issue.message === RULE_EXPECTED) {
		if (!isMapping) return [{ path, message: `${RULE_EXPECTED}, got ${describe(value)}` }];
		const keys = Object.keys(value);
		const operators = keys.filter((k): k is (typeof RULE_OPERATORS)[number] => (RULE_OPERATORS as readonly string[]).includes(k));
		if (operators.length === 0) return [{ path, message: `${RULE_EXPECTED}; found ${keys.map((k) => `"${k}"`).join(', ') || 'no keys'}` }];
		if (operators.length > 1) {
			return [{ path, message: `a rule has exactly one operator, found ${operators.join(' and ')}: combine rules with \`all\` or \`any\`` }];
		}
		const option = issue.errors[RULE_OPERATORS.indexOf(operators[0]!)] ?? [];
		return schemaProblems(option, data, path);
	}
	if (issue.message === CONDITION_EXPECTED && isMapping) {
		const option = 'in' in value ? issue.errors[1] : 'contains' in value ? issue.errors[2] : undefined;
		if (option) return schemaProblems(option, data, path);
	}
	// Otherwise: if exactly one alternative accepts this kind of value, its problems are the ones.
	const candidates = issue.errors.filter((option) => !option.some((i) => i.code === 'invalid_type' && i.path.length === 0));
	if (candidates.length === 1) return schemaProblems(candidates[0]!, data, path);
	return [{ path, message: isDefaultMessage(issue.message) ? `unexpected ${describe(value)}` : issue.message }];
}

// ── Checks beyond the schema ─────────────────────────────────────────────────────────────────

function semanticProblems(s: Scenario, file: string): Problem[] {
	const problems: Problem[] = [];
	const add = (path: PathSegment[], message: string) => problems.push({ path, message });

	const expectedId = basename(file).replace(/\.ya?ml$/, '');
	if (expectedId !== s.id) add(['id'], `"${s.id}" does not match the file name: expected ${s.id}.yaml`);

	const suggestion = suggester(SUGGESTION_BUDGET);
	checkCriteria(s, add);
	const fields = checkSeed(s, add, suggestion);
	checkDirectory(s, add, suggestion);
	checkPersonas(s, add, fields, suggestion);
	checkOpgRegister(s, add);
	const declared = checkDeclaredEvents(s, add);
	const variables = checkVariables(s, add);
	const context: MatcherContext = { declared, eventNames: [...CORE_EVENT_NAMES, ...declared], fields, seedKeys: seedKeys(s), variables, suggestion };
	checkDialogue(s, add, context);
	s.marking.forEach((point, i) => checkRule(point.rule, ['marking', i, 'rule'], add, context));
	checkChoiceQualities(s, add, suggestion);
	return problems;
}

/** The directory's entries: unique codes, purposes the file seeds, and only fields the purpose needs (Art 5(1)(c)). */
function checkDirectory(s: Scenario, add: Add, suggestion: Suggest): void {
	const directory = s.organisation.directory ?? [];
	duplicates(directory, (e) => e.code, (i, c) => add(['organisation', 'directory', i, 'code'], `duplicate directory code "${c}"`));
	const purposes = new Map(s.seed.purposes.map((p) => [p.code, p]));
	directory.forEach((entry, i) => {
		duplicates(entry.receives, (r) => r.purpose, (j, c) => add(['organisation', 'directory', i, 'receives', j, 'purpose'], `purpose "${c}" is listed twice: give all its fields once`));
		entry.receives.forEach((r, j) => {
			const path = ['organisation', 'directory', i, 'receives', j];
			const purpose = purposes.get(r.purpose);
			if (!purpose) {
				add([...path, 'purpose'], `unknown purpose "${r.purpose}"${suggestion(r.purpose, purposes.keys())}`);
				return;
			}
			r.fields.forEach((f, k) => {
				if (!purpose.fields.includes(f)) add([...path, 'fields', k], `"${f}" is not a field the purpose "${purpose.code}" needs: an entry may receive only what its purpose needs`);
			});
		});
	});
}

/** A tagged choice names a marking point of the file; a critical choice, a critical point. */
function checkChoiceQualities(s: Scenario, add: Add, suggestion: Suggest): void {
	const points = new Map(s.marking.map((p) => [p.id, p]));
	s.dialogue.nodes.forEach((node, n) =>
		node.choices?.forEach((choice, c) => {
			if (choice.point === undefined) return;
			const point = points.get(choice.point);
			if (!point) {
				add(['dialogue', 'nodes', n, 'choices', c, 'point'], `unknown marking point "${choice.point}"${suggestion(choice.point, points.keys())}`);
			} else if (choice.quality === 'critical' && point.critical !== true) {
				add(['dialogue', 'nodes', n, 'choices', c, 'quality'], `a critical choice must name a critical point: "${choice.point}" is not \`critical: true\``);
			}
		})
	);
}

type Add = (path: PathSegment[], message: string) => void;
type Suggest = (name: string, candidates: Iterable<string>) => string;

function duplicates<T>(items: readonly T[], keyOf: (item: T) => string, onDuplicate: (index: number, key: string) => void): void {
	const seen = new Set<string>();
	items.forEach((item, i) => {
		const key = keyOf(item);
		if (seen.has(key)) onDuplicate(i, key);
		seen.add(key);
	});
}

function checkCriteria(s: Scenario, add: Add): void {
	duplicates(s.criteria, (c) => c, (i, c) => add(['criteria', i], `criterion "${c}" is listed twice`));
	duplicates(s.marking, (p) => p.id, (i, id) => add(['marking', i, 'id'], `duplicate marking point id "${id}"`));
	const covered = new Set<string>(s.criteria);
	const evidenced = new Set<string>();
	s.marking.forEach((point, i) =>
		point.criteria.forEach((code, j) => {
			evidenced.add(code);
			if (!covered.has(code)) add(['marking', i, 'criteria', j], `criterion "${code}" is not among the scenario's criteria`);
		})
	);
	s.criteria.forEach((code, i) => {
		if (!evidenced.has(code)) add(['criteria', i], `criterion "${code}" is evidenced by no marking point`);
	});
}

/** The fields this file knows (the catalogue and its purposes' fieldCategories), and checks of names. */
interface FieldIndex {
	categoryOf(field: string): FieldCategory | undefined;
	/** Adds an error unless the field is known; says whether it is. */
	checkField(path: PathSegment[], field: string): boolean;
	/** Adds an error for each field that is unknown or that the seeded customer does not hold. */
	checkHeldFields(path: PathSegment[], customer: string, fields: readonly string[]): void;
}

function checkSeed(s: Scenario, add: Add, suggestion: Suggest): FieldIndex {
	const seed = s.seed;
	const declaredCategories = new Map<string, FieldCategory>();
	seed.purposes.forEach((p, i) => {
		for (const [field, category] of Object.entries(p.fieldCategories)) {
			const catalogued = cataloguedCategory(field);
			if (catalogued !== undefined && catalogued !== category) {
				add(['seed', 'purposes', i, 'fieldCategories', field], `"${field}" is ${catalogued} data in the field catalogue, not ${category}`);
			}
			const earlier = declaredCategories.get(field);
			if (earlier !== undefined && earlier !== category) {
				add(['seed', 'purposes', i, 'fieldCategories', field], `"${field}" is given as ${earlier} by another purpose`);
			}
			declaredCategories.set(field, category);
		}
	});
	const categoryOf = (field: string): FieldCategory | undefined => cataloguedCategory(field) ?? declaredCategories.get(field);
	const knownFields = [...ALL_CATALOGUED, ...declaredCategories.keys()];
	const checkField = (path: PathSegment[], field: string): boolean => {
		if (categoryOf(field) !== undefined) return true;
		add(path, `unknown field "${field}"${suggestion(field, knownFields)}`);
		return false;
	};

	duplicates(seed.retentionRules, (r) => r.code, (i, c) => add(['seed', 'retentionRules', i, 'code'], `duplicate retention rule code "${c}"`));
	duplicates(seed.purposes, (p) => p.code, (i, c) => add(['seed', 'purposes', i, 'code'], `duplicate purpose code "${c}"`));
	const retentionCodes = new Set(seed.retentionRules.map((r) => r.code));
	const purposes = new Map(seed.purposes.map((p) => [p.code, p]));
	const purposeFields = new Map(seed.purposes.map((p) => [p.code, new Set(p.fields)]));
	const anyPurposeFields = new Set(seed.purposes.flatMap((p) => p.fields));
	const customers = new Map(seed.customers.map((c) => [c.key, c]));
	const thirdParties = new Map(seed.thirdParties.map((t) => [t.key, t]));

	const keyed: { list: keyof typeof seed; path: PathSegment[]; key: string }[] = [];
	for (const list of ['customers', 'consents', 'thirdParties', 'interactions', 'disclosures', 'requests', 'breaches'] as const) {
		seed[list].forEach((record, i) => keyed.push({ list, path: ['seed', list, i, 'key'], key: record.key }));
	}
	duplicates(keyed, (k) => k.key, (i, key) => add(keyed[i]!.path, `duplicate seed key "${key}"`));
	duplicates(seed.customers, (c) => c.reference, (i, r) => add(['seed', 'customers', i, 'reference'], `duplicate account reference "${r}"`));

	const refCustomer = (path: PathSegment[], key: string | undefined) => {
		if (key !== undefined && !customers.has(key)) add(path, `unknown customer "${key}"${suggestion(key, customers.keys())}`);
	};
	const refPurpose = (path: PathSegment[], code: string | undefined) => {
		if (code !== undefined && !purposes.has(code)) add(path, `unknown purpose "${code}"${suggestion(code, purposes.keys())}`);
	};
	const refThirdParty = (path: PathSegment[], key: string | undefined, customer: string | undefined) => {
		if (key === undefined) return;
		const party = thirdParties.get(key);
		if (!party) add(path, `unknown third party "${key}"${suggestion(key, thirdParties.keys())}`);
		else if (customer !== undefined && party.customer !== customer) add(path, `third party "${key}" acts for customer "${party.customer}", not "${customer}"`);
	};

	seed.purposes.forEach((p, i) => {
		const path = ['seed', 'purposes', i];
		if (!retentionCodes.has(p.retention)) add([...path, 'retention'], `unknown retention rule "${p.retention}"${suggestion(p.retention, retentionCodes)}`);
		p.fields.forEach((f, j) => checkField([...path, 'fields', j], f));
		p.requiredFields.forEach((f, j) => {
			if (!purposeFields.get(p.code)!.has(f)) add([...path, 'requiredFields', j], `"${f}" is required but not among the purpose's fields`);
		});
	});

	seed.customers.forEach((c, i) => {
		const path: PathSegment[] = ['seed', 'customers', i];
		const held = new Set<string>();
		const purposeFor = (fieldPath: PathSegment[], field: string, explicit: string | undefined) => {
			if (explicit !== undefined) {
				const p = purposes.get(explicit);
				if (!p) add(fieldPath, `unknown purpose "${explicit}"${suggestion(explicit, purposes.keys())}`);
				else if (!purposeFields.get(explicit)!.has(field)) add(fieldPath, `purpose "${explicit}" does not list field "${field}"`);
			} else if (!anyPurposeFields.has(field)) {
				add(fieldPath, `no seeded purpose lists field "${field}" (a field is only held for a purpose that needs it)`);
			}
		};
		for (const [category, values] of Object.entries(c.fields)) {
			for (const field of Object.keys(values ?? {})) {
				const fieldPath = [...path, 'fields', category, field];
				held.add(field);
				if (!checkField(fieldPath, field)) continue;
				const actual = categoryOf(field)!;
				if ((SPECIAL_CATEGORIES as readonly string[]).includes(actual)) {
					add(fieldPath, `"${field}" is special category data (${actual}): list it under specialCategory`);
				} else if (actual !== category) {
					add(fieldPath, `"${field}" is ${actual} data, not ${category}`);
				} else {
					purposeFor(fieldPath, field, c.metadata[field]?.purpose);
				}
			}
		}
		c.specialCategory.forEach((v, j) => {
			const fieldPath = [...path, 'specialCategory', j, 'field'];
			held.add(v.field);
			if (!checkField(fieldPath, v.field)) return;
			const actual = categoryOf(v.field);
			if (actual !== v.category) add([...path, 'specialCategory', j, 'category'], `"${v.field}" is ${actual} data, not ${v.category}`);
			purposeFor([...path, 'specialCategory', j, 'purpose'], v.field, v.purpose);
		});
		const special = new Set(c.specialCategory.map((v) => v.field));
		for (const [field, meta] of Object.entries(c.metadata)) {
			if (!held.has(field)) add([...path, 'metadata', field], `customer "${c.key}" holds no field "${field}"`);
			else if (meta.purpose !== undefined && special.has(field)) {
				add([...path, 'metadata', field, 'purpose'], 'give a special category value its purpose in specialCategory');
			}
		}
	});

	// Built once per customer: thousands of disclosing choices may ask about the same customer.
	const held = new Map<string, Set<string>>();
	const heldBy = (key: string): Set<string> => {
		const c = customers.get(key);
		if (!c) return new Set();
		let fields = held.get(key);
		if (!fields) {
			fields = new Set([...Object.values(c.fields).flatMap((values) => Object.keys(values ?? {})), ...c.specialCategory.map((v) => v.field)]);
			held.set(key, fields);
		}
		return fields;
	};
	const checkHeldFields = (path: PathSegment[], customer: string, list: readonly string[]) => {
		if (!customers.has(customer)) return;
		const held = heldBy(customer);
		list.forEach((f, j) => {
			if (checkField([...path, j], f) && !held.has(f)) add([...path, j], `customer "${customer}" holds no field "${f}"`);
		});
	};

	seed.consents.forEach((c, i) => {
		const path = ['seed', 'consents', i];
		refCustomer([...path, 'customer'], c.customer);
		refPurpose([...path, 'purpose'], c.purpose);
		refThirdParty([...path, 'thirdParty'], c.thirdParty, c.customer);
		if (c.givenBy === 'authorised-third-party' && c.thirdParty === undefined) add([...path, 'thirdParty'], 'missing: consent given by an authorised third party names the third party');
	});
	seed.thirdParties.forEach((t, i) => {
		refCustomer(['seed', 'thirdParties', i, 'customer'], t.customer);
		// MCA 2005 s9(1): an LPA is for property and financial affairs or for health and welfare.
		if (t.authorityType === 'lasting-power-of-attorney' && t.lpaType === undefined) {
			add(['seed', 'thirdParties', i, 'lpaType'], 'missing: say which kind of LPA it is: property-and-financial-affairs or health-and-welfare');
		} else if (t.authorityType !== 'lasting-power-of-attorney' && t.lpaType !== undefined) {
			add(['seed', 'thirdParties', i, 'lpaType'], `only a lasting power of attorney has a type; this is a ${t.authorityType}`);
		}
	});
	seed.interactions.forEach((n, i) => {
		refCustomer(['seed', 'interactions', i, 'customer'], n.customer);
		refThirdParty(['seed', 'interactions', i, 'thirdParty'], n.thirdParty, n.customer);
	});
	seed.disclosures.forEach((d, i) => {
		const path = ['seed', 'disclosures', i];
		refCustomer([...path, 'customer'], d.customer);
		refThirdParty([...path, 'thirdParty'], d.thirdParty, d.customer);
		refPurpose([...path, 'purpose'], d.purpose);
		checkHeldFields([...path, 'fields'], d.customer, d.fields);
	});
	seed.requests.forEach((r, i) => {
		refCustomer(['seed', 'requests', i, 'customer'], r.customer);
		refThirdParty(['seed', 'requests', i, 'thirdParty'], r.thirdParty, r.customer);
	});
	seed.breaches.forEach((b, i) => b.affectedCustomers.forEach((k, j) => refCustomer(['seed', 'breaches', i, 'affectedCustomers', j], k)));

	checkHistory(s, add);
	return { categoryOf, checkField, checkHeldFields };
}

/** Seeded records are history: none may be dated after the scenario clock starts. */
function checkHistory(s: Scenario, add: Add): void {
	const start = Date.parse(s.clock.start);
	const startDate = new Date(start).toISOString().slice(0, 10);
	const check = (path: PathSegment[], value: string | undefined) => {
		if (value === undefined) return;
		const late = value.length === 10 ? value > startDate : Date.parse(value) > start;
		if (late) add(path, `${value} is after the scenario clock starts (${s.clock.start}): seeded records are history`);
	};
	const seed = s.seed;
	seed.customers.forEach((c, i) => {
		check(['seed', 'customers', i, 'since'], c.since);
		check(['seed', 'customers', i, 'relationshipEnded'], c.relationshipEnded);
		for (const [field, meta] of Object.entries(c.metadata)) check(['seed', 'customers', i, 'metadata', field, 'collectedAt'], meta.collectedAt);
	});
	seed.consents.forEach((c, i) => {
		check(['seed', 'consents', i, 'givenAt'], c.givenAt);
		check(['seed', 'consents', i, 'withdrawnAt'], c.withdrawnAt);
	});
	seed.thirdParties.forEach((t, i) => check(['seed', 'thirdParties', i, 'revokedAt'], t.revokedAt));
	seed.interactions.forEach((n, i) => check(['seed', 'interactions', i, 'at'], n.at));
	seed.disclosures.forEach((d, i) => check(['seed', 'disclosures', i, 'at'], d.at));
	seed.requests.forEach((r, i) => {
		for (const k of ['receivedAt', 'idRequestedAt', 'idReceivedAt', 'clarificationRequestedAt', 'clarificationReceivedAt'] as const) {
			check(['seed', 'requests', i, k], r[k]);
		}
	});
	seed.breaches.forEach((b, i) => {
		check(['seed', 'breaches', i, 'awareAt'], b.awareAt);
		check(['seed', 'breaches', i, 'occurredAt'], b.occurredAt);
	});
}

const ALL_CATALOGUED: readonly string[] = [...Object.keys(CUSTOMER_FIELDS), ...Object.keys(SPECIAL_CATEGORY_FIELDS)];

function seedKeys(s: Scenario): Set<string> {
	const seed = s.seed;
	return new Set(
		[seed.customers, seed.consents, seed.thirdParties, seed.interactions, seed.disclosures, seed.requests, seed.breaches].flatMap((list) =>
			list.map((record) => record.key)
		)
	);
}

interface MatcherContext {
	declared: ReadonlySet<string>;
	/** Core and declared events, for suggestions. */
	eventNames: readonly string[];
	fields: FieldIndex;
	seedKeys: ReadonlySet<string>;
	/** Declared variables and their initial values. */
	variables: ReadonlyMap<string, VariableValue>;
	suggestion: Suggest;
}

/** "a string", "a number", "true or false": a variable holds values of its initial value's kind (null: any). */
function kindOf(value: VariableValue): string | null {
	return value === null ? null : typeof value === 'boolean' ? 'true or false' : `a ${typeof value}`;
}

/** Variables: declared once, each set by some choice (else it is a constant). */
function checkVariables(s: Scenario, add: Add): Map<string, VariableValue> {
	duplicates(s.variables, (v) => v.name, (i, n) => add(['variables', i, 'name'], `variable "${n}" is declared twice`));
	const set = new Set(s.dialogue.nodes.flatMap((n) => (n.choices ?? []).flatMap((c) => Object.keys(c.set ?? {}))));
	s.variables.forEach((v, i) => {
		if (!set.has(v.name)) add(['variables', i, 'name'], `"${v.name}" is declared but no choice sets it`);
	});
	return new Map(s.variables.map((v) => [v.name, v.initial]));
}

/** A variable a choice sets or a rule tests: declared, and given a value of its kind. */
function checkVariableUse(path: PathSegment[], name: string, value: VariableValue, context: MatcherContext, add: Add, valuePath: PathSegment[]): void {
	if (!context.variables.has(name)) {
		add(path, `unknown variable "${name}": declare it under variables${context.suggestion(name, context.variables.keys())}`);
		return;
	}
	const kind = kindOf(context.variables.get(name)!);
	if (kind !== null && value !== null && kindOf(value) !== kind) add(valuePath, `variable "${name}" holds ${kind} (its initial value), not ${describe(value)}`);
}

/** The OPG register: one entry per reference; a registered, cancelled or revoked LPA has its registration date, a pending one none. */
function checkOpgRegister(s: Scenario, add: Add): void {
	duplicates(s.opgRegister, (e) => normaliseLpaReference(e.reference), (i, r) => add(['opgRegister', i, 'reference'], `reference "${r}" is on the register twice`));
	const start = new Date(Date.parse(s.clock.start)).toISOString().slice(0, 10);
	s.opgRegister.forEach((e, i) => {
		const path = ['opgRegister', i];
		if (e.status === 'pending' && e.registeredOn !== undefined) add([...path, 'registeredOn'], 'a pending LPA is not registered yet: leave `registeredOn` out or change the status');
		if (e.status !== 'pending' && e.registeredOn === undefined) add([...path, 'registeredOn'], `missing: the date the LPA was registered (it is ${e.status})`);
		if (e.registeredOn !== undefined && e.registeredOn > start) add([...path, 'registeredOn'], `${e.registeredOn} is after the scenario clock starts (${s.clock.start}): the register is history`);
	});
}

/** Personas, and the facts they may know: a persona knows fields of the record or facts the file declares. */
function checkPersonas(s: Scenario, add: Add, fields: FieldIndex, suggestion: Suggest): void {
	duplicates(s.personas, (p) => p.key, (i, k) => add(['personas', i, 'key'], `duplicate persona key "${k}"`));
	duplicates(s.facts, (f) => f.key, (i, k) => add(['facts', i, 'key'], `fact "${k}" is declared twice`));
	s.facts.forEach((f, i) => {
		if (fields.categoryOf(f.key) !== undefined) add(['facts', i, 'key'], `"${f.key}" is a field of the record: a persona can know it without declaring it`);
	});
	const facts = new Set(s.facts.map((f) => f.key));
	const known = new Set<string>();
	const customers = new Set(s.seed.customers.map((c) => c.key));
	s.personas.forEach((p, i) => {
		if (p.customer !== undefined && !customers.has(p.customer)) {
			add(['personas', i, 'customer'], `unknown customer "${p.customer}"${suggestion(p.customer, customers)}`);
		}
		for (const item of Object.keys(p.knows)) {
			known.add(item);
			if (facts.has(item) || fields.categoryOf(item) !== undefined) continue;
			add(['personas', i, 'knows', item], `"${item}" is neither a field nor a declared fact: declare it under facts${suggestion(item, [...facts, ...ALL_CATALOGUED])}`);
		}
	});
	s.facts.forEach((f, i) => {
		if (!known.has(f.key)) add(['facts', i, 'key'], `fact "${f.key}" is declared but no persona knows it`);
	});
}

function checkDeclaredEvents(s: Scenario, add: Add): Set<string> {
	duplicates(s.events, (e) => e.name, (i, n) => add(['events', i, 'name'], `event "${n}" is declared twice`));
	const emitted = new Set(s.dialogue.nodes.flatMap((n) => (n.choices ?? []).flatMap((c) => (c.event === undefined ? [] : [c.event]))));
	const declared = new Set<string>();
	s.events.forEach((e, i) => {
		if (isAuditAction(e.name)) add(['events', i, 'name'], `"${e.name}" is a core event: only dialogue events are declared`);
		else if (isBuiltInDialogueEvent(e.name)) add(['events', i, 'name'], `"${e.name}" is built in: it need not be declared`);
		else {
			declared.add(e.name);
			if (!emitted.has(e.name)) add(['events', i, 'name'], `"${e.name}" is declared but no choice emits it`);
		}
	});
	return declared;
}

function checkDialogue(s: Scenario, add: Add, context: MatcherContext): void {
	const nodes = s.dialogue.nodes;
	duplicates(nodes, (n) => n.id, (i, id) => add(['dialogue', 'nodes', i, 'id'], `duplicate node id "${id}"`));
	const ids = new Set(nodes.map((n) => n.id));
	const personas = new Set(s.personas.map((p) => p.key));
	const customers = new Set(s.seed.customers.map((c) => c.key));
	const { suggestion } = context;
	const refNode = (path: PathSegment[], id: string) => {
		if (!ids.has(id)) add(path, `unknown node "${id}"${suggestion(id, ids)}`);
	};
	refNode(['dialogue', 'start'], s.dialogue.start);

	nodes.forEach((n, i) => {
		const path: PathSegment[] = ['dialogue', 'nodes', i];
		if (n.speaker !== undefined && !personas.has(n.speaker)) add([...path, 'speaker'], `unknown persona "${n.speaker}"${suggestion(n.speaker, personas)}`);
		duplicates(n.choices ?? [], (c) => c.id, (j, id) => add([...path, 'choices', j, 'id'], `duplicate choice id "${id}" in node "${n.id}"`));
		(n.choices ?? []).forEach((c, j) => {
			const choicePath = [...path, 'choices', j];
			refNode([...choicePath, 'goto'], c.goto);
			for (const [name, value] of Object.entries(c.set ?? {})) checkVariableUse([...choicePath, 'set', name], name, value, context, add, [...choicePath, 'set', name]);
			if (c.event !== undefined && !context.declared.has(c.event)) {
				const message = isAuditAction(c.event)
					? `"${c.event}" is a core event: the core writes it, a choice cannot`
					: `unknown dialogue event "${c.event}": declare it under events${suggestion(c.event, context.declared)}`;
				add([...choicePath, 'event'], message);
			}
			if (c.discloses) {
				if (!customers.has(c.discloses.customer)) {
					add([...choicePath, 'discloses', 'customer'], `unknown customer "${c.discloses.customer}"${suggestion(c.discloses.customer, customers)}`);
				} else context.fields.checkHeldFields([...choicePath, 'discloses', 'fields'], c.discloses.customer, c.discloses.fields);
				if (n.speaker === undefined) add([...choicePath, 'discloses'], 'a disclosure needs a recipient: give the node a speaker');
			}
		});
		if (n.waitFor !== undefined) {
			const matchers = Array.isArray(n.waitFor) ? n.waitFor : [n.waitFor];
			matchers.forEach((m, j) => checkMatcher(m, Array.isArray(n.waitFor) ? [...path, 'waitFor', j] : [...path, 'waitFor'], add, context, true));
		}
		if (n.then !== undefined) refNode([...path, 'then'], n.then);
		if (n.branch) {
			n.branch.cases.forEach((c, j) => {
				checkRule(c.when, [...path, 'branch', 'cases', j, 'when'], add, context);
				refNode([...path, 'branch', 'cases', j, 'goto'], c.goto);
			});
			refNode([...path, 'branch', 'otherwise'], n.branch.otherwise);
		}
	});
	checkReachability(s, add);
}

function successors(n: Scenario['dialogue']['nodes'][number]): string[] {
	return [
		...(n.choices ?? []).map((c) => c.goto),
		...(n.then === undefined ? [] : [n.then]),
		...(n.branch ? [...n.branch.cases.map((c) => c.goto), n.branch.otherwise] : [])
	];
}

/** Every node reachable from the start, and an end reachable from every node. */
function checkReachability(s: Scenario, add: Add): void {
	const nodes = s.dialogue.nodes;
	// The first node with an id wins, as the runtime finds it (a duplicate is reported above).
	const byId = new Map<string, Scenario['dialogue']['nodes'][number]>();
	for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
	if (!nodes.some((n) => n.end)) {
		add(['dialogue', 'nodes'], 'no node has `end: true`: the dialogue cannot finish');
		return;
	}
	const { reached, finishing } = reachability(
		s.dialogue.start,
		byId.keys(),
		(id) => successors(byId.get(id)!),
		(id) => byId.get(id)!.end === true
	);
	nodes.forEach((n, i) => {
		if (!reached.has(n.id)) add(['dialogue', 'nodes', i, 'id'], `node "${n.id}" cannot be reached from the start node "${s.dialogue.start}"`);
		else if (!finishing.has(n.id)) add(['dialogue', 'nodes', i, 'id'], `no end node can be reached from node "${n.id}"`);
	});
}

function checkRule(rule: Rule, path: PathSegment[], add: Add, context: MatcherContext): void {
	if ('exists' in rule) checkMatcher(rule.exists, [...path, 'exists'], add, context);
	else if ('absent' in rule) checkMatcher(rule.absent, [...path, 'absent'], add, context);
	else if ('before' in rule) {
		checkMatcher(rule.before.first, [...path, 'before', 'first'], add, context);
		checkMatcher(rule.before.then, [...path, 'before', 'then'], add, context);
	} else if ('count' in rule) checkMatcher(rule.count, [...path, 'count'], add, context);
	else if ('fieldEquals' in rule) {
		checkMatcher(rule.fieldEquals, [...path, 'fieldEquals'], add, context);
		const keys = isAuditAction(rule.fieldEquals.event) ? knownDetailsKeys(rule.fieldEquals.event) : null;
		const key = rule.fieldEquals.path.split('.')[0]!;
		if (keys !== null && !keys.includes(key)) {
			add([...path, 'fieldEquals', 'path'], `"${rule.fieldEquals.event}" has no details key "${key}" (it has ${keys.join(', ')})`);
		}
	}
	else if ('within' in rule) {
		checkMatcher(rule.within.event, [...path, 'within', 'event'], add, context);
		checkMatcher(rule.within.after, [...path, 'within', 'after'], add, context);
	} else if ('variable' in rule) {
		checkVariableUse([...path, 'variable', 'name'], rule.variable.name, rule.variable.equals, context, add, [...path, 'variable', 'equals']);
	} else if ('all' in rule) rule.all.forEach((r, i) => checkRule(r, [...path, 'all', i], add, context));
	else if ('any' in rule) rule.any.forEach((r, i) => checkRule(r, [...path, 'any', i], add, context));
	else checkRule(rule.not, [...path, 'not'], add, context);
}

function checkMatcher(m: EventMatcher, path: PathSegment[], add: Add, context: MatcherContext, coreOnly = false): void {
	const core = isAuditAction(m.event);
	const dialogue = context.declared.has(m.event) || isBuiltInDialogueEvent(m.event);
	if (!core && !dialogue) {
		add([...path, 'event'], `unknown event "${m.event}"${context.suggestion(m.event, context.eventNames)}`);
	} else if (coreOnly && !core) {
		add([...path, 'event'], `waitFor takes a core event; "${m.event}" is a dialogue event`);
	} else {
		const keys = knownDetailsKeys(m.event);
		if (keys !== null) {
			for (const key of Object.keys(m.where ?? {})) {
				if (!keys.includes(key)) add([...path, 'where', key], `"${m.event}" has no details key "${key}" (it has ${keys.join(', ')})`);
			}
		}
	}
	m.fields?.any?.forEach((f, i) => context.fields.checkField([...path, 'fields', 'any', i], f));
	m.fields?.all?.forEach((f, i) => context.fields.checkField([...path, 'fields', 'all', i], f));
	if (m.subject !== undefined && !context.seedKeys.has(m.subject)) {
		add([...path, 'subject'], `unknown seed key "${m.subject}"${context.suggestion(m.subject, context.seedKeys)}`);
	}
}

const CORE_EVENT_NAMES: readonly string[] = AUDIT_ACTIONS.map((a) => a.action);

// ── Suggestions ──────────────────────────────────────────────────────────────────────────────

/**
 * Characters of edit-distance work one check may spend on "did you mean" suggestions: a thousand
 * unknown names against a thousand known ones would otherwise cost a million comparisons. Past
 * the budget, problems are still reported, without a suggestion.
 */
const SUGGESTION_BUDGET = 2_000_000;

/** ` (did you mean "x"?)` for the closest candidate within two edits, else "", while the budget lasts. */
function suggester(budget: number): Suggest {
	let left = budget;
	return (name, candidates) => {
		let best: string | undefined;
		let bestDistance = 3;
		for (const candidate of candidates) {
			if (left <= 0) break;
			left -= Math.min(name.length, candidate.length) + 1;
			const d = editDistance(name, candidate);
			if (d < bestDistance) {
				best = candidate;
				bestDistance = d;
			}
		}
		return best === undefined || best === name ? '' : ` (did you mean "${best}"?)`;
	};
}

/**
 * Levenshtein distance, or 3 for anything further: only the band of cells within two of the
 * diagonal is computed, so the cost is linear in the strings' length.
 */
function editDistance(a: string, b: string): number {
	const FAR = 3;
	if (Math.abs(a.length - b.length) >= FAR) return FAR;
	let previous = Array.from({ length: b.length + 1 }, (_, j) => Math.min(j, FAR));
	for (let i = 1; i <= a.length; i++) {
		const current = new Array<number>(b.length + 1).fill(FAR);
		current[0] = Math.min(i, FAR);
		let rowBest = current[0];
		for (let j = Math.max(1, i - 2); j <= Math.min(b.length, i + 2); j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), FAR);
			rowBest = Math.min(rowBest, current[j]!);
		}
		if (rowBest >= FAR) return FAR;
		previous = current;
	}
	return previous[b.length]!;
}
