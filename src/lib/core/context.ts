import { createHash, randomUUID } from 'node:crypto';
import type { Db } from './database';

/** Who is acting: a user of the organisation's system (an agent, a DPO) or the system itself. */
export interface Actor {
	id: string;
	name?: string;
	/** The actor's role in the organisation, e.g. "agent", "team-leader", "dpo", "system". */
	role: string;
}

/**
 * What every core operation takes. The clock and the id generator are injected so that a
 * simulation replays deterministically: same seed, same clock, same records and audit chain.
 */
export interface CoreContext {
	db: Db;
	workspaceId: string;
	actor: Actor;
	/** The current instant as an ISO 8601 UTC string. */
	clock: () => string;
	/** A fresh unique id. */
	ids: () => string;
}

/** The context minus the workspace, for operations that create one. */
export type SystemContext = Omit<CoreContext, 'workspaceId'>;

export const systemClock = (): string => new Date().toISOString();

export function randomIds(): () => string {
	return () => randomUUID();
}

/**
 * Deterministic UUID-shaped ids: SHA-256 of the seed and a counter, formatted as a version 4 UUID,
 * so that replaying a scenario with the same seed gives the same ids.
 */
export function seededIds(seed: string | number): () => string {
	let counter = 0;
	return () => {
		const hex = createHash('sha256').update(`${seed}:${counter++}`).digest('hex');
		const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	};
}
