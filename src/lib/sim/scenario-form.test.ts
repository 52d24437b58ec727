import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { applyFormEdit, formView, problemPlace, type FormEdit, type FormView } from './scenario-form';
import { checkSource, draftFile } from './scenario-source';
import { starterScenario } from './starter-scenario';

const REAL = readFileSync('scenarios/record-correction.yaml', 'utf8');
const STARTER = starterScenario({ scenarioId: 'form-test', title: 'Form test', difficulty: 'foundation' });

function view(source: string): FormView {
	const result = formView(source);
	if (!result.ok) throw new Error(result.message);
	return result.view;
}

function edited(source: string, edit: FormEdit): string {
	const result = applyFormEdit(source, edit);
	if (!result.ok) throw new Error(`${result.field}: ${result.message}`);
	return result.source;
}

/** The lines of `after` that are not in `before`, and the reverse: what an edit changed. */
function changedLines(before: string, after: string) {
	const a = before.split('\n');
	const b = after.split('\n');
	let start = 0;
	while (start < a.length && a[start] === b[start]) start++;
	let endA = a.length;
	let endB = b.length;
	while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);
	return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

const details = (v: FormView, change: Partial<Extract<FormEdit, { kind: 'details' }>> = {}): FormEdit => ({ kind: 'details', ...v.details, ...change });
const persona = (v: FormView, key: string, change: Partial<Extract<FormEdit, { kind: 'persona' }>> = {}): FormEdit => {
	const p = v.personas.find((x) => x.key === key)!;
	return { kind: 'persona', key, name: p.name, role: p.role, partyType: p.partyType, channel: p.channel, customer: p.customer, description: p.description, ...change };
};
const point = (v: FormView, id: string, change: Partial<Extract<FormEdit, { kind: 'point' }>> = {}): FormEdit => {
	const p = v.points.find((x) => x.id === id)!;
	return { kind: 'point', id, description: p.description, criteria: p.criteria, weight: p.weight, critical: p.critical, met: p.met, notMet: p.notMet, ...(p.rule ? { ruleKind: p.rule.kind, ruleEvent: p.rule.event } : {}), ...change };
};

describe('the form view of a draft', () => {
	it('shows a real scenario’s details, people, customer records and marking points', () => {
		const v = view(REAL);
		expect(v.details).toMatchObject({ title: "“You've spelt my name wrong, and my bills go to the wrong flat”", difficulty: 'foundation', passMark: '80' });
		expect(v.details.criteria).toContain('PC03');
		expect(v.personas[0]).toMatchObject({ key: 'niamh', name: "Niamh O'Sullivan", partyType: 'data-subject', customer: 'niamh' });
		expect(v.personas[0]!.speaksAt).toContain('opening');
		expect(v.customers[0]!.groups.find((g) => g.category === 'identity')!.fields).toContainEqual({ field: 'givenName', value: 'Neve' });
		const readOut = v.points.find((p) => p.id === 'no-unauthorised-disclosure');
		expect(readOut?.awardedBy.some((c) => c.choice === 'read-out-to-check' && c.quality === 'critical')).toBe(true);
		expect(v.points.find((p) => p.id === 'no-refusal-on-mismatch')!.rule).toEqual({ kind: 'absent', event: 'refused.after.mismatch' });
		expect(v.points.find((p) => p.id === 'name-and-address-corrected')!.rule).toBeNull();
	});

	it('says the YAML cannot be read rather than showing empty forms', () => {
		expect(formView('title: [unclosed')).toMatchObject({ ok: false });
		expect(applyFormEdit('- a list', { kind: 'add-customer' })).toMatchObject({ ok: false, field: 'form' });
	});
});

describe('form edits', () => {
	it('posting a form unchanged changes nothing, byte for byte', () => {
		const v = view(REAL);
		expect(edited(REAL, details(v))).toBe(REAL);
		for (const p of v.personas) expect(edited(REAL, persona(v, p.key))).toBe(REAL);
		for (const p of v.points) expect(edited(REAL, point(v, p.id))).toBe(REAL);
		const c = v.customers[0]!;
		const values = Object.fromEntries(c.groups.flatMap((g) => g.fields.map((f) => [f.field, f.value])));
		expect(edited(REAL, { kind: 'customer', key: c.key, reference: c.reference, since: c.since, values })).toBe(REAL);
	});

	it('changes only the lines of the values edited, comments and layout kept, on a real scenario file', async () => {
		const v = view(REAL);
		const out = edited(REAL, details(v, { title: 'A new title: with a colon', passMark: '70' }));
		expect(out).toContain('title: "A new title: with a colon"\n');
		expect(out).toContain('passMark: 70\n');
		expect(out.replace('title: "A new title: with a colon"', '').replace('passMark: 70', '')).toBe(REAL.replace(/^title: .*$/m, '').replace('passMark: 80', ''));
		expect(view(out).details).toMatchObject({ title: 'A new title: with a colon', passMark: '70' });
		expect(out).toContain('# For tutors. A customer rings because');
		// A persona's name: one line.
		const renamed = edited(REAL, persona(v, 'niamh', { name: 'Niamh Ó Súilleabháin' }));
		expect(changedLines(REAL, renamed)).toEqual({ removed: ["    name: Niamh O'Sullivan"], added: ['    name: Niamh Ó Súilleabháin'] });
		// A customer's value: one line.
		const c = v.customers[0]!;
		const corrected = edited(REAL, { kind: 'customer', key: c.key, reference: c.reference, since: c.since, values: { givenName: 'Niamh' } });
		expect(changedLines(REAL, corrected)).toEqual({ removed: ['          givenName: Neve'], added: ['          givenName: Niamh'] });
		expect((await checkSource(draftFile('record-correction'), corrected)).ok).toBe(true);
	});

	it('reads back what was entered, and changes no other value (fast-check)', () => {
		const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).filter((s) => s.trim() !== '' && s.trim().length <= 140);
		fc.assert(
			fc.property(text, text, text, (title, name, description) => {
				const v = view(STARTER);
				let out = edited(STARTER, details(v, { title }));
				out = edited(out, persona(view(out), 'team-leader', { name, description }));
				const after = view(out);
				expect(after.details.title).toBe(title.trim());
				expect(after.personas[1]).toMatchObject({ name: name.trim(), description: description.trim() });
				const before = parse(STARTER);
				before.title = title.trim();
				before.personas[1].name = name.trim();
				before.personas[1].description = description.trim();
				expect(parse(out)).toEqual(before);
			}),
			{ numRuns: 60 }
		);
	});

	it('edits the criteria, the brief and a point, and the starter stays free of problems', async () => {
		const v = view(STARTER);
		let out = edited(STARTER, details(v, { criteria: ['PC03', 'K04', 'AC03', 'EMP02'], brief: 'A new brief.\n\nWith **two** paragraphs.' }));
		out = edited(out, point(view(out), 'email-confirmed', { criteria: ['AC03', 'EMP02'], weight: '4', critical: false, met: 'Well done.', ruleKind: 'exists', ruleEvent: 'asked.team.leader' }));
		const after = parse(out);
		expect(after.brief).toBe('A new brief.\n\nWith **two** paragraphs.\n');
		expect(after.marking[2]).toMatchObject({ criteria: ['AC03', 'EMP02'], weight: 4, rule: { exists: { event: 'asked.team.leader' } }, feedback: { met: 'Well done.' } });
		const checked = await checkSource(draftFile('form-test'), out);
		expect(checked.ok ? [] : checked.errors).toEqual([]);
	});

	it('keeps a rule more complex than the form can show exactly as written', () => {
		const v = view(REAL);
		const out = edited(REAL, point(v, 'name-and-address-corrected', { weight: '6', ruleKind: 'exists', ruleEvent: 'told.to.update.online' }));
		expect(changedLines(REAL, out)).toEqual({ removed: ['    weight: 5'], added: ['    weight: 6'] });
	});

	it('adds and removes people, customer fields, customers and points', async () => {
		let out = edited(STARTER, { kind: 'add-persona', name: 'Dr Ola Bello' });
		expect(view(out).personas.at(-1)).toMatchObject({ key: 'dr-ola-bello', name: 'Dr Ola Bello', role: 'caller' });
		out = edited(out, { kind: 'remove-persona', key: 'dr-ola-bello' });
		expect(out).toBe(STARTER);
		out = edited(STARTER, { kind: 'add-field', key: 'account-holder', field: 'mobilePhone', value: '07700 900123' });
		expect(parse(out).seed.customers[0].fields.contact.mobilePhone).toBe('07700 900123');
		out = edited(out, { kind: 'add-field', key: 'account-holder', field: 'contactPreference', value: 'Email' });
		expect(parse(out).seed.customers[0].fields.preferences).toEqual({ contactPreference: 'Email' });
		out = edited(out, { kind: 'remove-field', key: 'account-holder', field: 'contactPreference' });
		expect(parse(out).seed.customers[0].fields.preferences).toBeUndefined();
		out = edited(out, { kind: 'remove-field', key: 'account-holder', field: 'mobilePhone' });
		expect(out).toBe(STARTER);
		out = edited(STARTER, { kind: 'add-customer' });
		expect(view(out).customers.map((c) => c.key)).toEqual(['account-holder', 'customer']);
		out = edited(out, { kind: 'add-point', description: 'Logged the call with what was asked' });
		const added = view(out).points.at(-1)!;
		expect(added).toMatchObject({ id: 'logged-the-call-with-what', weight: '1', rule: { kind: 'exists', event: 'asked.security.questions' } });
		const checked = await checkSource(draftFile('form-test'), out);
		expect(checked.ok ? [] : checked.errors).toEqual([]);
		out = edited(out, { kind: 'remove-point', id: added.id });
		expect(view(out).points.map((p) => p.id)).toEqual(['security-first', 'nothing-read-out', 'email-confirmed']);
	});

	it('refuses bad input naming the field, and a removal the dialogue depends on naming what uses it', () => {
		const v = view(STARTER);
		const refused = (edit: FormEdit) => {
			const r = applyFormEdit(STARTER, edit);
			expect(r.ok).toBe(false);
			return r.ok ? null : { field: r.field, message: r.message };
		};
		expect(refused(details(v, { title: '   ' }))?.field).toBe('title');
		expect(refused(details(v, { criteria: ['PC03', 'XX99'] }))).toMatchObject({ field: 'criteria', message: expect.stringContaining('XX99') });
		expect(refused(details(v, { criteria: [] }))?.field).toBe('criteria');
		expect(refused(details(v, { passMark: '101' }))?.field).toBe('passMark');
		expect(refused(details(v, { difficulty: 'expert' }))?.field).toBe('difficulty');
		expect(refused(details(v, { brief: 'x'.repeat(20_001) }))).toMatchObject({ field: 'brief', message: expect.stringContaining('at most 20,000') });
		expect(refused(persona(v, 'caller', { partyType: 'king' }))?.field).toBe('partyType');
		expect(refused(persona(v, 'caller', { customer: 'nobody' }))?.field).toBe('customer');
		expect(refused({ kind: 'customer', key: 'account-holder', reference: 'lower case', since: '2024-01-01', values: {} })?.field).toBe('reference');
		expect(refused({ kind: 'customer', key: 'account-holder', reference: 'ND-1', since: 'yesterday', values: {} })?.field).toBe('since');
		expect(refused({ kind: 'customer', key: 'account-holder', reference: 'ND-100200', since: '2022-05-03', values: { email: ' ' } })?.field).toBe('value-email');
		expect(refused({ kind: 'add-field', key: 'account-holder', field: 'email', value: 'x' })?.field).toBe('field');
		expect(refused({ kind: 'add-field', key: 'account-holder', field: 'shoeSize', value: 'x' })?.field).toBe('field');
		expect(refused(point(v, 'security-first', { weight: '0' }))?.field).toBe('weight');
		expect(refused({ kind: 'remove-persona', key: 'team-leader' })?.message).toContain('“team-leader-answers”');
		expect(refused({ kind: 'remove-point', id: 'nothing-read-out' })?.message).toContain('“read-email-out” (node “opening”)');
		expect(refused({ kind: 'remove-point', id: 'gone' })?.message).toContain('no longer in the draft');
	});
});

describe('where a problem is fixed', () => {
	it('points at the form field, the dialogue node or the YAML', () => {
		const v = view(STARTER);
		expect(problemPlace('criteria[1]', v)).toMatchObject({ kind: 'form', anchor: 'details-criteria' });
		expect(problemPlace('personas[1].customer', v)).toMatchObject({ kind: 'form', anchor: 'persona-team-leader-customer' });
		expect(problemPlace('seed.customers[0].fields.contact.email', v)).toMatchObject({ kind: 'form', anchor: 'customer-account-holder' });
		expect(problemPlace('marking[1].criteria[0]', v)).toMatchObject({ kind: 'form', anchor: 'point-nothing-read-out-criteria' });
		expect(problemPlace('dialogue.nodes[2].choices[0].goto', v)).toMatchObject({ kind: 'dialogue', node: 'gives-answers' });
		expect(problemPlace('events[0].name', v)).toMatchObject({ kind: 'yaml' });
	});
});
