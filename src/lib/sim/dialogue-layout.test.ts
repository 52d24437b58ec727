import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutDialogue, neighbourhood, NODE_HEIGHT, NODE_WIDTH, shortLabel, type LayoutInputNode } from './dialogue-layout';

/** A random dialogue: nodes n0…n(k-1), each linking to a few others (cycles, self-links and links to nothing included). */
const graphs = fc.integer({ min: 1, max: 40 }).chain((size) =>
	fc.array(fc.array(fc.integer({ min: 0, max: size + 2 }), { maxLength: 4 }), { minLength: size, maxLength: size }).map((links) =>
		links.map(
			(targets, i): LayoutInputNode => ({
				id: `n${i}`,
				// Targets past the last node are links to nodes that do not exist.
				links: targets.map((t) => ({ to: `n${t}`, label: `to n${t}` }))
			})
		)
	)
);

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
	return a.x < b.x + NODE_WIDTH && b.x < a.x + NODE_WIDTH && a.y < b.y + NODE_HEIGHT && b.y < a.y + NODE_HEIGHT;
}

describe('the dialogue layout', () => {
	it('places every node once, with no two boxes overlapping, inside the drawing', () => {
		fc.assert(
			fc.property(graphs, (nodes) => {
				const layout = layoutDialogue(nodes, ['n0']);
				expect(layout.nodes.map((n) => n.id).sort()).toEqual(nodes.map((n) => n.id).sort());
				for (let i = 0; i < layout.nodes.length; i++) {
					const a = layout.nodes[i]!;
					expect(a.x + NODE_WIDTH).toBeLessThanOrEqual(layout.width);
					expect(a.y + NODE_HEIGHT).toBeLessThanOrEqual(layout.height);
					for (let j = i + 1; j < layout.nodes.length; j++) expect(overlaps(a, layout.nodes[j]!)).toBe(false);
				}
			})
		);
	});

	it('draws an edge for each distinct link between two nodes that exist, joining the right nodes', () => {
		fc.assert(
			fc.property(graphs, (nodes) => {
				const ids = new Set(nodes.map((n) => n.id));
				const expected = new Set(nodes.flatMap((n) => n.links.filter((l) => ids.has(l.to)).map((l) => `${n.id}→${l.to}`)));
				const layout = layoutDialogue(nodes, ['n0']);
				expect(new Set(layout.edges.map((e) => `${e.from}→${e.to}`))).toEqual(expected);
				expect(layout.edges.length).toBe(expected.size);
			})
		);
	});

	it('puts a forward edge one layer down, and calls every other edge within a group a back edge', () => {
		fc.assert(
			fc.property(graphs, (nodes) => {
				const layout = layoutDialogue(nodes, ['n0']);
				const at = new Map(layout.nodes.map((n) => [n.id, n]));
				for (const e of layout.edges) {
					const from = at.get(e.from)!;
					const to = at.get(e.to)!;
					if (e.kind === 'forward') {
						expect(to.group).toBe(from.group);
						expect(to.layer).toBeGreaterThan(from.layer);
						expect(to.y).toBeGreaterThan(from.y);
					} else if (e.kind === 'back') {
						expect(to.group).toBe(from.group);
						expect(to.layer).toBeLessThanOrEqual(from.layer);
					} else {
						expect(to.group).not.toBe(from.group);
					}
				}
			})
		);
	});

	it('lays out what the start reaches first, layered by distance, and the unreached nodes in a group below', () => {
		fc.assert(
			fc.property(graphs, (nodes) => {
				const layout = layoutDialogue(nodes, ['n0']);
				const ids = new Set(nodes.map((n) => n.id));
				// Distances from n0 by breadth-first search.
				const distance = new Map<string, number>([['n0', 0]]);
				let frontier = ['n0'];
				while (frontier.length > 0) {
					const next: string[] = [];
					for (const id of frontier) {
						for (const l of nodes.find((n) => n.id === id)!.links) {
							if (ids.has(l.to) && !distance.has(l.to)) (distance.set(l.to, distance.get(id)! + 1), next.push(l.to));
						}
					}
					frontier = next;
				}
				const lowestReached = Math.max(...layout.nodes.filter((n) => n.group === 'reached').map((n) => n.y));
				for (const n of layout.nodes) {
					if (distance.has(n.id)) {
						expect(n.group).toBe('reached');
						expect(n.layer).toBe(distance.get(n.id));
					} else {
						expect(n.group).toBe('other');
						expect(n.y).toBeGreaterThan(lowestReached);
					}
				}
			})
		);
	});

	it('orders a layer by its parents, so a simple tree draws without crossings', () => {
		const nodes: LayoutInputNode[] = [
			{ id: 'a', links: [{ to: 'b', label: '' }, { to: 'c', label: '' }] },
			// In file order the children of c come first: the sweep puts them under c.
			{ id: 'f', links: [] },
			{ id: 'e', links: [] },
			{ id: 'c', links: [{ to: 'e', label: '' }, { to: 'f', label: '' }] },
			{ id: 'b', links: [{ to: 'd', label: '' }] },
			{ id: 'd', links: [] }
		];
		const layout = layoutDialogue(nodes, ['a']);
		const slot = (id: string) => layout.nodes.find((n) => n.id === id)!.slot;
		expect(slot('b')).toBeLessThan(slot('c'));
		expect(slot('d')).toBeLessThan(slot('e'));
		expect(slot('d')).toBeLessThan(slot('f'));
	});

	it('shortens long labels to one line with an ellipsis', () => {
		expect(shortLabel('“Of course.  Bear with me\na moment while I bring the account up.”')).toBe('“Of course. Bear with me a…');
		expect(shortLabel('Short')).toBe('Short');
	});

	it('finds a node’s neighbourhood two steps back and forward', () => {
		const chain: LayoutInputNode[] = Array.from({ length: 9 }, (_, i) => ({ id: `n${i}`, links: i < 8 ? [{ to: `n${i + 1}`, label: '' }] : [] }));
		expect([...neighbourhood(chain, 'n4')].sort()).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
		expect([...neighbourhood(chain, 'nope')]).toEqual([]);
	});

	it('lays out a 2,400-node dialogue in bounded time (benchmark figure, printed)', () => {
		const size = 2_400;
		const nodes: LayoutInputNode[] = Array.from({ length: size }, (_, i) => ({
			id: `n${i}`,
			links: [1, 2, 3].map((k) => ({ to: `n${(i * 7 + k * 13) % size}`, label: `choice ${k}` }))
		}));
		const started = performance.now();
		const layout = layoutDialogue(nodes, ['n0']);
		const ms = performance.now() - started;
		console.info(`layoutDialogue: ${size} nodes, ${layout.edges.length} edges in ${ms.toFixed(0)} ms`);
		expect(layout.nodes).toHaveLength(size);
	});
});
