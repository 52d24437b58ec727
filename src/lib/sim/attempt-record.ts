/**
 * What an attempt records, in the shapes its tables' JSON columns hold (schema.ts) and the runtime
 * returns: the node the learner sees, the transcript's lines, each action's outcome and the stored
 * action itself, and the marking once the attempt has ended. Shapes only: schema.ts types its
 * columns with them and attempts.ts reads and writes them, so neither needs the other's types.
 */
import type { CoreError } from '../core';
import type { MarkingResult } from './marking';

export const ATTEMPT_STATUSES = ['in-progress', 'ended'] as const;
export const ACTION_KINDS = ['choice', 'core'] as const;
export const TRANSCRIPT_KINDS = ['persona', 'narration', 'learner', 'system'] as const;

/** The dialogue node the attempt rests at, as the learner sees it. */
export interface NodeView {
	id: string;
	/** Who speaks; null for narration. */
	speaker: { key: string; name: string; role: string } | null;
	text: string;
	choices: { id: string; label: string }[];
	/**
	 * While the dialogue waits for something done in the system: a neutral line (the node's
	 * waitingText, or "<speaker> is waiting while you work in the system"), never what to do; else null.
	 */
	waitingFor: string | null;
	/** The dialogue has finished; the learner may still work in the system before ending the attempt. */
	ended: boolean;
}

export interface TranscriptEntry {
	seq: number;
	/** On the scenario clock (ISO 8601 UTC). */
	at: string;
	/** 'system': a core action and its outcome in plain words. */
	kind: (typeof TRANSCRIPT_KINDS)[number];
	who: string;
	text: string;
	/** The events this line shows. */
	eventIds: string[];
}

export interface ActionOutcome {
	actionSeq: number;
	/** The scenario clock after the action. */
	clock: string;
	/** A core operation's result, or the disclosure a choice made; an error is an outcome, not a failure. */
	core?: { ok: true; value: unknown } | { ok: false; error: CoreError };
	/** The transcript lines this action added. */
	transcript: TranscriptEntry[];
	node: NodeView | null;
	/** True when the action had already been applied: this is its stored outcome, nothing was applied again. */
	replayed: boolean;
}

/** One action of the learner as stored: replaying these on the same scenario version gives the same attempt. */
export interface StoredAction {
	seq: number;
	kind: (typeof ACTION_KINDS)[number];
	/** The choice id, or the core operation's name. */
	name: string;
	/** The operation's input as sent (null for a choice). */
	input: unknown;
	outcome: ActionOutcome;
	/** When it happened on the scenario clock. */
	at: string;
}

export interface AttemptResult extends MarkingResult {
	/** When the attempt was ended (wall clock, ISO 8601 UTC). */
	endedAt: string;
	/** The scenario clock when it was ended. */
	clock: string;
	scenarioVersion: string;
}
