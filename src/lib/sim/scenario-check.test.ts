import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { checkScenario, contentHash, formatScenarioError, loadScenarios, parseScenario, scenarioVersion } from './scenario-check';
import { sampleScenarioInput } from './testing';

const FILE = 'scenarios/test-scenario.yaml';

/** Broken files are broken on purpose: the sample is edited as untyped data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits make the data invalid by design
type Editable = any;

/** The errors of the sample after `edit`, as `npm run scenarios:check` prints them. */
function errorsAfter(edit: (s: Editable) => void): string[] {
	const scenario: Editable = sampleScenarioInput();
	edit(scenario);
	return checkScenario(FILE, stringify(scenario)).map(formatScenarioError);
}

const e = (path: string, message: string) => `${FILE}: ${path}: ${message}`;

describe('a valid file', () => {
	it('has no errors, and parses with its defaults filled in', () => {
		const parsed = parseScenario(FILE, stringify(sampleScenarioInput()));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.scenario.clock.dialogueStep).toBe('1 minute');
		expect(parsed.scenario.organisation).toEqual({});
		expect(parsed.scenario.seed.consents).toEqual([]);
		expect(parsed.scenario.personas[0]!.channel).toBe('phone');
	});

	it('is versioned by its declared version and the first 12 hex of its SHA-256', () => {
		const text = stringify(sampleScenarioInput());
		const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
		expect(contentHash(text)).toBe(hash);
		expect(scenarioVersion('1.0.0', text)).toBe(`1.0.0+${hash}`);
		const parsed = parseScenario(FILE, text);
		expect(parsed.ok && parsed.version).toBe(`1.0.0+${hash}`);
		expect(scenarioVersion('1.0.0', `${text}\n`)).not.toBe(`1.0.0+${hash}`);
	});
});

describe('YAML syntax errors', () => {
	it('give the line and column', () => {
		const text = 'id: test-scenario\ntitle: [unclosed\nversion: 1.0.0\n';
		const errors = checkScenario(FILE, text);
		expect(errors.map(formatScenarioError)).toEqual([
			e('line 3, column 1', 'Flow sequence in block collection must be sufficiently indented and end with a ]')
		]);
		expect(errors[0]!.line).toBe(3);
	});

	it('report a key given twice', () => {
		expect(checkScenario(FILE, 'id: a\nid: b\n').map(formatScenarioError)).toEqual([e('line 2, column 1', 'Map keys must be unique')]);
	});

	it('report an empty file as not a scenario', () => {
		expect(checkScenario(FILE, '').map(formatScenarioError)).toEqual([e('(root)', 'expected a mapping, got nothing')]);
	});
});

describe('schema errors', () => {
	it('name a missing field', () => {
		expect(errorsAfter((s) => delete s.title)).toEqual([e('title', 'missing (expected a string)')]);
		expect(errorsAfter((s) => delete s.marking[2].feedback.notMet)).toEqual([e('marking[2].feedback.notMet', 'missing (expected a string)')]);
		expect(errorsAfter((s) => delete s.clock.start)).toEqual([
			e('clock.start', 'missing: expected an ISO instant with an offset, e.g. "2025-03-07T15:40:00+00:00"')
		]);
	});

	it('name a value of the wrong kind or outside its list', () => {
		expect(errorsAfter((s) => (s.difficulty = 'easy'))).toEqual([
			e('difficulty', 'expected one of "foundation", "intermediate", "advanced", got "easy"')
		]);
		expect(errorsAfter((s) => (s.marking[1].weight = 1.5))).toEqual([e('marking[1].weight', 'must be a whole number')]);
		expect(errorsAfter((s) => (s.personas = { sarah: {} }))).toEqual([e('personas', 'expected a list, got a mapping')]);
		expect(errorsAfter((s) => (s.clock.start = '2025-03-07T15:40:00'))).toEqual([
			e('clock.start', 'expected an ISO instant with an offset, e.g. "2025-03-07T15:40:00+00:00"')
		]);
		expect(errorsAfter((s) => (s.clock.dialogueStep = 'a while'))).toEqual([
			e('clock.dialogueStep', 'expected a duration like "1 minute", "2 hours" or "2 days later"')
		]);
		expect(errorsAfter((s) => (s.seed.customers[0].fields.identity.givenName = 42))).toEqual([
			e('seed.customers[0].fields.identity.givenName', 'expected a string (quote numbers and dates)')
		]);
	});

	it('name an unknown key', () => {
		expect(
			errorsAfter((s) => {
				s.marking[0].feedbak = s.marking[0].feedback;
				delete s.marking[0].feedback;
			})
		).toEqual([e('marking[0].feedback', 'missing (expected a mapping)'), e('marking[0].feedbak', 'unknown key')]);
	});

	it('ask for at least one marking point', () => {
		expect(errorsAfter((s) => (s.marking = []))).toEqual([e('marking', 'add at least one marking point')]);
	});

	it('ask for a weight on every point; a critical point may carry one too', () => {
		expect(errorsAfter((s) => delete s.marking[1].weight)).toEqual([e('marking[1].weight', 'missing: give a `weight` (a whole number, 1 or more)')]);
		expect(errorsAfter((s) => (s.marking[0].weight = 5))).toEqual([]);
	});

	it('take a pass mark from 1 to 100', () => {
		expect(errorsAfter((s) => (s.passMark = 75))).toEqual([]);
		expect(errorsAfter((s) => (s.passMark = 0))).toEqual([e('passMark', 'must be 1 or more')]);
		expect(errorsAfter((s) => (s.passMark = 101))).toEqual([e('passMark', 'must be 100 or less')]);
	});

	it('check a tagged choice: its point exists, a critical choice names a critical point, credit and point go with a quality', () => {
		const opening = (s: Editable) => s.dialogue.nodes[0].choices;
		expect(errorsAfter((s) => Object.assign(opening(s)[0], { quality: 'best', point: 'checked-first' }))).toEqual([]);
		expect(errorsAfter((s) => Object.assign(opening(s)[0], { quality: 'best', point: 'checked-frist' }))).toEqual([
			e('dialogue.nodes[0].choices[0].point', 'unknown marking point "checked-frist" (did you mean "checked-first"?)')
		]);
		expect(errorsAfter((s) => Object.assign(opening(s)[0], { quality: 'critical', point: 'checked-first' }))).toEqual([
			e('dialogue.nodes[0].choices[0].quality', 'a critical choice must name a critical point: "checked-first" is not `critical: true`')
		]);
		expect(errorsAfter((s) => Object.assign(opening(s)[0], { quality: 'good', point: 'checked-first' }))[0]).toMatch(/dialogue\.nodes\[0\]\.choices\[0\]\.quality/);
		expect(errorsAfter((s) => Object.assign(opening(s)[0], { quality: 'poor' }))).toEqual([
			e('dialogue.nodes[0].choices[0].point', 'missing: name the marking point this choice is judged under')
		]);
		expect(errorsAfter((s) => Object.assign(opening(s)[0], { credit: 20 }))).toEqual([
			e('dialogue.nodes[0].choices[0].credit', '`credit` goes with `quality`: tag the choice best, acceptable, poor or critical')
		]);
	});

	it('allow `early` on an end node only', () => {
		const last = (s: Editable) => s.dialogue.nodes[s.dialogue.nodes.length - 1];
		expect(errorsAfter((s) => (last(s).early = true))).toEqual([]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].early = true))).toEqual([
			e('dialogue.nodes[0].early', 'only an end node can end early: add `end: true` or leave `early` out')
		]);
	});

	it('name the rule that is not one, and the operator at fault inside one', () => {
		expect(errorsAfter((s) => (s.marking[3].rule = { exist: { event: 'confirmed.caller.understood' } }))).toEqual([
			e('marking[3].rule', 'expected a rule: an object with exactly one of exists, absent, before, count, fieldEquals, within, all, any, not, variable; found "exist"')
		]);
		expect(errorsAfter((s) => (s.marking[3].rule = { exists: { event: 'a.b' }, absent: { event: 'a.b' } }))).toEqual([
			e('marking[3].rule', 'a rule has exactly one operator, found exists and absent: combine rules with `all` or `any`')
		]);
		expect(errorsAfter((s) => (s.marking[1].rule.all[0].before.then = { name: 'explained.no.authority' }))).toEqual([
			e('marking[1].rule.all[0].before.then.event', 'missing (expected a string)'),
			e('marking[1].rule.all[0].before.then.name', 'unknown key')
		]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[0].count = { event: 'interaction.logged' }))).toEqual([
			e('marking[2].rule.any[0].count', 'give `min`, `max` or both')
		]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[1].within.hours = 1))).toEqual([
			e('marking[2].rule.any[1].within', 'give exactly one of `minutes` or `hours`')
		]);
		expect(errorsAfter((s) => (s.marking[0].rule.absent.where.authorised = { inn: [false] }))).toEqual([
			e('marking[0].rule.absent.where.authorised', 'expected a value, { in: [values] } or { contains: value }')
		]);
		expect(errorsAfter((s) => delete s.marking[3].rule)).toEqual([
			e('marking[3].rule', 'missing (expected a rule: an object with exactly one of exists, absent, before, count, fieldEquals, within, all, any, not, variable)')
		]);
	});

	it('give the line an error is on', () => {
		const scenario: Editable = sampleScenarioInput();
		scenario.difficulty = 'easy';
		const text = stringify(scenario);
		const [error] = checkScenario(FILE, text);
		expect(text.split('\n')[error!.line! - 1]).toBe('difficulty: easy');
	});
});

describe('unknown events', () => {
	const unknown = (path: string, name = 'identity.checked') => e(path, `unknown event "${name}"`);

	it('are errors in every position of a rule', () => {
		const bad = { event: 'identity.checked' };
		expect(errorsAfter((s) => (s.marking[0].rule.absent.event = 'identity.checked'))).toEqual([unknown('marking[0].rule.absent.event')]);
		expect(errorsAfter((s) => (s.marking[3].rule = { exists: bad }))).toEqual([unknown('marking[3].rule.exists.event')]);
		expect(errorsAfter((s) => (s.marking[1].rule.all[0].before.first = bad))).toEqual([unknown('marking[1].rule.all[0].before.first.event')]);
		expect(errorsAfter((s) => (s.marking[1].rule.all[0].before.then = bad))).toEqual([unknown('marking[1].rule.all[0].before.then.event')]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[0].count.event = 'identity.checked'))).toEqual([unknown('marking[2].rule.any[0].count.event')]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[1].within.event = bad))).toEqual([unknown('marking[2].rule.any[1].within.event.event')]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[1].within.after = bad))).toEqual([unknown('marking[2].rule.any[1].within.after.event')]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[2].fieldEquals.event = 'identity.checked'))).toEqual([unknown('marking[2].rule.any[2].fieldEquals.event')]);
		expect(errorsAfter((s) => (s.marking[1].rule.all[1].any[1].not.exists = bad))).toEqual([unknown('marking[1].rule.all[1].any[1].not.exists.event')]);
	});

	it('are errors in dialogue branches and waits', () => {
		expect(errorsAfter((s) => (s.dialogue.nodes[2].branch.cases[0].when = { exists: { event: 'identity.checked' } }))).toEqual([
			unknown('dialogue.nodes[2].branch.cases[0].when.exists.event')
		]);
		expect(errorsAfter((s) => (s.dialogue.nodes[1].waitFor = { event: 'identity.checked' }))).toEqual([unknown('dialogue.nodes[1].waitFor.event')]);
	});

	it('suggest a near name', () => {
		expect(errorsAfter((s) => (s.marking[3].rule = { exists: { event: 'identity.verifed' } }))).toEqual([
			e('marking[3].rule.exists.event', 'unknown event "identity.verifed" (did you mean "identity.verified"?)')
		]);
	});

	it('include dialogue events that are not declared, and declared events no choice emits', () => {
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[0].event = 'asked.caller.for.dob'))).toEqual([
			e('dialogue.nodes[0].choices[0].event', 'unknown dialogue event "asked.caller.for.dob": declare it under events')
		]);
		expect(errorsAfter((s) => s.events.push({ name: 'promised.callback', description: 'Promised a callback.' }))).toEqual([
			e('events[2].name', '"promised.callback" is declared but no choice emits it')
		]);
	});

	it('keep core and dialogue events apart', () => {
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[0].event = 'disclosure.made'))).toEqual([
			e('dialogue.nodes[0].choices[0].event', '"disclosure.made" is a core event: the core writes it, a choice cannot')
		]);
		expect(errorsAfter((s) => (s.dialogue.nodes[1].waitFor = { event: 'explained.no.authority' }))).toEqual([
			e('dialogue.nodes[1].waitFor.event', 'waitFor takes a core event; "explained.no.authority" is a dialogue event')
		]);
		expect(errorsAfter((s) => s.events.push({ name: 'identity.verified', description: 'x' }))).toEqual([
			e('events[2].name', '"identity.verified" is a core event: only dialogue events are declared')
		]);
	});

	it('catch a details key the event never carries', () => {
		expect(errorsAfter((s) => (s.marking[0].rule.absent.where = { authorized: false }))).toEqual([
			e(
				'marking[0].rule.absent.where.authorized',
				'"disclosure.made" has no details key "authorized" (it has disclosureId, recipientType, route, authorised, manner, basisOrExemption, verificationId, purposeCode, channel, approvedBy, requestId, consentId, breachId, interactionId, thirdPartyId, findingId)'
			)
		]);
		expect(errorsAfter((s) => (s.marking[2].rule.any[2].fieldEquals.path = 'party.type'))).toEqual([
			e(
				'marking[2].rule.any[2].fieldEquals.path',
				'"interaction.logged" has no details key "party" (it has interactionId, channel, direction, partyType, thirdPartyId, occurredAt, actionsCount, requestId, disclosureId, consentId, breachId, verificationId, findingId)'
			)
		]);
		expect(errorsAfter((s) => (s.marking[3].rule = { exists: { event: 'confirmed.caller.understood', where: { nod: 'x' } } }))).toEqual([
			e('marking[3].rule.exists.where.nod', '"confirmed.caller.understood" has no details key "nod" (it has node, choice)')
		]);
	});
});

describe('unknown references', () => {
	it('to nodes', () => {
		expect(errorsAfter((s) => (s.dialogue.start = 'openng'))).toEqual([
			e('dialogue.start', 'unknown node "openng" (did you mean "opening"?)'),
			...['opening', 'on-hold', 'closing', 'wrap-up', 'thanks'].map((id, i) =>
				e(`dialogue.nodes[${i}].id`, `node "${id}" cannot be reached from the start node "openng"`)
			)
		]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[1].goto = 'nowhere'))).toEqual([e('dialogue.nodes[0].choices[1].goto', 'unknown node "nowhere"')]);
		expect(errorsAfter((s) => (s.dialogue.nodes[1].then = 'nowhere'))).toEqual([e('dialogue.nodes[1].then', 'unknown node "nowhere"')]);
		expect(errorsAfter((s) => (s.dialogue.nodes[2].branch.otherwise = 'nowhere'))).toEqual([
			e('dialogue.nodes[2].branch.otherwise', 'unknown node "nowhere"'),
			e('dialogue.nodes[3].id', 'node "wrap-up" cannot be reached from the start node "opening"')
		]);
	});

	it('to criteria', () => {
		expect(errorsAfter((s) => s.criteria.push('PC99'))).toEqual([e('criteria[3]', 'unknown criterion "PC99"')]);
		expect(errorsAfter((s) => (s.marking[3].criteria = ['PC11', 'K99']))).toEqual([e('marking[3].criteria[1]', 'unknown criterion "K99"')]);
	});

	it('between the scenario’s criteria and its marking points', () => {
		expect(errorsAfter((s) => s.criteria.push('AC13'))).toEqual([e('criteria[3]', 'criterion "AC13" is evidenced by no marking point')]);
		expect(errorsAfter((s) => s.marking[3].criteria.push('AC10'))).toEqual([
			e('marking[3].criteria[1]', 'criterion "AC10" is not among the scenario\'s criteria')
		]);
	});

	it('to personas', () => {
		expect(errorsAfter((s) => (s.dialogue.nodes[3].speaker = 'sara'))).toEqual([
			e('dialogue.nodes[3].speaker', 'unknown persona "sara" (did you mean "sarah"?)')
		]);
	});

	it('to seeded records', () => {
		expect(errorsAfter((s) => (s.marking[0].rule.absent.subject = 'danny'))).toEqual([e('marking[0].rule.absent.subject', 'unknown seed key "danny"')]);
		expect(errorsAfter((s) => (s.personas[0].customer = 'danial'))).toEqual([e('personas[0].customer', 'unknown customer "danial" (did you mean "daniel"?)')]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[2].discloses.customer = 'gareth'))).toEqual([
			e('dialogue.nodes[0].choices[2].discloses.customer', 'unknown customer "gareth"')
		]);
		expect(errorsAfter((s) => (s.seed.purposes[0].retention = 'billing'))).toEqual([e('seed.purposes[0].retention', 'unknown retention rule "billing"')]);
		expect(
			errorsAfter((s) =>
				(s.seed.consents = [{
					key: 'c1',
					customer: 'daniel',
					purpose: 'marketing',
					channel: 'email',
					method: 'online',
					noticeVersion: 'PN-1',
					evidenceRef: 'WEB-1',
					givenAt: '2023-05-02'
				}])
			)
		).toEqual([e('seed.consents[0].purpose', 'unknown purpose "marketing"')]);
	});

	it('to fields', () => {
		expect(errorsAfter((s) => s.seed.purposes[0].fields.push('shoeSize'))).toEqual([e('seed.purposes[0].fields[5]', 'unknown field "shoeSize"')]);
		expect(errorsAfter((s) => (s.seed.customers[0].fields.identity.dateOfBrith = '1979-04-18'))).toEqual([
			e('seed.customers[0].fields.identity.dateOfBrith', 'unknown field "dateOfBrith" (did you mean "dateOfBirth"?)')
		]);
		expect(errorsAfter((s) => (s.personas[0].knows.mobile = '07700 900318'))).toEqual([
			e('personas[0].knows.mobile', '"mobile" is neither a field nor a declared fact: declare it under facts')
		]);
		expect(errorsAfter((s) => (s.marking[0].rule.absent.fields.any = ['balanse']))).toEqual([
			e('marking[0].rule.absent.fields.any[0]', 'unknown field "balanse" (did you mean "balance"?)')
		]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[2].discloses.fields = ['balance', 'email']))).toEqual([
			e('dialogue.nodes[0].choices[2].discloses.fields[1]', 'customer "daniel" holds no field "email"')
		]);
	});

	it('to fields under the wrong category, or with no purpose', () => {
		expect(
			errorsAfter((s) => {
				s.seed.customers[0].fields.contact.balance = '£1';
			})
		).toEqual([e('seed.customers[0].fields.contact.balance', '"balance" is financial data, not contact')]);
		expect(
			errorsAfter((s) => {
				s.seed.customers[0].fields.contact.email = 'dan@example.com';
			})
		).toEqual([e('seed.customers[0].fields.contact.email', 'no seeded purpose lists field "email" (a field is only held for a purpose that needs it)')]);
		expect(
			errorsAfter((s) => {
				s.seed.purposes[0].fields.push('vulnerabilityNote');
				s.seed.customers[0].fields.identity.vulnerabilityNote = 'Hard of hearing';
			})
		).toEqual([e('seed.customers[0].fields.identity.vulnerabilityNote', '"vulnerabilityNote" is special category data (vulnerability): list it under specialCategory')]);
	});
});

describe('duplicates', () => {
	it('of node, choice, marking, persona, event and seed ids', () => {
		expect(errorsAfter((s) => (s.dialogue.nodes[3].id = 'on-hold'))).toEqual([
			e('dialogue.nodes[3].id', 'duplicate node id "on-hold"'),
			e('dialogue.nodes[2].branch.otherwise', 'unknown node "wrap-up"')
		]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[1].id = 'hold'))).toEqual([
			e('dialogue.nodes[0].choices[1].id', 'duplicate choice id "hold" in node "opening"')
		]);
		expect(errorsAfter((s) => (s.marking[3].id = 'logged'))).toEqual([e('marking[3].id', 'duplicate marking point id "logged"')]);
		expect(errorsAfter((s) => s.personas.push({ ...s.personas[0] }))).toEqual([e('personas[1].key', 'duplicate persona key "sarah"')]);
		expect(errorsAfter((s) => s.events.push({ ...s.events[0] }))).toEqual([e('events[2].name', 'event "explained.no.authority" is declared twice')]);
		expect(errorsAfter((s) => s.seed.customers.push({ ...s.seed.customers[0], reference: 'NWE-1' }))).toEqual([
			e('seed.customers[1].key', 'duplicate seed key "daniel"')
		]);
		expect(errorsAfter((s) => s.criteria.push('AC06'))).toEqual([e('criteria[3]', 'criterion "AC06" is listed twice')]);
	});
});

describe('the shape of the dialogue', () => {
	it('reports a node no path reaches', () => {
		expect(
			errorsAfter((s) => s.dialogue.nodes.push({ id: 'orphan', speaker: 'sarah', text: 'Hello?', choices: [{ id: 'bye', label: 'Bye.', goto: 'thanks' }] }))
		).toEqual([e('dialogue.nodes[5].id', 'node "orphan" cannot be reached from the start node "opening"')]);
	});

	it('reports a node from which the dialogue can never end', () => {
		expect(
			errorsAfter((s) => {
				s.dialogue.nodes[3].choices[0].goto = 'loop';
				s.dialogue.nodes.push({ id: 'loop', speaker: 'sarah', text: 'Again?', choices: [{ id: 'again', label: 'Again.', goto: 'wrap-up' }] });
			})
		).toEqual([e('dialogue.nodes[3].id', 'no end node can be reached from node "wrap-up"'), e('dialogue.nodes[5].id', 'no end node can be reached from node "loop"')]);
	});

	it('requires an end, and each node to be one of turn, branch or end', () => {
		expect(errorsAfter((s) => (s.dialogue.nodes[4] = { id: 'thanks', text: 'The call ends.', choices: [{ id: 'x', label: 'x', goto: 'opening' }] }))).toEqual([
			e('dialogue.nodes', 'no node has `end: true`: the dialogue cannot finish')
		]);
		expect(errorsAfter((s) => (s.dialogue.nodes[1].then = undefined))).toEqual([e('dialogue.nodes[1].then', 'missing: say which node follows once `waitFor` happens')]);
		expect(errorsAfter((s) => (s.dialogue.nodes[2].text = 'Hmm.'))).toEqual([e('dialogue.nodes[2].text', 'a branch node has only `id`, `advance` and `branch`')]);
		expect(errorsAfter((s) => delete s.dialogue.nodes[3].choices)).toEqual([
			e('dialogue.nodes[3].choices', 'a node needs `choices`, a `waitFor`, a `branch`, or `end: true`')
		]);
	});
});

describe('other checks', () => {
	it('the file is named after the scenario', () => {
		expect(checkScenario('scenarios/other-name.yaml', stringify(sampleScenarioInput())).map(formatScenarioError)).toEqual([
			'scenarios/other-name.yaml: id: "test-scenario" does not match the file name: expected test-scenario.yaml'
		]);
	});

	it('seeded records are history, dated before the clock starts', () => {
		expect(errorsAfter((s) => (s.seed.customers[0].since = '2025-03-08'))).toEqual([
			e('seed.customers[0].since', '2025-03-08 is after the scenario clock starts (2025-03-07T15:40:00+00:00): seeded records are history')
		]);
	});

	it('the directory of recipients: unique codes, seeded purposes, only fields the purpose needs', () => {
		const team = (code: string, receives: unknown[] = []) => ({ code, name: 'Billing team', kind: 'team', receives });
		expect(errorsAfter((s) => (s.organisation = { directory: [team('billing', [{ purpose: 'supply-and-billing', fields: ['balance'] }])] }))).toEqual([]);
		expect(errorsAfter((s) => (s.organisation = { directory: [team('billing'), team('billing')] }))).toEqual([e('organisation.directory[1].code', 'duplicate directory code "billing"')]);
		expect(errorsAfter((s) => (s.organisation = { directory: [team('billing', [{ purpose: 'supply-and-biling', fields: ['balance'] }])] }))).toEqual([
			e('organisation.directory[0].receives[0].purpose', 'unknown purpose "supply-and-biling" (did you mean "supply-and-billing"?)')
		]);
		expect(errorsAfter((s) => (s.organisation = { directory: [team('billing', [{ purpose: 'supply-and-billing', fields: ['balance', 'email'] }])] }))).toEqual([
			e('organisation.directory[0].receives[0].fields[1]', '"email" is not a field the purpose "supply-and-billing" needs: an entry may receive only what its purpose needs')
		]);
		expect(
			errorsAfter((s) => (s.organisation = { directory: [team('billing', [{ purpose: 'supply-and-billing', fields: ['balance'] }, { purpose: 'supply-and-billing', fields: ['postcode'] }])] }))
		).toEqual([e('organisation.directory[0].receives[1].purpose', 'purpose "supply-and-billing" is listed twice: give all its fields once')]);
		expect(errorsAfter((s) => (s.organisation = { directory: [{ code: 'billing', name: 'Billing', kind: 'department' }] }))).toEqual([
			expect.stringContaining('organisation.directory[0].kind')
		]);
	});

	it('a supervisor has a name; a learner-logged disclosure says so with logBy; waitingText goes with a wait', () => {
		expect(errorsAfter((s) => (s.organisation = { supervisor: { name: 'Sam Whitlock', onUnauthorisedDisclosure: 'Fill in the breach form now.' } }))).toEqual([]);
		expect(errorsAfter((s) => (s.organisation = { supervisor: { onUnauthorisedDisclosure: 'Fill in the breach form now.' } }))).toEqual([expect.stringContaining('organisation.supervisor.name')]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[2].discloses.logBy = 'learner'))).toEqual([]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].choices[2].discloses.logBy = 'agent'))).toEqual([expect.stringContaining('dialogue.nodes[0].choices[2].discloses.logBy')]);
		expect(errorsAfter((s) => (s.dialogue.nodes[1].waitingText = 'Daniel is holding while you look.'))).toEqual([]);
		expect(errorsAfter((s) => (s.dialogue.nodes[0].waitingText = 'Daniel is holding.'))).toEqual([
			e('dialogue.nodes[0].waitingText', '`waitingText` is shown while the node waits: it needs a `waitFor`')
		]);
	});

	it('a training attempt is always in record mode', () => {
		expect(errorsAfter((s) => (s.organisation = { policyMode: 'enforce' }))).toEqual([
			e('organisation.policyMode', 'a training attempt always runs in "record" mode')
		]);
	});
});

describe('facts, variables, the OPG register and the type of an LPA', () => {
	/** The sample with a declared fact, a variable set by a choice and tested by a rule, and a register entry. */
	const withDeclarations = (s: Editable) => {
		s.facts = [{ key: 'lpaReference', description: 'The reference of the LPA she holds.' }];
		s.personas[0].knows.lpaReference = '7000-4821-3366';
		s.variables = [{ name: 'asked-about-lpa', initial: false }];
		s.dialogue.nodes[0].choices[0].set = { 'asked-about-lpa': true };
		s.marking[1].rule = { all: [s.marking[1].rule, { variable: { name: 'asked-about-lpa', equals: true } }] };
		s.opgRegister = [{ reference: '7000-4821-3366', donor: 'Daniel Hughes', attorneys: ['Sarah Hughes'], lpaType: 'property-and-financial-affairs', registeredOn: '2023-05-10', status: 'registered' }];
	};

	it('accept a persona who knows a declared fact, a variable set and tested, and a register entry', () => {
		expect(errorsAfter(withDeclarations)).toEqual([]);
	});

	it('let a persona know only a field or a declared fact, and every fact be known by someone', () => {
		expect(
			errorsAfter((s) => {
				withDeclarations(s);
				s.personas[0].knows.lpaRefernce = '7000';
			})
		).toEqual([e('personas[0].knows.lpaRefernce', '"lpaRefernce" is neither a field nor a declared fact: declare it under facts (did you mean "lpaReference"?)')]);
		expect(
			errorsAfter((s) => {
				withDeclarations(s);
				s.facts.push({ key: 'postcode', description: 'Her postcode.' }, { key: 'ownDateOfBirth', description: 'Her own date of birth.' }, { key: 'lpaReference', description: 'Again.' });
			})
		).toEqual([
			e('facts[3].key', 'fact "lpaReference" is declared twice'),
			e('facts[1].key', '"postcode" is a field of the record: a persona can know it without declaring it'),
			e('facts[2].key', 'fact "ownDateOfBirth" is declared but no persona knows it')
		]);
	});

	it('check that a variable set or tested is declared and given a value of its kind, and that a declared one is set', () => {
		expect(
			errorsAfter((s) => {
				withDeclarations(s);
				s.dialogue.nodes[0].choices[1].set = { 'asked-about-lap': true, 'asked-about-lpa': 'yes' };
				s.marking[1].rule.all[1].variable.equals = 1;
			})
		).toEqual([
			e('dialogue.nodes[0].choices[1].set.asked-about-lap', 'unknown variable "asked-about-lap": declare it under variables (did you mean "asked-about-lpa"?)'),
			e('dialogue.nodes[0].choices[1].set.asked-about-lpa', 'variable "asked-about-lpa" holds true or false (its initial value), not "yes"'),
			e('marking[1].rule.all[1].variable.equals', 'variable "asked-about-lpa" holds true or false (its initial value), not 1')
		]);
		expect(
			errorsAfter((s) => {
				withDeclarations(s);
				s.variables.push({ name: 'never-set', initial: 0 }, { name: 'asked-about-lpa', initial: true });
			})
		).toEqual([e('variables[2].name', 'variable "asked-about-lpa" is declared twice'), e('variables[1].name', '"never-set" is declared but no choice sets it')]);
		expect(errorsAfter((s) => (s.marking[1].rule = { variable: { name: 'Bad Name', equals: true } }))).toEqual([
			e('marking[1].rule.variable.name', 'use lower-case letters, digits and hyphens, e.g. "asks-for-balance"')
		]);
	});

	it('check the register: one entry a reference, registration dates as the status needs, none after the clock starts', () => {
		expect(
			errorsAfter((s) => {
				withDeclarations(s);
				s.opgRegister.push(
					{ ...s.opgRegister[0], reference: '7000 4821 3366' },
					{ reference: '7000-1', donor: 'A', attorneys: ['B'], lpaType: 'health-and-welfare', status: 'cancelled' },
					{ reference: '7000-2', donor: 'A', attorneys: ['B'], lpaType: 'health-and-welfare', status: 'pending', registeredOn: '2024-01-01' },
					{ reference: '7000-3', donor: 'A', attorneys: ['B'], lpaType: 'health-and-welfare', status: 'registered', registeredOn: '2025-04-01' }
				);
			})
		).toEqual([
			e('opgRegister[1].reference', 'reference "700048213366" is on the register twice'),
			e('opgRegister[2].registeredOn', 'missing: the date the LPA was registered (it is cancelled)'),
			e('opgRegister[3].registeredOn', 'a pending LPA is not registered yet: leave `registeredOn` out or change the status'),
			e('opgRegister[4].registeredOn', '2025-04-01 is after the scenario clock starts (2025-03-07T15:40:00+00:00): the register is history')
		]);
		expect(errorsAfter((s) => (s.opgRegister = [{ reference: '7000-1', donor: 'A', attorneys: [], lpaType: 'financial', status: 'lost' }]))).toEqual([
			e('opgRegister[0].attorneys', 'list at least one attorney'),
			e('opgRegister[0].lpaType', 'expected one of "property-and-financial-affairs", "health-and-welfare", got "financial"'),
			e('opgRegister[0].status', 'expected one of "registered", "pending", "cancelled", "revoked", got "lost"')
		]);
	});

	it('ask a lasting power of attorney for its type, and no other authority', () => {
		const party = { key: 'sarah-lpa', customer: 'daniel', name: 'Sarah Hughes', relationship: 'wife', evidenceRef: 'OPG 7000', scope: { categories: ['all'], actions: ['receive-information'] }, validFrom: '2024-01-01' };
		expect(errorsAfter((s) => (s.seed.thirdParties = [{ ...party, authorityType: 'lasting-power-of-attorney' }]))).toEqual([
			e('seed.thirdParties[0].lpaType', 'missing: say which kind of LPA it is: property-and-financial-affairs or health-and-welfare')
		]);
		expect(errorsAfter((s) => (s.seed.thirdParties = [{ ...party, authorityType: 'written-authority', lpaType: 'health-and-welfare' }]))).toEqual([
			e('seed.thirdParties[0].lpaType', 'only a lasting power of attorney has a type; this is a written-authority')
		]);
		expect(errorsAfter((s) => (s.seed.thirdParties = [{ ...party, authorityType: 'lasting-power-of-attorney', lpaType: 'health-and-welfare' }]))).toEqual([]);
	});
});

describe('loading a directory', () => {
	let dir: string | undefined;
	afterEach(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('returns the scenarios that pass, with versions, and every error of the others', () => {
		dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
		const good = stringify(sampleScenarioInput());
		writeFileSync(join(dir, 'test-scenario.yaml'), good);
		writeFileSync(join(dir, 'broken.yaml'), 'id: broken\ntitle: [\n');
		writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
		const { scenarios, errors } = loadScenarios(dir);
		expect(scenarios.map((s) => [s.file, s.scenario.id, s.version])).toEqual([
			[join(dir, 'test-scenario.yaml'), 'test-scenario', scenarioVersion('1.0.0', good)]
		]);
		expect(errors.every((error) => error.file === join(dir!, 'broken.yaml'))).toBe(true);
		expect(errors.length).toBeGreaterThan(0);
	});
});
