/**
 * Name search on PostgreSQL: the SQL that does what core/search.ts does with SQLite's FTS5 index,
 * for the core to run once it is async (docs/postgresql.md). The index is the table
 * customer_name_search of migration drizzle-pg/0000 (one row per customer, kept by triggers).
 *
 * The same rule as on SQLite: every word of the query must match a word of the customer's names
 * exactly (tier 0), as its start (tier 1) or within a typing slip with the first letter right
 * (tier 2, fuzzFor); a customer's tier is its weakest word's; ranked by tier, then as search.ts's
 * rank does: the words' tiers added up, the typing slips added up, then creation order.
 * Candidates come from the tsvector's GIN index: names with a word that starts with the query word,
 * or, for a word long enough to forgive a slip, with its first letter (SQLite likewise looks for
 * near words among its vocabulary's words of that letter). Each candidate's tier is then decided
 * exactly, with levenshtein_less_equal (fuzzystrmatch).
 */
import { sql, type SQL } from 'drizzle-orm';
import { foldText } from './collection';

/** Typing slips forgiven, as on SQLite (search.ts): one for three to six letters, two from seven. */
const fuzzFor = (token: string): number => (token.length < 3 ? 0 : token.length < 7 ? 1 : 2);

/** The words of a name query, folded as names are stored, letters and digits only (as search.ts). */
export function nameQueryTokens(text: string): string[] {
	return [...new Set(foldText(text).split(' ').map((t) => t.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean))];
}

export interface NameSearchOptions {
	/** Only among these customers (a search by name and other criteria). */
	customerIds?: string[];
	limit?: number;
	offset?: number;
}

/** One customer found, with what ranks it (search.ts NameScore) and how many were found in all. */
export interface NameSearchRow {
	customer_id: string;
	tier: number;
	tier_sum: number;
	distance: number;
	/** Creation order (a bigint, which node-postgres reads as text). */
	position: string | number;
	total: number;
}

/**
 * Rows NameSearchRow: the workspace's customers whose names match every token, best
 * first, paged; total counts them all. tokens come from nameQueryTokens (never raw input: each is
 * passed as a parameter, so no query syntax can reach the tsquery).
 */
export function nameSearchQuery(workspaceId: string, tokens: string[], options: NameSearchOptions = {}): SQL {
	if (tokens.length === 0) throw new Error('a name search needs at least one word');
	const allowed = tokens.map(fuzzFor);
	// Candidates: for every query word, a word that starts with it, or with its first letter where a
	// slip is forgiven (every query word must match, so all of them: &&, which keeps the GIN index's
	// answer to the customers that can match rather than those with any one of the letters).
	const starts = [...new Set(tokens.map((t, i) => (allowed[i]! > 0 ? String.fromCodePoint(t.codePointAt(0)!) : t)))];
	const candidate = sql.join(
		starts.map((start) => sql`to_tsquery('simple', quote_literal(${start}) || ':*')`),
		sql` && `
	);
	const among = options.customerIds ? sql`and s.customer_id = any(${sql.param(options.customerIds)}::text[])` : sql``;
	return sql`
		with tokens(token, allowed) as (select * from unnest(${sql.param(tokens)}::text[], ${sql.param(allowed)}::int[])),
		candidates as (
			select s.customer_id, s.position, tsvector_to_array(s.document) as words
			from customer_name_search s
			where s.workspace_id = ${workspaceId} ${among} and s.document @@ (${candidate})
		),
		tiers as (
			select c.customer_id, c.position, m.tier,
				case when m.tier = 2 then m.nearest else 0 end as distance
			from candidates c cross join tokens t cross join lateral (
				select
					min(case when w = t.token then 0 when starts_with(w, t.token) then 1 when d <= t.allowed then 2 end) as tier,
					min(d) as nearest
				from unnest(c.words) as w cross join lateral (
					-- The slips from the query word, for a word of the same first letter (once per word).
					select case when t.allowed > 0 and left(w, 1) = left(t.token, 1) then levenshtein_less_equal(t.token, w, t.allowed) end as d
				) slips
			) m
		),
		matched as (
			select customer_id, position, max(tier) as tier, sum(tier) as tier_sum, sum(distance) as distance from tiers
			group by customer_id, position
			having bool_and(tier is not null)
		)
		select customer_id, tier::int as tier, tier_sum::int as tier_sum, distance::int as distance, position,
			count(*) over ()::int as total
		from matched
		order by tier, tier_sum, distance, position
		limit ${options.limit ?? 20} offset ${options.offset ?? 0}`;
}
