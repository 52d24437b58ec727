/**
 * How an attempt's conversation is told to the people who read it: who said each line (the learner
 * is "You" to themselves and named to everyone else), and the words for its medium, which follow
 * the persona's channel: a phone call has a caller, a chat has messages, a letter is correspondence.
 */
import type { TranscriptEntry } from './attempt-record';
import type { Scenario } from './scenario-schema';

/**
 * The speaker of a transcript line as a reader sees it: the learner's lines under `learner` (the
 * learner's name, or "You" when the reader is the learner), narration under no name (''), anyone
 * else under the name the line was said under.
 */
export function speakerOf(line: Pick<TranscriptEntry, 'kind' | 'who'>, learner: string): string {
	if (line.kind === 'learner') return learner.trim();
	if (line.kind === 'narration') return '';
	return line.who.trim();
}

/** "Ada Lovelace: Hello." for a named speaker; the words alone for narration. */
export function spokenLine(line: Pick<TranscriptEntry, 'kind' | 'who' | 'text'>, learner: string): string {
	const speaker = speakerOf(line, learner);
	return speaker === '' ? line.text : `${speaker}: ${line.text}`;
}

export type Medium = 'call' | 'chat' | 'correspondence' | 'meeting';

type Channel = Scenario['personas'][number]['channel'];

const MEDIUM_OF: Record<Channel, Medium> = {
	phone: 'call',
	'web-chat': 'chat',
	internal: 'chat',
	'social-media': 'chat',
	email: 'correspondence',
	letter: 'correspondence',
	'web-form': 'correspondence',
	'in-person': 'meeting'
};

export function mediumOf(channel: Channel): Medium {
	return MEDIUM_OF[channel];
}

export interface MediumWords {
	/** The conversation's heading: "The call". */
	heading: string;
	/** In a sentence: "here is where the call is now". */
	noun: string;
	/** Before the other party's name while they are present: "On the line". */
	present: string;
	/** The conversation is over: "The call has ended." */
	ended: string;
}

export const MEDIUM_WORDS: Record<Medium, MediumWords> = {
	call: { heading: 'The call', noun: 'the call', present: 'On the line', ended: 'The call has ended.' },
	chat: { heading: 'The chat', noun: 'the chat', present: 'In the chat', ended: 'The chat has ended.' },
	correspondence: { heading: 'The correspondence', noun: 'the correspondence', present: 'Writing', ended: 'The correspondence has ended.' },
	meeting: { heading: 'The conversation', noun: 'the conversation', present: 'With you', ended: 'The conversation has ended.' }
};

/**
 * The medium of the conversation at this point: that of the persona speaking now, else of the last
 * persona who spoke, else of the first persona of the file (a phone call when there is none).
 */
export function conversationMedium(
	personas: readonly Pick<Scenario['personas'][number], 'key' | 'name' | 'channel'>[],
	speakerKey: string | null | undefined,
	transcript: readonly Pick<TranscriptEntry, 'kind' | 'who'>[]
): Medium {
	const speaking = speakerKey ? personas.find((p) => p.key === speakerKey) : undefined;
	if (speaking) return mediumOf(speaking.channel);
	for (let i = transcript.length - 1; i >= 0; i--) {
		const line = transcript[i]!;
		if (line.kind !== 'persona') continue;
		const persona = personas.find((p) => p.name === line.who);
		if (persona) return mediumOf(persona.channel);
	}
	return personas[0] ? mediumOf(personas[0].channel) : 'call';
}
