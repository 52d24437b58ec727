import type { Actor, CoreContext } from './context';
import { seededIds } from './context';
import { openDatabase } from './database';
import { createWorkspace, type Workspace, type WorkspaceInput } from './workspace';

/** A clock tests move by hand. */
export interface TestClock {
	/** The current instant (ISO 8601 UTC); what ctx.clock returns. */
	now(): string;
	advance(ms: number): string;
	set(iso: string): string;
}

export interface TestContext {
	/** Pass this to core operations. */
	ctx: CoreContext;
	workspace: Workspace;
	clock: TestClock;
	/** The same workspace, database, clock and ids, acting as someone else. */
	as(actor: Actor): CoreContext;
	close(): void;
}

export interface TestContextOptions {
	/** Start instant; default 2025-03-03T09:00:00.000Z (a Monday). */
	now?: string;
	seed?: string | number;
	actor?: Actor;
	workspace?: Partial<WorkspaceInput>;
}

export const TEST_AGENT: Actor = { id: 'agent-1', name: 'Test Agent', role: 'agent' };

export function fixedClock(start: string): TestClock {
	let current = Date.parse(start);
	if (Number.isNaN(current)) throw new Error(`fixedClock: ${start} is not an ISO instant`);
	const now = () => new Date(current).toISOString();
	return {
		now,
		advance(ms) {
			current += ms;
			return now();
		},
		set(iso) {
			const next = Date.parse(iso);
			if (Number.isNaN(next)) throw new Error(`fixedClock: ${iso} is not an ISO instant`);
			current = next;
			return now();
		}
	};
}

/**
 * A fresh in-memory database with every migration, one workspace (record mode unless asked
 * otherwise), a clock that only moves when told, and seeded ids: the one set-up every core test uses.
 */
export function createTestContext(options: TestContextOptions = {}): TestContext {
	const db = openDatabase(':memory:');
	const clock = fixedClock(options.now ?? '2025-03-03T09:00:00.000Z');
	const ids = seededIds(options.seed ?? 'test');
	const actor = options.actor ?? TEST_AGENT;
	const created = createWorkspace(
		{ db, actor, clock: clock.now, ids },
		{
			organisationName: 'Northwind Utilities Ltd',
			region: 'england-and-wales',
			policyMode: 'record',
			dpoName: 'Dana Protection',
			dpoEmail: 'dpo@northwind.example',
			...options.workspace
		}
	);
	if (!created.ok) throw new Error(`createTestContext: ${created.error.message}`);
	const ctx: CoreContext = { db, workspaceId: created.value.id, actor, clock: clock.now, ids };
	return {
		ctx,
		workspace: created.value,
		clock,
		as: (other) => ({ ...ctx, actor: other }),
		close: () => db.$client.close()
	};
}
