/**
 * Where each node of a dialogue is drawn: a layered layout, computed without a browser so the
 * dialogue page can draw it as SVG on the server (and work without scripts).
 *
 * Layers are the distance from the roots (the start node) along links; within a layer, nodes are
 * ordered by a few barycentre sweeps to cut crossings, then put on a grid. A link to an earlier or
 * the same layer is a back edge (a cycle, or a loop back). Nodes the roots cannot reach are laid
 * out as a group of their own below, layered from their own sources. Linear-ish in the number of
 * links per sweep, so a 2,400-node file lays out in milliseconds (tests/bench figure in the test).
 */

export interface LayoutLink {
	to: string;
	label: string;
}

export interface LayoutInputNode {
	id: string;
	links: LayoutLink[];
}

export interface PlacedNode {
	id: string;
	/** 0-based layer within its group (rows of the drawing). */
	layer: number;
	/** 0-based position within the layer (columns). */
	slot: number;
	/** Top-left corner of the node's box. */
	x: number;
	y: number;
	/** In the group the roots reach, or in the group of the rest. */
	group: 'reached' | 'other';
}

export interface PlacedEdge {
	from: string;
	to: string;
	label: string;
	/** Points back (to an earlier or the same layer), or between the two groups. */
	kind: 'forward' | 'back' | 'across';
}

export interface DialogueLayout {
	nodes: PlacedNode[];
	edges: PlacedEdge[];
	width: number;
	height: number;
	/** The y where the group of unreached nodes starts, when there is one. */
	otherTop?: number;
}

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 56;
const GAP_X = 24;
const GAP_Y = 48;
const GROUP_GAP = 40;
const MARGIN = 18;
const SWEEPS = 4;
/** An edge's label is cut to this many characters (the editor shows it whole). */
export const EDGE_LABEL_CHARACTERS = 28;

export function shortLabel(label: string, max = EDGE_LABEL_CHARACTERS): string {
	const one = label.replace(/\s+/g, ' ').trim();
	return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}

/**
 * Lays out `nodes` (the first of a repeated id wins; links to ids not among them are left out),
 * layered from `roots` (ids; those that are not nodes are ignored).
 */
export function layoutDialogue(nodes: readonly LayoutInputNode[], roots: readonly string[]): DialogueLayout {
	const byId = new Map<string, LayoutInputNode>();
	for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
	const ids = [...byId.keys()];
	const successors = new Map<string, string[]>(ids.map((id) => [id, [...new Set(byId.get(id)!.links.map((l) => l.to).filter((to) => byId.has(to)))]]));

	const layer = new Map<string, number>();
	const group = new Map<string, 'reached' | 'other'>();
	/** Nodes in the order the search found them: a layer starts in the order of its parents' choices. */
	const found: string[] = [];
	const bfs = (from: string[], g: 'reached' | 'other') => {
		let frontier = from.filter((id) => !layer.has(id));
		for (const id of frontier) {
			layer.set(id, 0);
			group.set(id, g);
			found.push(id);
		}
		let depth = 0;
		while (frontier.length > 0) {
			depth++;
			const next: string[] = [];
			for (const id of frontier) {
				for (const to of successors.get(id)!) {
					if (layer.has(to)) continue;
					layer.set(to, depth);
					group.set(to, g);
					found.push(to);
					next.push(to);
				}
			}
			frontier = next;
		}
	};
	bfs([...new Set(roots)].filter((id) => byId.has(id)), 'reached');
	// The rest: from those no other unplaced node links to first, then from whatever is left (cycles).
	const unplaced = ids.filter((id) => !layer.has(id));
	if (unplaced.length > 0) {
		const linkedTo = new Set<string>();
		for (const id of unplaced) for (const to of successors.get(id)!) if (!layer.has(to)) linkedTo.add(to);
		bfs(
			unplaced.filter((id) => !linkedTo.has(id)),
			'other'
		);
		for (const id of unplaced) if (!layer.has(id)) bfs([id], 'other');
	}

	// Rows per group and layer, first in the order found, then by barycentre sweeps.
	const rows = new Map<string, string[]>();
	const rowKey = (id: string) => `${group.get(id)}:${layer.get(id)}`;
	for (const id of found) {
		const key = rowKey(id);
		if (!rows.has(key)) rows.set(key, []);
		rows.get(key)!.push(id);
	}
	const predecessors = new Map<string, string[]>(ids.map((id) => [id, []]));
	for (const id of ids) for (const to of successors.get(id)!) predecessors.get(to)!.push(id);
	const slot = new Map<string, number>();
	const renumber = (row: string[]) => row.forEach((id, i) => slot.set(id, i));
	for (const row of rows.values()) renumber(row);
	const depthOf = (g: 'reached' | 'other') => Math.max(-1, ...ids.filter((id) => group.get(id) === g).map((id) => layer.get(id)!));
	for (let sweep = 0; sweep < SWEEPS; sweep++) {
		const down = sweep % 2 === 0;
		for (const g of ['reached', 'other'] as const) {
			const depth = depthOf(g);
			for (let i = 1; i <= depth; i++) {
				const l = down ? i : depth - i;
				const row = rows.get(`${g}:${l}`);
				if (!row) continue;
				const neighbourLayer = down ? l - 1 : l + 1;
				const centre = new Map<string, number>();
				for (const id of row) {
					const around = (down ? predecessors : successors).get(id)!.filter((o) => group.get(o) === g && layer.get(o) === neighbourLayer);
					centre.set(id, around.length === 0 ? slot.get(id)! : around.reduce((s, o) => s + slot.get(o)!, 0) / around.length);
				}
				row.sort((a, b) => centre.get(a)! - centre.get(b)! || slot.get(a)! - slot.get(b)!);
				renumber(row);
			}
		}
	}

	const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
	const reachedDepth = depthOf('reached');
	const otherTop = MARGIN + (reachedDepth + 1) * (NODE_HEIGHT + GAP_Y) + (reachedDepth >= 0 ? GROUP_GAP : 0);
	const placed: PlacedNode[] = ids.map((id) => {
		const g = group.get(id)!;
		const l = layer.get(id)!;
		const s = slot.get(id)!;
		const top = g === 'reached' ? MARGIN : otherTop;
		return { id, layer: l, slot: s, x: MARGIN + s * (NODE_WIDTH + GAP_X), y: top + l * (NODE_HEIGHT + GAP_Y), group: g };
	});
	const edges: PlacedEdge[] = [];
	for (const id of ids) {
		const seen = new Set<string>();
		for (const link of byId.get(id)!.links) {
			if (!byId.has(link.to) || seen.has(link.to)) continue;
			seen.add(link.to);
			const kind = group.get(id) !== group.get(link.to) ? 'across' : layer.get(link.to)! > layer.get(id)! ? 'forward' : 'back';
			edges.push({ from: id, to: link.to, label: shortLabel(link.label), kind });
		}
	}
	const otherDepth = depthOf('other');
	const height = otherDepth >= 0 ? otherTop + (otherDepth + 1) * (NODE_HEIGHT + GAP_Y) : MARGIN + (reachedDepth + 1) * (NODE_HEIGHT + GAP_Y);
	return {
		nodes: placed,
		edges,
		width: MARGIN * 2 + widest * (NODE_WIDTH + GAP_X) - GAP_X,
		height: Math.max(height, NODE_HEIGHT + 2 * MARGIN),
		...(otherDepth >= 0 && reachedDepth >= 0 ? { otherTop: otherTop - GROUP_GAP / 2 } : {})
	};
}

/** The ids within `steps` links of `id`, backwards and forwards (the neighbourhood a large dialogue shows). */
export function neighbourhood(nodes: readonly LayoutInputNode[], id: string, steps = 2): Set<string> {
	const forward = new Map<string, string[]>();
	const backward = new Map<string, string[]>();
	for (const n of nodes) {
		for (const l of n.links) {
			if (!forward.has(n.id)) forward.set(n.id, []);
			forward.get(n.id)!.push(l.to);
			if (!backward.has(l.to)) backward.set(l.to, []);
			backward.get(l.to)!.push(n.id);
		}
	}
	const known = new Set(nodes.map((n) => n.id));
	const found = new Set<string>(known.has(id) ? [id] : []);
	for (const links of [forward, backward]) {
		let frontier = [...found].filter((x) => x === id);
		for (let s = 0; s < steps; s++) {
			const next: string[] = [];
			for (const x of frontier) for (const y of links.get(x) ?? []) if (known.has(y) && !found.has(y)) (found.add(y), next.push(y));
			frontier = next;
		}
	}
	return found;
}
