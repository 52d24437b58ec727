import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INTERACTION_CHANNELS } from '$lib/core/schema';
import { MEDIUM_WORDS, conversationMedium, mediumOf, speakerOf, spokenLine } from './conversation';

describe('the speaker of a transcript line', () => {
	it('names the learner as the reader is told: their name to an assessor, "You" to themselves', () => {
		const line = { kind: 'learner' as const, who: 'Learner', text: '“Thanks for holding.”' };
		expect(speakerOf(line, 'Zoë Łukasiewicz')).toBe('Zoë Łukasiewicz');
		expect(speakerOf(line, 'You')).toBe('You');
		expect(spokenLine(line, 'Zoë Łukasiewicz')).toBe('Zoë Łukasiewicz: “Thanks for holding.”');
	});

	it('gives narration no speaker, so it never reads " : "', () => {
		const line = { kind: 'narration' as const, who: '', text: 'The call ends.' };
		expect(speakerOf(line, 'You')).toBe('');
		expect(spokenLine(line, 'Zoë')).toBe('The call ends.');
	});

	it('keeps the persona and the record system under their own names', () => {
		expect(speakerOf({ kind: 'persona', who: 'Sarah Hughes' }, 'Zoë')).toBe('Sarah Hughes');
		expect(speakerOf({ kind: 'system', who: 'Record system' }, 'Zoë')).toBe('Record system');
	});

	it('never starts a line with a separator, whoever speaks', () => {
		fc.assert(
			fc.property(fc.constantFrom('persona', 'narration', 'learner', 'system' as const), fc.stringMatching(/^[A-Za-zÀ-ž' -]{0,20}$/), fc.stringMatching(/^[A-Za-zÀ-ž' -]{0,20}$/), (kind, who, learner) => {
				const said = spokenLine({ kind, who, text: 'Hello.' }, learner);
				expect(said.startsWith(':')).toBe(false);
				expect(said.startsWith(' : ')).toBe(false);
				expect(said.endsWith('Hello.')).toBe(true);
			})
		);
	});
});

describe('the medium of a conversation', () => {
	const personas = [
		{ key: 'amira', name: 'Amira Haddad', channel: 'internal' as const },
		{ key: 'sam', name: 'Sam Whitlock', channel: 'in-person' as const },
		{ key: 'caller', name: 'Sarah Hughes', channel: 'phone' as const }
	];

	it('is a call on the phone, a chat on a chat channel, correspondence in writing, a conversation in person', () => {
		expect(mediumOf('phone')).toBe('call');
		expect(mediumOf('web-chat')).toBe('chat');
		expect(mediumOf('internal')).toBe('chat');
		expect(mediumOf('email')).toBe('correspondence');
		expect(mediumOf('letter')).toBe('correspondence');
		expect(mediumOf('in-person')).toBe('meeting');
	});

	it('has words for every channel, and only a call speaks of calls', () => {
		for (const channel of INTERACTION_CHANNELS) {
			const words = MEDIUM_WORDS[mediumOf(channel)];
			expect(words.heading).not.toBe('');
			if (channel !== 'phone') expect(Object.values(words).join(' ')).not.toMatch(/call|line|ring|hold/i);
		}
	});

	it('follows the persona speaking now', () => {
		expect(conversationMedium(personas, 'amira', [])).toBe('chat');
		expect(conversationMedium(personas, 'caller', [{ kind: 'persona', who: 'Amira Haddad' }])).toBe('call');
	});

	it('between speakers, follows the last persona who spoke; before anyone has, the first persona', () => {
		const transcript = [
			{ kind: 'persona' as const, who: 'Amira Haddad' },
			{ kind: 'persona' as const, who: 'Sam Whitlock' },
			{ kind: 'learner' as const, who: 'Learner' },
			{ kind: 'narration' as const, who: '' }
		];
		expect(conversationMedium(personas, null, transcript)).toBe('meeting');
		expect(conversationMedium(personas, null, [])).toBe('chat');
		expect(conversationMedium([], null, [])).toBe('call');
	});
});
