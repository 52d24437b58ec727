import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { DeepLinkPickerView } from '$lib/views/lti';
import DeepLinkPicker from './DeepLinkPicker.svelte';
import DeepLinkReturn from './DeepLinkReturn.svelte';

describe('the Deep Linking pages', () => {
	it('draws each scenario as a labelled choice and ties an error to the group', () => {
		const view: DeepLinkPickerView = { acceptMultiple: false, scenarios: [{ scenarioId: 'spouse-caller', title: 'The spouse on the phone', criteria: ['PC11', 'AC04'] }, { scenarioId: 'record-correction', title: 'A correction', criteria: [] }] };
		const { body } = render(DeepLinkPicker, { props: { view, error: 'Choose a scenario to add to the course.' } });
		expect(body).toContain('<h1>Choose a scenario</h1>');
		expect(body).toMatch(/<fieldset aria-describedby="scenario-error"[ >]/);
		expect(body).toMatch(/<p class="field-error[^"]*" id="scenario-error">Choose a scenario to add to the course.<\/p>/);
		expect(body).toMatch(/<input type="radio" id="scenario-spouse-caller" name="scenario" value="spouse-caller"/);
		expect(body).toMatch(/<label for="scenario-spouse-caller"/);
		const several = render(DeepLinkPicker, { props: { view: { ...view, acceptMultiple: true }, chosen: ['spouse-caller'] } }).body;
		expect(several).toMatch(/<input type="checkbox" id="scenario-spouse-caller" name="scenario" value="spouse-caller" checked/);
	});

	it('draws the return page as a form posting JWT to the LMS, with a button for when scripts do not run', () => {
		const { body } = render(DeepLinkReturn, { props: { form: { action: 'https://lms.example/dl/return?course=7', jwt: 'a.b.c' } } });
		expect(body).toMatch(/<form method="POST" action="https:\/\/lms.example\/dl\/return\?course=7"/);
		expect(body).toContain('<input type="hidden" name="JWT" value="a.b.c"/>');
		expect(body).toContain('Continue to the LMS');
	});

	it('says there is nothing to add while no scenario is published', () => {
		const { body } = render(DeepLinkPicker, { props: { view: { acceptMultiple: false, scenarios: [] } } });
		expect(body).toContain('No scenario is published yet');
		expect(body).not.toContain('<form');
	});
});
