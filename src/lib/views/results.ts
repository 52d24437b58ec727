/**
 * What a cohort's results page shows of the attempts that missed a marking point. Types only:
 * server/results.ts returns these shapes and components/results takes them as props.
 */

export interface ActionFrequency {
	/** The dialogue choice's words, or the system operation's name. */
	label: string;
	kind: 'choice' | 'core';
	/** Attempts that missed the point and took this action. */
	inMissed: number;
	/** Attempts that met the point and took this action. */
	inMet: number;
}

export interface MistakePath {
	pointId: string;
	description: string;
	missed: number;
	met: number;
	/**
	 * The actions taken in more of the attempts that missed the point than of those that met it
	 * (by share), most frequent first, at most five: what the learners who missed it did differently.
	 * Empty when no attempt met the point (nothing to compare with).
	 */
	actions: ActionFrequency[];
	/** The most common whole sequence of dialogue choices among the attempts that missed it. */
	commonChoices: { labels: string[]; attempts: number } | null;
}
