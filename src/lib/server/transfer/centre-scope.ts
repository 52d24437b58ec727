/**
 * Which rows are one centre's, worked out from the schema's foreign keys (and the links.ts columns
 * that name rows without one), never from a list of tables:
 *
 * 1. A centre owns its organisation row, and every row that names a row it owns (a foreign key, or
 *    an 'owned' link): its users, their attempts, the attempts' actions, and so on down. A row named
 *    by a UNIQUE foreign key belongs to the one row naming it (an attempt's workspace), so the
 *    workspace and its records come with the attempt.
 * 2. Rows it owns need their parents: a built-in scenario version an attempt was played on travels
 *    with it without being the centre's. A parent another centre owns is refused, not copied.
 *
 * Ownership is worked out for every centre at once, so a row two centres both reach is named.
 */
import type { Catalogue, TableInfo } from './catalogue';
import type { ExportSource } from './source';
import { SOFT_LINKS, type RowValues } from './links';
import { TransferError } from './errors';

interface Edge {
	child: string;
	parent: string;
	parentColumns: string[];
	value(row: RowValues): unknown[] | null;
	/** The child belongs to the parent's centre. */
	owned: boolean;
	/** The parent belongs to the (one) child that names it: a single-column UNIQUE foreign key. */
	ownedByChild: boolean;
	label: string;
}

/** Every row a source gives, in its order (Array.fromAsync, which Node 20 lacks). */
async function collect(rows: AsyncIterable<RowValues>): Promise<RowValues[]> {
	const all: RowValues[] = [];
	for await (const row of rows) all.push(row);
	return all;
}

/** The key of a row within its table, as export.ts computes it for the rows it writes. */
export function rowKey(table: Pick<TableInfo, 'primaryKey'>, row: RowValues): string {
	return JSON.stringify(table.primaryKey.map((c) => row[c]));
}

function edgesOf(catalogue: Catalogue): Edge[] {
	const edges: Edge[] = [];
	for (const table of catalogue.tables) {
		for (const fk of table.foreignKeys) {
			if (!catalogue.byName.has(fk.parent)) continue;
			const single = fk.columns.length === 1 ? table.columns.find((c) => c.name === fk.columns[0]) : undefined;
			edges.push({
				child: table.name,
				parent: fk.parent,
				parentColumns: fk.parentColumns,
				value: (row) => (fk.columns.some((c) => row[c] === null || row[c] === undefined) ? null : fk.columns.map((c) => row[c])),
				owned: true,
				ownedByChild: single?.unique === true && fk.parent !== table.name,
				label: `${table.name}.${fk.columns.join(', ')}`
			});
		}
	}
	for (const link of SOFT_LINKS) {
		if (!catalogue.byName.has(link.table) || !catalogue.byName.has(link.parent)) continue;
		edges.push({ child: link.table, parent: link.parent, parentColumns: link.parentColumns, value: link.value, owned: link.kind === 'owned', ownedByChild: false, label: `${link.table}.${link.columns.join(', ')}` });
	}
	return edges;
}

/**
 * The tables a centre export can place: those a centre owns rows of (reached from organisation
 * through owning edges) and those their rows name (shared parents). Any other table would be left
 * behind unseen, so the export is refused, naming it.
 */
export function unplacedTables(catalogue: Catalogue): string[] {
	const edges = edgesOf(catalogue);
	const placed = new Set(['organisation']);
	for (let grew = true; grew; ) {
		grew = false;
		for (const e of edges) {
			const reached = (e.owned && placed.has(e.parent) && !placed.has(e.child) && e.child) || (placed.has(e.child) && !placed.has(e.parent) && e.parent);
			if (reached) {
				placed.add(reached);
				grew = true;
			}
		}
	}
	return catalogue.tables.map((t) => t.name).filter((name) => !placed.has(name));
}

/** The organisation an export names, by id or by exact name; refused when none or several match. */
export async function findCentre(source: ExportSource, catalogue: Catalogue, centre: string): Promise<{ id: string; name: string }> {
	const organisations = catalogue.byName.get('organisation')!;
	const found = (await collect(source.rows(organisations, organisations.columns.filter((c) => c.name === 'name'))))
		.map((o) => ({ id: o.id as string, name: o.name as string }))
		.filter((o) => o.id === centre || o.name === centre);
	if (found.length === 0) throw new TransferError(`No centre has the id or the name "${centre}".`);
	const byId = found.find((o) => o.id === centre);
	if (byId) return byId;
	if (found.length > 1) throw new TransferError(`${found.length} centres are named "${centre}": give the organisation id instead (${found.map((o) => o.id).join(', ')}).`);
	return found[0]!;
}

/** The keys of the rows one centre's export carries, per table. */
export async function centreRows(source: ExportSource, catalogue: Catalogue, organisationId: string): Promise<Map<string, Set<string>>> {
	const unplaced = unplacedTables(catalogue);
	if (unplaced.length > 0) {
		throw new TransferError(
			`db:export does not know which centre the rows of ${unplaced.join(', ')} belong to: they have no foreign key to a centre's rows and no link in src/lib/server/transfer/links.ts. Add one (or list the table as transient there) before exporting a centre.`
		);
	}
	const edges = edgesOf(catalogue);
	// Only the columns keys and links read: the rows themselves are read once, by the export.
	const needed = new Map<string, Set<string>>(catalogue.tables.map((t) => [t.name, new Set(t.primaryKey)]));
	for (const e of edges) {
		for (const c of e.parentColumns) needed.get(e.parent)!.add(c);
	}
	for (const t of catalogue.tables) for (const fk of t.foreignKeys) for (const c of fk.columns) needed.get(t.name)!.add(c);
	for (const link of SOFT_LINKS) for (const c of link.columns) needed.get(link.table)?.add(c);

	const rows = new Map<string, RowValues[]>();
	for (const table of catalogue.tables) {
		rows.set(table.name, await collect(source.rows(table, table.columns.filter((c) => needed.get(table.name)!.has(c.name)))));
	}
	const index = (table: string, columns: (row: RowValues) => unknown[] | null) => {
		const map = new Map<string, number[]>();
		rows.get(table)!.forEach((row, i) => {
			const v = columns(row);
			if (v === null) return;
			const k = JSON.stringify(v);
			const list = map.get(k);
			if (list) list.push(i);
			else map.set(k, [i]);
		});
		return map;
	};
	const parentIndex = new Map<string, Map<string, number[]>>();
	const parentsOf = (e: Edge, value: unknown[]) => {
		const id = `${e.parent}(${e.parentColumns.join(',')})`;
		let map = parentIndex.get(id);
		if (!map) parentIndex.set(id, (map = index(e.parent, (row) => e.parentColumns.map((c) => row[c]))));
		return map.get(JSON.stringify(value)) ?? [];
	};
	const childIndex = new Map<Edge, Map<string, number[]>>(edges.map((e) => [e, index(e.child, e.value)]));

	const owner = new Map<string, (string | undefined)[]>(catalogue.tables.map((t) => [t.name, new Array<string | undefined>(rows.get(t.name)!.length)]));
	const describe = (table: string, i: number) => `${table} ${rowKey(catalogue.byName.get(table)!, rows.get(table)![i]!)}`;
	const conflicts: string[] = [];
	const queue: [string, number][] = [];
	const own = (table: string, i: number, org: string, via: string) => {
		const current = owner.get(table)![i];
		if (current === undefined) {
			owner.get(table)![i] = org;
			queue.push([table, i]);
		} else if (current !== org && (current === organisationId || org === organisationId)) {
			conflicts.push(`${describe(table, i)} belongs to centre ${current} and, through ${via}, to centre ${org}`);
		}
	};
	rows.get('organisation')!.forEach((row, i) => own('organisation', i, row.id as string, 'its id'));
	const byParent = (table: string) => edges.filter((e) => e.parent === table && e.owned);
	const byChild = (table: string) => edges.filter((e) => e.child === table);
	for (let next = 0; next < queue.length; next++) {
		const [table, i] = queue[next]!;
		const org = owner.get(table)![i]!;
		const row = rows.get(table)![i]!;
		for (const e of byParent(table)) {
			for (const child of childIndex.get(e)!.get(JSON.stringify(e.parentColumns.map((c) => row[c]))) ?? []) own(e.child, child, org, e.label);
		}
		for (const e of byChild(table)) {
			if (!e.ownedByChild) continue;
			const v = e.value(row);
			if (v) for (const parent of parentsOf(e, v)) own(e.parent, parent, org, e.label);
		}
	}
	if (conflicts.length > 0) throw new TransferError(`Rows of two centres are linked, so the centre cannot be moved alone:\n  ${conflicts.slice(0, 20).join('\n  ')}`);

	const included = new Map<string, Set<number>>(catalogue.tables.map((t) => [t.name, new Set<number>()]));
	const pending: [string, number][] = [];
	for (const [table, owners] of owner) {
		owners.forEach((o, i) => {
			if (o === organisationId) {
				included.get(table)!.add(i);
				pending.push([table, i]);
			}
		});
	}
	while (pending.length > 0) {
		const [table, i] = pending.pop()!;
		const row = rows.get(table)![i]!;
		for (const e of byChild(table)) {
			const v = e.value(row);
			if (!v) continue;
			for (const parent of parentsOf(e, v)) {
				const o = owner.get(e.parent)![parent];
				if (o !== undefined && o !== organisationId) {
					throw new TransferError(`${describe(table, i)} names ${describe(e.parent, parent)} (${e.label}), which belongs to centre ${o}: the centre cannot be moved alone.`);
				}
				if (!included.get(e.parent)!.has(parent)) {
					included.get(e.parent)!.add(parent);
					pending.push([e.parent, parent]);
				}
			}
		}
	}
	return new Map(catalogue.tables.map((t) => [t.name, new Set([...included.get(t.name)!].map((i) => rowKey(t, rows.get(t.name)![i]!)))]));
}
