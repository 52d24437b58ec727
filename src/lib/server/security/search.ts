import { dbAll, engineOf } from '$lib/core/database';
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '$lib/core/database';
import { ukDayStart } from '$lib/core/uk-date';
import { SECURITY_EVENT_TYPES, securityEvent, user, type SecurityEventType } from '$lib/server/db/schema';
import { SECURITY_EVENT_GROUPS, SECURITY_EVENT_KINDS, summariseDetail, typesOfGroup, type SecurityEventGroup } from './kinds';

/**
 * Searching the security event log (OWASP ASVS 5.0 §16.2): an administrator filters by kind of
 * event, person, address and UK dates, newest first, a bounded page at a time. Pages are keyset
 * pages (after the last event shown, never an OFFSET), so a page costs the same however deep it is
 * and events recorded meanwhile never shift what the next page shows.
 */

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** A position in the log: the time and id of an event; pages continue strictly before or after it. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_(\d{1,15})$/;
const UK_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
	try {
		ukDayStart(value);
		return true;
	} catch {
		return false;
	}
}

const ukDate = (what: string) =>
	z
		.string()
		.trim()
		.refine((s) => s === '' || (UK_DATE.test(s) && isRealDate(s)), `Enter the ${what} date as a real date, like 2026-03-31.`);

const filterFields = z
	.object({
		event: z
			.string()
			.trim()
			.refine(
				(s) => s === '' || s in SECURITY_EVENT_GROUPS || (SECURITY_EVENT_TYPES as readonly string[]).includes(s),
				'Choose a kind of event from the list.'
			),
		person: z.string().trim().max(254, 'Use at most 254 characters for the email or name.'),
		address: z
			.string()
			.trim()
			.max(64, 'Use at most 64 characters for the address.')
			.regex(/^[0-9A-Fa-f:.]*$/, 'Enter an IP address or its beginning, like 192.168.1 or 2001:db8:'),
		from: ukDate('first'),
		to: ukDate('last'),
		size: z
			.string()
			.trim()
			.regex(/^\d{0,3}$/, `Choose how many events a page shows, up to ${MAX_PAGE_SIZE}.`)
			.transform((s) => (s === '' ? DEFAULT_PAGE_SIZE : Number(s)))
			.refine((n) => n >= 10 && n <= MAX_PAGE_SIZE, `Choose from 10 to ${MAX_PAGE_SIZE} events a page.`),
		before: z.string().regex(CURSOR, 'That page link is not valid: start again from the newest events.').or(z.literal('')),
		after: z.string().regex(CURSOR, 'That page link is not valid: start again from the newest events.').or(z.literal(''))
	})
	.refine((f) => f.from === '' || f.to === '' || f.from <= f.to, { path: ['to'], message: 'The last date must be on or after the first date.' });

export type SecurityLogFilterField = 'event' | 'person' | 'address' | 'from' | 'to' | 'size' | 'before' | 'after';
/** The filters as typed, to put back in the form. */
export type SecurityLogFilterValues = Record<Exclude<SecurityLogFilterField, 'before' | 'after'>, string>;

export interface SecurityLogQuery {
	types: SecurityEventType[] | null;
	person: string;
	address: string;
	/** UK calendar dates, inclusive. */
	from: string;
	to: string;
	size: number;
	before: string;
	after: string;
}

export type ParsedSecurityLogFilters =
	| { ok: true; values: SecurityLogFilterValues; query: SecurityLogQuery }
	| { ok: false; values: SecurityLogFilterValues; errors: Partial<Record<SecurityLogFilterField, string>> };

/** Reads the filter form's query string (GET, so the page works without JavaScript and links can be shared). */
export function parseSecurityLogFilters(params: URLSearchParams): ParsedSecurityLogFilters {
	const raw = (name: SecurityLogFilterField) => (params.get(name) ?? '').slice(0, 1000);
	const values: SecurityLogFilterValues = { event: raw('event'), person: raw('person'), address: raw('address'), from: raw('from'), to: raw('to'), size: raw('size') };
	const parsed = filterFields.safeParse({ ...values, before: raw('before'), after: raw('after') });
	if (!parsed.success) {
		const errors: Partial<Record<SecurityLogFilterField, string>> = {};
		for (const issue of parsed.error.issues) errors[issue.path[0] as SecurityLogFilterField] ??= issue.message;
		return { ok: false, values, errors };
	}
	const f = parsed.data;
	const types = f.event === '' ? null : f.event in SECURITY_EVENT_GROUPS ? typesOfGroup(f.event as SecurityEventGroup) : [f.event as SecurityEventType];
	return {
		ok: true,
		values: { ...values, size: String(f.size) },
		query: { types, person: f.person, address: f.address, from: f.from, to: f.to, size: f.size, before: f.before, after: f.after }
	};
}

/** One row of the log as the administrator reads it. */
export interface SecurityLogEntry {
	id: number;
	at: string;
	type: SecurityEventType;
	label: string;
	/** The account the event is about, or the email typed when no account matched. */
	subject: { id: string | null; name: string | null; email: string | null } | null;
	actor: { id: string; name: string | null; email: string | null } | null;
	address: string | null;
	routeId: string | null;
	summary: string;
}

export interface SecurityLogPage {
	entries: SecurityLogEntry[];
	/** Cursor of the page of older events, when there is one. */
	older: string | null;
	/** Cursor of the page of newer events, when this is not the newest page. */
	newer: string | null;
}

function likePattern(text: string, prefixOnly: boolean): string {
	const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
	return prefixOnly ? `${escaped}%` : `%${escaped}%`;
}

function cursorOf(entry: { at: string; id: number }): string {
	return `${entry.at}_${entry.id}`;
}

function splitCursor(cursor: string): { at: string; id: number } {
	const [, at, id] = CURSOR.exec(cursor)!;
	return { at: at!, id: Number(id) };
}

/**
 * A page of the centre's security log, newest first. The centre's events are those about or by its
 * users, and those naming no account at all (a log-in with an unknown email), which belong to the
 * installation; another centre's users' events are never shown.
 */
export async function searchSecurityLog(db: Db, organisationId: string, query: SecurityLogQuery): Promise<SecurityLogPage> {
	const e = securityEvent;
	const centre = db.select({ id: user.id }).from(user).where(eq(user.organisationId, organisationId));
	const conditions: SQL[] = [
		or(inArray(e.userId, centre), inArray(e.actorId, centre), and(isNull(e.userId), isNull(e.actorId)))!
	];
	if (query.types) conditions.push(inArray(e.type, query.types));
	const like = sql.raw(engineOf(db) === 'postgres' ? 'ILIKE' : 'LIKE');
	if (query.person !== '') {
		const pattern = likePattern(query.person, false);
		// The people first (a small table, its matches made once), then their events: matching names
		// row by row through the joins took 0.4 s over 200,000 events when nobody matched.
		// ASCII letters match in any case (SQLite's LIKE; ILIKE on PostgreSQL, whose LIKE minds case).
		const people = db
			.select({ id: user.id })
			.from(user)
			.where(sql`${user.email} ${like} ${pattern} ESCAPE '\\' OR ${user.displayName} ${like} ${pattern} ESCAPE '\\'`);
		conditions.push(or(inArray(e.userId, people), inArray(e.actorId, people), sql`${e.email} ${like} ${pattern} ESCAPE '\\'`)!);
	}
	if (query.address !== '') conditions.push(sql`${e.address} ${like} ${likePattern(query.address, true)} ESCAPE '\\'`);
	if (query.from !== '') conditions.push(sql`${e.at} >= ${ukDayStart(query.from)}`);
	if (query.to !== '') {
		const next = new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
		conditions.push(sql`${e.at} < ${ukDayStart(next)}`);
	}
	const newerFirst = query.after === '';
	if (query.before !== '') {
		const c = splitCursor(query.before);
		conditions.push(sql`(${e.at}, ${e.id}) < (${c.at}, ${c.id})`);
	} else if (query.after !== '') {
		const c = splitCursor(query.after);
		conditions.push(sql`(${e.at}, ${e.id}) > (${c.at}, ${c.id})`);
	}
	const size = Math.min(Math.max(query.size, 1), MAX_PAGE_SIZE);
	const rows = await dbAll(db
		.select({
			id: e.id,
			at: e.at,
			type: e.type,
			userId: e.userId,
			actorId: e.actorId,
			email: e.email,
			address: e.address,
			routeId: e.routeId,
			detail: e.detail
		})
		.from(e)
		.where(and(...conditions))
		.orderBy(...(newerFirst ? [desc(e.at), desc(e.id)] : [asc(e.at), asc(e.id)]))
		.limit(size + 1));
	const more = rows.length > size;
	// Fewer newer events than a page: that is the newest page, shown full.
	if (!newerFirst && !more) return await searchSecurityLog(db, organisationId, { ...query, after: '' });
	const shown = rows.slice(0, size);
	if (!newerFirst) shown.reverse();
	// The people the page names, in one more query (not the user table joined twice under aliases,
	// which drizzle's PostgreSQL dialect renders only for its own tables).
	const ids = [...new Set(shown.flatMap((r) => [r.userId, r.actorId]).filter((id): id is string => id !== null))];
	const people = new Map(
		ids.length === 0 ? [] : (await dbAll(db.select({ id: user.id, name: user.displayName, email: user.email }).from(user).where(inArray(user.id, ids)))).map((p) => [p.id, p])
	);
	const entries = shown.map(
		(r): SecurityLogEntry => ({
			id: r.id,
			at: r.at,
			type: r.type,
			label: SECURITY_EVENT_KINDS[r.type]?.label ?? r.type,
			subject: r.userId !== null || r.email !== null ? { id: r.userId, name: people.get(r.userId ?? '')?.name ?? null, email: people.get(r.userId ?? '')?.email ?? r.email } : null,
			actor: r.actorId !== null ? { id: r.actorId, name: people.get(r.actorId)?.name ?? null, email: people.get(r.actorId)?.email ?? null } : null,
			address: r.address,
			routeId: r.routeId,
			summary: summariseDetail(r.type, r.detail)
		})
	);
	const first = entries[0];
	const last = entries[entries.length - 1];
	return {
		entries,
		older: last && (newerFirst ? more : true) ? cursorOf(last) : null,
		newer: first && (newerFirst ? query.before !== '' : more) ? cursorOf(first) : null
	};
}

/** The kinds of event for the filter's list: each group, then its types. */
export function securityEventChoices(): { value: string; label: string; types: { value: SecurityEventType; label: string }[] }[] {
	return (Object.keys(SECURITY_EVENT_GROUPS) as SecurityEventGroup[]).map((group) => ({
		value: group,
		label: SECURITY_EVENT_GROUPS[group],
		types: typesOfGroup(group).map((type) => ({ value: type, label: SECURITY_EVENT_KINDS[type].label }))
	}));
}
