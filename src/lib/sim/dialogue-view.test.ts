import { describe, expect, it } from 'vitest';
import { applyDialogueEdit, NEW_NODE, type ChoiceFields } from './dialogue-edit';
import { dialogueView } from './dialogue-view';
import { hostileScenario } from './hostile-scenarios';

const SMALL = `id: small
personas:
  - key: sam
    name: Sam Caller
dialogue:
  start: opening
  nodes:
    - id: opening
      speaker: sam
      text: Hello, I am calling about my account.
      choices:
        - id: greet
          label: "“Hello.”"
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

function ok(source: string, edit: Parameters<typeof applyDialogueEdit>[1]): string {
	const result = applyDialogueEdit(source, edit);
	if (!result.ok) throw new Error(`refused: ${result.error.message}`);
	return result.source;
}

describe('the dialogue page’s view', () => {
	it('shows the start node by default, its problems in words, and names each node for a screen reader', async () => {
		const out = ok(SMALL, { kind: 'add-choice', node: 'middle', ...choice({ label: 'Anything else?', goto: NEW_NODE }) });
		const view = await dialogueView('small', out, { node: 'middle-next' });
		expect(view.selected?.id).toBe('middle-next');
		expect(view.selected?.problems.join(' ')).toMatch(/choices/);
		const drawn = view.drawing!.nodes.find((n) => n.id === 'middle-next')!;
		expect(drawn.name).toMatch(/^Sam Caller: New node: write what is said here.*problem/);
		expect(drawn.selected).toBe(true);
		const start = view.drawing!.nodes.find((n) => n.id === 'opening')!;
		expect(start.name).toContain('start');
		expect(view.drawing!.nodes.find((n) => n.id === 'done')!.name).toContain('ends the call');
		expect(view.selected?.leadsHere).toEqual(['middle: “Anything else?”']);
	});

	it('lists the parts of a choice the form does not show', async () => {
		const view = await dialogueView('small', SMALL, {});
		expect(view.selected?.choices.find((c) => c.id === 'share')?.kept).toEqual([{ key: 'discloses', name: 'Discloses', yaml: 'customer: sam\nfields:\n  - balance' }]);
	});

	it('shows a 2,300-node dialogue around the selected node, with the list paged and targets typed (figures printed)', async () => {
		const { source } = hostileScenario('chain');
		let started = performance.now();
		const view = await dialogueView('hostile-chain', source, { node: 'n-2000' });
		const viewMs = performance.now() - started;
		expect(view.total).toBe(2_301);
		expect(view.drawing?.partial).toBe(true);
		expect(view.drawing?.nodes.map((n) => n.id).sort()).toEqual(['n-1998', 'n-1999', 'n-2000', 'n-2001', 'n-2002']);
		expect(view.list.nodes.map((n) => n.id)).toContain('n-2000');
		expect(view.targets).toBeNull();
		started = performance.now();
		const edited = applyDialogueEdit(source, { kind: 'choice', node: 'n-2000', choice: 'on', ...choice({ label: 'On.', goto: 'n-5' }) });
		const editMs = performance.now() - started;
		expect(edited.ok).toBe(true);
		console.info(`dialogueView ${viewMs.toFixed(0)} ms, applyDialogueEdit ${editMs.toFixed(0)} ms on ${Buffer.byteLength(source)} bytes`);
	});
});
