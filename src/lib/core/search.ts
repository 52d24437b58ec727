/**
 * Finding a customer: by name (partial, accent-insensitive, forgiving of a typing slip), postcode
 * (with or without the space), date of birth, account reference, email or phone (any UK format),
 * ranked exact matches first, then prefix matches, then fuzzy ones, and paged.
 *
 * Names are found through an FTS5 index (migration 0005_customer_search) holding one document per
 * customer with all their names folded: prefix indexes serve partial names, and its vocabulary the
 * fuzzy matches. A name alone is ranked inside the index; with other criteria, those criteria are
 * looked up first (B-tree indexes on customer_field (workspace_id, field, normalised) and on the
 * customer reference) and the names of the customers found are checked by the same rule.
 * tests/bench/core-search.bench.test.ts measures this against B-tree-only and trigram alternatives.
 * Searching returns ids and how they matched, never values:
 * open a record with getCustomer for a stated purpose.
 */
import { mapInOrder } from './in-order';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, dbQuery, engineOf, preparedStatements, writeTransaction, type Statement } from './database';
import { nameSearchQuery, type NameSearchRow } from './search-pg';
import { appendAudit } from './audit';
import { compactPostcode, e164, foldText, plainDate } from './collection';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { customer, customerField } from './schema';

/** Fields searched by name. */
export const NAME_FIELDS = ['givenName', 'middleNames', 'familyName', 'preferredName'] as const;

export const SEARCH_CRITERIA = ['name', 'postcode', 'dateOfBirth', 'reference', 'email', 'phone'] as const;
export type SearchCriterion = (typeof SEARCH_CRITERIA)[number];

const criterion = z.string().trim().min(1).max(200).optional();
const searchInput = z
	.object({
		name: criterion,
		postcode: criterion,
		dateOfBirth: criterion,
		reference: criterion,
		email: criterion,
		phone: criterion,
		/** Why the search is made: recorded in the audit entry. */
		purposeCode: z.string().trim().min(1).optional(),
		page: z.number().int().min(1).default(1),
		pageSize: z.number().int().min(1).max(100).default(20)
	})
	.refine((q) => SEARCH_CRITERIA.some((c) => q[c] !== undefined), { message: 'Give at least one thing to search by', path: ['name'] });
export type SearchInput = z.input<typeof searchInput>;

/** How well a customer matched: 0 exact, 1 prefix, 2 fuzzy. */
export type MatchTier = 0 | 1 | 2;
const TIER_NAMES = ['exact', 'prefix', 'fuzzy'] as const;

export interface SearchHit {
	customerId: string;
	reference: string;
	/** The weakest match among the criteria: "exact" only when every criterion matched exactly. */
	match: (typeof TIER_NAMES)[number];
	/** Per criterion, how it matched. */
	matches: Partial<Record<SearchCriterion, (typeof TIER_NAMES)[number]>>;
	suppressed: boolean;
}

export interface SearchResult {
	total: number;
	page: number;
	pageSize: number;
	hits: SearchHit[];
}

type Matches = Map<string, MatchTier>;

/** The highest code point: every string that starts with p sorts before p + this. */
const AFTER_PREFIX = '\u{10FFFF}';

function better(matches: Matches, customerId: string, tier: MatchTier): void {
	const current = matches.get(customerId);
	if (current === undefined || tier < current) matches.set(customerId, tier);
}

async function fieldMatches(ctx: CoreContext, fields: readonly string[], exact: string, prefix?: string): Promise<Matches> {
	const matches: Matches = new Map();
	const scope = and(eq(customerField.workspaceId, ctx.workspaceId), inArray(customerField.field, [...fields]));
	for (const row of await dbAll(ctx.db.select({ customerId: customerField.customerId }).from(customerField).where(and(scope, eq(customerField.normalised, exact))))) {
		better(matches, row.customerId, 0);
	}
	if (prefix !== undefined) {
		for (const row of await dbAll(ctx.db
			.select({ customerId: customerField.customerId })
			.from(customerField)
			.where(and(scope, gte(customerField.normalised, prefix), lt(customerField.normalised, prefix + AFTER_PREFIX))))) {
			better(matches, row.customerId, 1);
		}
	}
	return matches;
}

async function referenceMatches(ctx: CoreContext, text: string): Promise<Matches> {
	const reference = text.toUpperCase();
	const matches: Matches = new Map();
	for (const row of await dbAll(ctx.db
		.select({ id: customer.id, reference: customer.reference })
		.from(customer)
		.where(and(eq(customer.workspaceId, ctx.workspaceId), gte(customer.reference, reference), lt(customer.reference, reference + AFTER_PREFIX))))) {
		better(matches, row.id, row.reference === reference ? 0 : 1);
	}
	return matches;
}

/** Levenshtein distance, giving up (returning max + 1) once it must exceed max. */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let rowMin = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			current.push(value);
			if (value < rowMin) rowMin = value;
		}
		if (rowMin > max) return max + 1;
		previous = current;
	}
	return previous[b.length]!;
}

/**
 * Typing slips forgiven: one for a name of three to six letters, two from seven. The first letter
 * must be right (as in most search engines' fuzzy matching), which keeps the candidate words to
 * one letter's share of the vocabulary.
 */
const fuzzAllowed = (token: string) => (token.length < 3 ? 0 : token.length < 7 ? 1 : 2);
const MAX_NEAR_TERMS = 30;

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** The words of a name query, folded as names are stored, letters and digits only. */
function nameTokens(text: string): string[] {
	return [...new Set(foldText(text).split(' ').map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean))];
}

/** The single token that confines a name query to a workspace: 'w' || hex(workspace_id), as the index stores it. */
function workspaceKey(workspaceId: string): string {
	return `w${Buffer.from(workspaceId, 'utf8').toString('hex')}`;
}

interface NameStatements {
	match: Statement<[string], { rowid: number }>;
	matchNames: Statement<[string], { rowid: number; customerId: string; names: string }>;
	document: Statement<[number], { customerId: string }>;
	terms: Statement<[string, string], { term: string }>;
	otherWorkspace: Statement<[string, string], { found: number }>;
}
const nameStatements = preparedStatements<NameStatements>((client) => ({
		match: client.prepare<[string], { rowid: number }>('select rowid from customer_name_search where customer_name_search match ?'),
		matchNames: client.prepare<[string], { rowid: number; customerId: string; names: string }>(
			'select rowid, customer_id as customerId, names from customer_name_search where customer_name_search match ?'
		),
		document: client.prepare<[number], { customerId: string }>('select customer_id as customerId from customer_name_search where rowid = ?'),
		terms: client.prepare<[string, string], { term: string }>("select term from customer_name_terms where col = 'names' and term >= ? and term < ?"),
		// Two probes of the unique (workspace_id, reference) index: is there a customer of any other workspace?
		otherWorkspace: client.prepare<[string, string], { found: number }>(
			'select exists (select 1 from customer where workspace_id < ?) or exists (select 1 from customer where workspace_id > ?) as found'
		)
}));
const statementsFor = (ctx: CoreContext): NameStatements => nameStatements(ctx.db);

/** Words in the index within a typing slip of the token (not those it starts), closest first. */
async function nearTerms(ctx: CoreContext, token: string): Promise<{ term: string; distance: number }[]> {
	const allowed = fuzzAllowed(token);
	if (allowed === 0) return [];
	const first = String.fromCodePoint(token.codePointAt(0)!);
	const next = String.fromCodePoint(token.codePointAt(0)! + 1);
	// The workspace keys ('w' and hex digits: workspaceKey) share the vocabulary, each with a doclist
	// as long as its workspace; names have no digits, so a 'w' token skips them: 'w0' to 'w9'.
	const ranges = first === 'w' ? [['w', 'w0'], ['w:', next]] : [[first, next]];
	const terms = (await mapInOrder(ranges, async ([from, to]) => await statementsFor(ctx).terms.all(from!, to!))).flat();
	return terms
		.map(({ term }) => ({ term, distance: term.startsWith(token) ? Infinity : editDistance(token, term, allowed) }))
		.filter((t) => t.distance <= allowed)
		.sort((a, b) => a.distance - b.distance || (a.term < b.term ? -1 : 1))
		.slice(0, MAX_NEAR_TERMS);
}

/**
 * Name search inside the FTS5 index, by document (customer) rowid: every word of the query must
 * match a word of the customer's names exactly, as its start, or within a typing slip. Queries of
 * rowids alone give the tiers; the page is then cut from the tiers in rank order. One word: the
 * exact and prefix tiers are in creation order already, and the fuzzy one is ranked by its slips
 * with one query per distance. Several words: the names are read for the tiers the page falls in
 * and scored (nameScore). Returns the page, best first, and how many matched in all.
 */
async function nameSearchInIndex(ctx: CoreContext, tokens: string[], start: number, end: number): Promise<{ total: number; page: Ranked[] }> {
	const stmts = statementsFor(ctx);
	// The workspace token confines a query to the workspace; where the workspace holds every customer
	// it confines nothing, and costs a walk of the longest doclist in the index: leave it out.
	const alone = !(await stmts.otherWorkspace.get(ctx.workspaceId, ctx.workspaceId))?.found;
	const scope = alone ? 'names : ' : `workspace_key : ${quote(workspaceKey(ctx.workspaceId))} AND names : `;
	const rowids = async (expression: string) => (await stmts.match.all(scope + `(${expression})`)).map((r) => r.rowid);
	const expressions = [tokens.map(quote).join(' AND '), tokens.map((t) => `${quote(t)}*`).join(' AND ')];
	const exact = await rowids(expressions[0]!);
	const taken = new Set(exact);
	const prefix = (await rowids(expressions[1]!)).filter((rowid) => !taken.has(rowid));
	for (const rowid of prefix) taken.add(rowid);
	const near = await mapInOrder(tokens, async (t) => await nearTerms(ctx, t));
	const fuzzy: number[] = [];
	const slips = new Map<number, number>();
	if (tokens.length === 1) {
		for (const distance of [1, 2]) {
			const terms = near[0]!.filter((t) => t.distance === distance).map((t) => quote(t.term));
			if (terms.length === 0) continue;
			for (const rowid of await rowids(terms.join(' OR '))) {
				if (taken.has(rowid)) continue;
				taken.add(rowid);
				fuzzy.push(rowid);
				slips.set(rowid, distance);
			}
		}
	} else if (near.some((terms) => terms.length > 0)) {
		expressions.push(tokens.map((t, i) => `(${[`${quote(t)}*`, ...near[i]!.map((n) => quote(n.term))].join(' OR ')})`).join(' AND '));
		for (const rowid of await rowids(expressions[2]!)) if (!taken.has(rowid)) fuzzy.push(rowid);
	}
	const page: Ranked[] = [];
	let offset = 0;
	for (const [tier, members] of [exact, prefix, fuzzy].entries()) {
		const from = Math.max(start, offset) - offset;
		const to = Math.min(end, offset + members.length) - offset;
		offset += members.length;
		if (from >= to) continue;
		if (tokens.length === 1) {
			// One word: each tier is in rank order already (the fuzzy one by slips, then creation order).
			for (const rowid of members.slice(from, to)) {
				const customerId = (await stmts.document.get(rowid))?.customerId ?? '';
				page.push(ranked(customerId, rowid, [tier as MatchTier], { tier: tier as MatchTier, tierSum: tier, distance: slips.get(rowid) ?? 0 }));
			}
			continue;
		}
		// Several words: the names of the tier's members, scored, decide their order.
		const wanted = new Set(members);
		const scored: Ranked[] = [];
		for (const row of await stmts.matchNames.all(scope + `(${expressions[tier]!})`)) {
			if (wanted.has(row.rowid)) scored.push(ranked(row.customerId, row.rowid, [tier as MatchTier], nameScore(tokens, nameWords(row.names))));
		}
		scored.sort(rank);
		page.push(...scored.slice(from, to));
	}
	return { total: offset, page };
}

/** How a customer's names matched the query's words, for ranking within a tier (rank). */
interface NameScore {
	/** The weakest word's tier: the customer's tier by name. */
	tier: MatchTier;
	/** The words' tiers added up: more words matched exactly rank first. */
	tierSum: number;
	/** The typing slips of the words matched within one, added up: the nearer spelling ranks first. */
	distance: number;
}

/** The words of names as the index holds them (stored folded, one space between words). */
const nameWords = (names: string): string[] => names.split(' ').map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);

/**
 * The same rule as the index applies, for one customer's words: every token must match a word
 * exactly (0), as its start (1), or within a typing slip with the first letter right (2).
 * PostgreSQL's query (search-pg.ts) computes the same score in SQL.
 */
function nameScore(tokens: string[], words: string[]): NameScore | undefined {
	let tier: MatchTier = 0;
	let tierSum = 0;
	let distance = 0;
	for (const token of tokens) {
		let best: MatchTier | undefined;
		if (words.includes(token)) best = 0;
		else if (words.some((w) => w.startsWith(token))) best = 1;
		else {
			const allowed = fuzzAllowed(token);
			let nearest = allowed + 1;
			for (const w of words) if (w[0] === token[0]) nearest = Math.min(nearest, editDistance(token, w, allowed));
			if (allowed > 0 && nearest <= allowed) {
				best = 2;
				distance += nearest;
			}
		}
		if (best === undefined) return undefined;
		if (best > tier) tier = best;
		tierSum += best;
	}
	return { tier, tierSum, distance };
}

async function nameMatchesAmong(ctx: CoreContext, tokens: string[], customerIds: string[]): Promise<Map<string, NameScore>> {
	const words = new Map<string, string[]>();
	for (let i = 0; i < customerIds.length; i += 500) {
		for (const row of await dbAll(ctx.db
			.select({ customerId: customerField.customerId, normalised: customerField.normalised })
			.from(customerField)
			.where(
				and(
					eq(customerField.workspaceId, ctx.workspaceId),
					inArray(customerField.customerId, customerIds.slice(i, i + 500)),
					inArray(customerField.field, [...NAME_FIELDS])
				)
			))) {
			if (row.normalised !== null) words.set(row.customerId, [...(words.get(row.customerId) ?? []), ...nameWords(row.normalised)]);
		}
	}
	const matches = new Map<string, NameScore>();
	for (const [customerId, list] of words) {
		const score = nameScore(tokens, list);
		if (score !== undefined) matches.set(customerId, score);
	}
	return matches;
}

function invalid(field: SearchCriterion, message: string): Result<never> {
	return err('invalid', message, field);
}

/** A candidate with what ranking needs: the tier per criterion, how the name matched, and the customer's rowid (creation order). */
interface Ranked {
	customerId: string;
	rowid: number;
	tiers: MatchTier[];
	worst: number;
	sum: number;
	name: NameScore | undefined;
}

/**
 * Best first: the weakest criterion's tier, the tiers added up, then by name: more words matched
 * exactly, fewer typing slips; then creation order, so that equals keep a stable order from page
 * to page. (Fewer words left unmatched would rank "Ada Smith" before "Ada Smith-Jones" for "ada
 * smith", but needs every candidate's names read: milliseconds for a common name.)
 */
function rank(a: Ranked, b: Ranked): number {
	return (
		a.worst - b.worst ||
		a.sum - b.sum ||
		(a.name?.tierSum ?? 0) - (b.name?.tierSum ?? 0) ||
		(a.name?.distance ?? 0) - (b.name?.distance ?? 0) ||
		a.rowid - b.rowid
	);
}

const ranked = (customerId: string, rowid: number, tiers: MatchTier[], name?: NameScore): Ranked => ({
	customerId,
	rowid,
	tiers,
	worst: Math.max(...tiers),
	sum: tiers.reduce<number>((a, b) => a + b, 0),
	name
});

/** Searches the workspace's customers. Audited as "customer.searched" with the criteria names and the count. */
export async function searchCustomers(ctx: CoreContext, input: SearchInput): Promise<Result<SearchResult>> {
	const parsed = parseInput(searchInput, input);
	if (!parsed.ok) return parsed;
	const q = parsed.value;
	// Check every criterion before touching the database, so a bad one is a typed error naming it.
	const dateOfBirth = q.dateOfBirth === undefined ? undefined : plainDate(q.dateOfBirth);
	if (q.dateOfBirth !== undefined && dateOfBirth === undefined) return invalid('dateOfBirth', 'Enter a real date, like 1980-02-29 or 29/02/1980');
	const phone = q.phone === undefined ? undefined : e164(q.phone);
	if (q.phone !== undefined && phone === undefined) return invalid('phone', 'Enter a UK phone number, like 07700 900123');
	const postcode = q.postcode?.toUpperCase().replace(/\s+/g, '');
	if (postcode !== undefined && !/^[A-Z0-9]+$/.test(postcode)) return invalid('postcode', 'Enter a postcode or the start of one, like SW1A');
	const tokens = q.name === undefined ? undefined : nameTokens(q.name);
	if (tokens !== undefined && tokens.length === 0) return invalid('name', 'Enter a name or part of one');
	const used = SEARCH_CRITERIA.filter((c) => q[c] !== undefined);

	const start = (q.page - 1) * q.pageSize;
	const end = start + q.pageSize;

	return await writeTransaction(ctx.db, async () => {
		let total: number;
		let page: Ranked[];
		if (used.length === 1 && tokens !== undefined && engineOf(ctx.db) === 'postgres') {
			// Name alone on PostgreSQL: the tsvector index (search-pg.ts), ranked and paged in the query.
			const rows = await dbQuery<NameSearchRow>(ctx.db, nameSearchQuery(ctx.workspaceId, tokens, { limit: q.pageSize, offset: start }));
			// Past the last page no row carries the total: count them on the first.
			total = rows[0]?.total ?? (start > 0 ? ((await dbQuery<NameSearchRow>(ctx.db, nameSearchQuery(ctx.workspaceId, tokens, { limit: 1 })))[0]?.total ?? 0) : 0);
			page = rows.map((r) => ranked(r.customer_id, Number(r.position), [r.tier as MatchTier], { tier: r.tier as MatchTier, tierSum: r.tier_sum, distance: r.distance }));
		} else if (used.length === 1 && tokens !== undefined) {
			// Name alone: ranked inside the index by document rowid, which is the customer's rowid.
			({ total, page } = await nameSearchInIndex(ctx, tokens, start, end));
		} else {
			// Other criteria first (B-tree look-ups), then names checked among the customers they found.
			const others = used.filter((c) => c !== 'name');
			let found: Map<string, MatchTier[]> | undefined;
			for (const c of others) {
				const matches = await criterionMatches(ctx, c, { postcode, dateOfBirth, phone, reference: q.reference, email: q.email });
				found =
					found === undefined
						? new Map([...matches].map(([id, tier]) => [id, [tier]]))
						: new Map([...found].filter(([id]) => matches.has(id)).map(([id, tiers]) => [id, [...tiers, matches.get(id)!]]));
			}
			found ??= new Map();
			let names: Map<string, NameScore> | undefined;
			if (tokens !== undefined) {
				names = await nameMatchesAmong(ctx, tokens, [...found.keys()]);
				found = new Map([...found].filter(([id]) => names!.has(id)).map(([id, tiers]) => [id, [names!.get(id)!.tier, ...tiers]]));
			}
			const rowids = await customerRows(ctx, [...found.keys()]);
			const candidates = [...found].map(([id, tiers]) => ranked(id, rowids.get(id)?.rowid ?? 0, tiers, names?.get(id)));
			candidates.sort(rank);
			total = candidates.length;
			page = candidates.slice(start, end);
		}
		const rows = await customerRows(ctx, page.map((c) => c.customerId));
		const hits: SearchHit[] = page.map((r) => ({
			customerId: r.customerId,
			reference: rows.get(r.customerId)?.reference ?? '',
			match: TIER_NAMES[r.worst]!,
			matches: Object.fromEntries(used.map((c, i) => [c, TIER_NAMES[r.tiers[i]!]!])),
			suppressed: rows.get(r.customerId)?.suppressed ?? false
		}));
		await appendAudit(ctx, {
			action: 'customer.searched',
			// Criteria names only: what was typed is personal data and never reaches the log.
			fields: used,
			details: { purposeCode: q.purposeCode ?? null, resultCount: total, page: q.page }
		});
		return ok({ total, page: q.page, pageSize: q.pageSize, hits });
	});
}

async function criterionMatches(
	ctx: CoreContext,
	criterion: Exclude<SearchCriterion, 'name'>,
	q: { postcode?: string; dateOfBirth?: string; phone?: string; reference?: string; email?: string }
): Promise<Matches> {
	switch (criterion) {
		case 'postcode':
			// A whole postcode is looked up exactly; anything shorter is the start of one.
			return compactPostcode(q.postcode!) === undefined ? await fieldMatches(ctx, ['postcode'], q.postcode!, q.postcode!) : await fieldMatches(ctx, ['postcode'], q.postcode!);
		case 'dateOfBirth':
			return await fieldMatches(ctx, ['dateOfBirth'], q.dateOfBirth!);
		case 'reference':
			return await referenceMatches(ctx, q.reference!);
		case 'email': {
			const email = q.email!.toLowerCase();
			return await fieldMatches(ctx, ['email'], email, email);
		}
		case 'phone':
			return await fieldMatches(ctx, ['phone', 'mobilePhone'], q.phone!);
	}
}

/** Reference, suppression and rowid of customers, by id. */
async function customerRows(ctx: CoreContext, customerIds: string[]): Promise<Map<string, { rowid: number; reference: string; suppressed: boolean }>> {
	const rows = new Map<string, { rowid: number; reference: string; suppressed: boolean }>();
	for (let i = 0; i < customerIds.length; i += 500) {
		for (const row of await dbAll(ctx.db
			.select({
				id: customer.id,
				// Creation order: SQLite's rowid; on PostgreSQL the name index's position (search-pg.ts).
				rowid: engineOf(ctx.db) === 'postgres' ? sql<number>`coalesce((select position from customer_name_search s where s.customer_id = ${customer.id}), 0)` : sql<number>`${customer}.rowid`,
				reference: customer.reference,
				suppressed: customer.suppressed
			})
			.from(customer)
			// The unary + keeps SQLite's planner on the primary key: without statistics it would rather
			// scan the workspace's reference index than look up a list of ids.
			.where(and(engineOf(ctx.db) === 'postgres' ? eq(customer.workspaceId, ctx.workspaceId) : sql`+${customer.workspaceId} = ${ctx.workspaceId}`, inArray(customer.id, customerIds.slice(i, i + 500)))))) {
			rows.set(row.id, row);
		}
	}
	return rows;
}

/**
 * Rebuilds the name index from customer_field: needed only after a VACUUM, which may renumber the
 * customer rowids the index's documents are keyed by.
 */
export async function rebuildNameIndex(db: CoreContext['db']): Promise<void> {
	// PostgreSQL's index is kept by triggers and keyed by customer id: nothing to renumber.
	if (engineOf(db) === 'postgres') return;
	const names = NAME_FIELDS.map((f) => `'${f}'`).join(', ');
	await writeTransaction(db, () => {
		db.$client.exec(`delete from customer_name_search;
			insert into customer_name_search(rowid, names, workspace_key, customer_id)
			select c.rowid, n.names, 'w' || hex(c.workspace_id), c.id
			from customer c join (
				select customer_id, group_concat(normalised, ' ') as names from customer_field
				where field in (${names}) and normalised is not null group by customer_id
			) n on n.customer_id = c.id;`);
	});
}
