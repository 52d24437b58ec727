import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyDialogueEdit, NEW_EVENT, NEW_NODE, type ChoiceFields, type DialogueEdit } from './dialogue-edit';
import { hostileScenario } from './hostile-scenarios';

const SMALL = `# A small scenario for the edit tests.
id: small
personas:
  - key: sam
    name: Sam Caller
  - key: ola
    name: Ola Other

events:
  - name: said.hello
    description: Said hello.

dialogue:
  start: opening
  nodes:
    # The first thing said.
    - id: opening
      speaker: sam
      text: >-
        Hello, I am calling
        about my account.
      choices:
        - id: greet
          label: "“Hello.”"   # keep this comment
          event: said.hello
          goto: middle
        - id: share
          label: Share the balance
          discloses: { customer: sam, fields: [balance] }
          goto: done

    - id: middle
      speaker: sam
      text: Thanks.
      choices:
        - id: finish
          label: Goodbye
          goto: done

    - id: done
      text: The call ends.
      end: true

marking:
  - id: polite
    description: Was polite.
`;

const choice = (over: Partial<ChoiceFields> = {}): ChoiceFields => ({ label: 'Say something', goto: 'done', quality: '', point: '', comment: '', event: '', ...over });

function ok(source: string, edit: DialogueEdit): string {
	const result = applyDialogueEdit(source, edit);
	if (!result.ok) throw new Error(`refused: ${result.error.message}`);
	return result.source;
}

/** The dialogue as data. */
const nodesOf = (source: string) =>
	(parse(source) as { dialogue: { start: string; nodes: { id: string; speaker?: string; text?: string; end?: boolean; choices?: Record<string, unknown>[] }[] } }).dialogue;

/** The lines of `after` that are not in `before`, and the reverse (a line diff good enough for small edits). */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
	const a = before.split('\n');
	const b = after.split('\n');
	let start = 0;
	while (start < a.length && a[start] === b[start]) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);
	return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

describe('dialogue edits', () => {
	it('changes a node’s speaker, text and ending, and nothing outside that node', () => {
		const out = ok(SMALL, { kind: 'node', node: 'middle', speaker: 'ola', text: 'Thanks, that helps.', end: false });
		const middle = nodesOf(out).nodes.find((n) => n.id === 'middle')!;
		expect(middle).toMatchObject({ speaker: 'ola', text: 'Thanks, that helps.' });
		const { added, removed } = changedLines(SMALL, out);
		expect(removed).toEqual(['      speaker: sam', '      text: Thanks.']);
		expect(added).toEqual(['      speaker: ola', '      text: Thanks, that helps.']);
	});

	it('makes a node narration, and ends the conversation at a node without choices', () => {
		let out = ok(SMALL, { kind: 'remove-choice', node: 'middle', choice: 'finish' });
		out = ok(out, { kind: 'node', node: 'middle', speaker: '', text: 'Sam hangs up.', end: true });
		const middle = nodesOf(out).nodes.find((n) => n.id === 'middle')!;
		expect(middle).toEqual({ id: 'middle', text: 'Sam hangs up.', end: true });
	});

	it('refuses to end the conversation at a node with choices, naming the field', () => {
		const result = applyDialogueEdit(SMALL, { kind: 'node', node: 'opening', speaker: 'sam', text: 'Hi', end: true });
		expect(result).toMatchObject({ ok: false, error: { field: 'end' } });
	});

	it('edits a choice and keeps the parts the form does not show, and the comments', () => {
		const out = ok(SMALL, { kind: 'choice', node: 'opening', choice: 'share', ...choice({ label: 'Share it', goto: 'middle', quality: 'critical', point: 'polite', comment: 'Never.' }) });
		const share = nodesOf(out).nodes[0]!.choices!.find((c) => c.id === 'share');
		expect(share).toEqual({ id: 'share', label: 'Share it', discloses: { customer: 'sam', fields: ['balance'] }, goto: 'middle', quality: 'critical', point: 'polite', comment: 'Never.' });
		expect(out).toContain('label: "“Hello.”"   # keep this comment');
		expect(out).toContain('# The first thing said.');
		expect(out).toContain('# A small scenario for the edit tests.');
	});

	it('adds a choice leading to a new node, made after the last node with the same speaker', () => {
		const out = ok(SMALL, { kind: 'add-choice', node: 'middle', ...choice({ label: 'Anything else?', goto: NEW_NODE }) });
		const dialogue = nodesOf(out);
		const added = dialogue.nodes.find((n) => n.id === 'middle')!.choices!.at(-1)!;
		expect(added).toEqual({ id: 'anything-else', label: 'Anything else?', goto: 'middle-next' });
		expect(dialogue.nodes.at(-1)).toMatchObject({ id: 'middle-next', speaker: 'sam' });
		// The earlier nodes' text is untouched.
		expect(out.slice(0, out.indexOf('    - id: middle'))).toBe(SMALL.slice(0, SMALL.indexOf('    - id: middle')));
		expect(out.slice(out.indexOf('marking:'))).toBe(SMALL.slice(SMALL.indexOf('marking:')));
	});

	it('declares a new event for a choice', () => {
		const out = ok(SMALL, { kind: 'add-choice', node: 'opening', ...choice({ event: NEW_EVENT, newEvent: { name: 'asked.why', description: 'Asked why.' } }) });
		expect((parse(out) as { events: unknown[] }).events).toEqual([
			{ name: 'said.hello', description: 'Said hello.' },
			{ name: 'asked.why', description: 'Asked why.' }
		]);
		expect(nodesOf(out).nodes[0]!.choices!.at(-1)).toMatchObject({ event: 'asked.why' });
	});

	it('refuses invalid choices, naming the field, and changes nothing', () => {
		const cases: [Partial<ChoiceFields>, string][] = [
			[{ label: '  ' }, 'label'],
			[{ goto: 'nowhere' }, 'goto'],
			[{ quality: 'splendid' }, 'quality'],
			[{ quality: 'best', point: 'no-such-point' }, 'point'],
			[{ point: 'polite' }, 'quality'],
			[{ event: 'not.declared' }, 'event'],
			[{ event: NEW_EVENT, newEvent: { name: 'Bad Name', description: 'x' } }, 'eventName'],
			[{ event: NEW_EVENT, newEvent: { name: 'said.hello', description: 'x' } }, 'eventName'],
			[{ event: NEW_EVENT, newEvent: { name: 'said.bye', description: ' ' } }, 'eventDescription']
		];
		for (const [fields, field] of cases) {
			const result = applyDialogueEdit(SMALL, { kind: 'add-choice', node: 'opening', ...choice(fields) });
			expect(result, JSON.stringify(fields)).toMatchObject({ ok: false, error: { field } });
		}
	});

	it('refuses a node or choice that does not exist', () => {
		expect(applyDialogueEdit(SMALL, { kind: 'node', node: 'ghost', speaker: '', text: 'x', end: false })).toMatchObject({ ok: false, error: { code: 'node.not-found' } });
		expect(applyDialogueEdit(SMALL, { kind: 'remove-choice', node: 'opening', choice: 'ghost' })).toMatchObject({ ok: false, error: { code: 'choice.not-found' } });
	});

	it('refuses to remove a node something leads to, naming what', () => {
		const result = applyDialogueEdit(SMALL, { kind: 'remove-node', node: 'done' });
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.error.message).toContain('choice “Share the balance” of node opening');
			expect(result.error.message).toContain('choice “Goodbye” of node middle');
		}
		expect(applyDialogueEdit(SMALL, { kind: 'remove-node', node: 'opening' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('start node') } });
	});

	it('removes a node nothing leads to, with its lines only', () => {
		let out = ok(SMALL, { kind: 'choice', node: 'opening', choice: 'greet', ...choice({ label: '“Hello.”', event: 'said.hello', goto: 'done' }) });
		const before = out;
		out = ok(out, { kind: 'remove-node', node: 'middle' });
		expect(nodesOf(out).nodes.map((n) => n.id)).toEqual(['opening', 'done']);
		expect(changedLines(before, out).added).toEqual([]);
	});

	it('makes another node the start, changing only the start line', () => {
		const out = ok(SMALL, { kind: 'start', node: 'middle' });
		expect(changedLines(SMALL, out)).toEqual({ removed: ['  start: opening'], added: ['  start: middle'] });
	});

	it('keeps a built-in scenario byte-identical outside the node edited', () => {
		const source = readFileSync('scenarios/spouse-caller.yaml', 'utf8');
		const out = ok(source, { kind: 'node', node: 'authority-checked', speaker: 'sarah', text: 'Hello? Still there?', end: false });
		const { added, removed } = changedLines(source, out);
		expect(removed).toEqual(['      text: Hello? Are you still there? So what\'s the balance?']);
		expect(added).toEqual(['      text: Hello? Still there?']);
	});

	it('keeps the folded text of a node as written when one of its choices is edited', () => {
		const source = readFileSync('scenarios/spouse-caller.yaml', 'utf8');
		const out = ok(source, {
			kind: 'choice',
			node: 'opening',
			choice: 'bring-up-account',
			...choice({ label: '“Of course. One moment.”', goto: 'on-hold' })
		});
		expect(changedLines(source, out)).toEqual({
			removed: ['          label: "“Of course. Bear with me a moment while I bring the account up.”"'],
			added: ['          label: "“Of course. One moment.”"']
		});
	});

	it('refuses a source whose YAML cannot be read', () => {
		expect(applyDialogueEdit('dialogue: [unclosed', { kind: 'start', node: 'x' })).toMatchObject({ ok: false, error: { code: 'source.unreadable' } });
	});

	it('keeps every link pointing at a node after any sequence of adds, links and removals', () => {
		type Step = { op: 'add' | 'link' | 'unlink' | 'remove' | 'start'; a: number; b: number; fresh: boolean };
		const steps = fc.array(
			fc.record({ op: fc.constantFrom<Step['op']>('add', 'link', 'unlink', 'remove', 'start'), a: fc.nat(20), b: fc.nat(20), fresh: fc.boolean() }),
			{ maxLength: 12 }
		);
		fc.assert(
			fc.property(steps, (sequence) => {
				let source = SMALL;
				for (const step of sequence) {
					const dialogue = nodesOf(source);
					const node = dialogue.nodes[step.a % dialogue.nodes.length]!;
					const target = dialogue.nodes[step.b % dialogue.nodes.length]!.id;
					const choices = node.choices ?? [];
					const edit: DialogueEdit =
						step.op === 'add'
							? { kind: 'add-choice', node: node.id, ...choice({ label: `Go ${step.b}`, goto: step.fresh ? NEW_NODE : target }) }
							: step.op === 'link' && choices.length > 0
								? { kind: 'choice', node: node.id, choice: String(choices[step.b % choices.length]!.id), ...choice({ label: 'Linked', goto: target }) }
								: step.op === 'unlink' && choices.length > 0
									? { kind: 'remove-choice', node: node.id, choice: String(choices[step.b % choices.length]!.id) }
									: step.op === 'start'
										? { kind: 'start', node: node.id }
										: { kind: 'remove-node', node: node.id };
					const result = applyDialogueEdit(source, edit);
					if (result.ok) source = result.source;
					const after = nodesOf(source);
					const ids = new Set(after.nodes.map((n) => n.id));
					expect(ids.size).toBe(after.nodes.length);
					expect(ids.has(after.start)).toBe(true);
					for (const n of after.nodes) for (const c of n.choices ?? []) expect(ids.has(String(c.goto))).toBe(true);
				}
			}),
			{ numRuns: 60 }
		);
	});
});
