/**
 * Which nodes of a dialogue the start reaches, and from which an end can be reached: one pass
 * forward from the start and one pass backward from the ends, each visiting every node and edge at
 * most once, so the cost is linear in the size of the dialogue however it is shaped (a fixed-point
 * search needed one pass over every node per step of a chain: 2,300 nodes took 5 million steps).
 */
export interface Reachability {
	/** Reached from the start. */
	reached: ReadonlySet<string>;
	/** An end node can be reached from it (end nodes included). */
	finishing: ReadonlySet<string>;
}

export function reachability(start: string, ids: Iterable<string>, successorsOf: (id: string) => readonly string[], isEnd: (id: string) => boolean): Reachability {
	const known = new Set(ids);
	const predecessors = new Map<string, string[]>();
	for (const id of known) {
		for (const next of successorsOf(id)) {
			if (!known.has(next)) continue;
			const list = predecessors.get(next);
			if (list) list.push(id);
			else predecessors.set(next, [id]);
		}
	}
	return {
		reached: walk(known.has(start) ? [start] : [], (id) => successorsOf(id).filter((next) => known.has(next))),
		finishing: walk(
			[...known].filter((id) => isEnd(id)),
			(id) => predecessors.get(id) ?? []
		)
	};
}

function walk(from: string[], edges: (id: string) => readonly string[]): Set<string> {
	const seen = new Set<string>(from);
	const stack = [...from];
	while (stack.length > 0) {
		for (const next of edges(stack.pop()!)) {
			if (seen.has(next)) continue;
			seen.add(next);
			stack.push(next);
		}
	}
	return seen;
}
