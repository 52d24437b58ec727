import type { BrowserContext, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { e2eDatabasePath } from './support/fingerprint';
import { expectNoViolations, GEOMETRY_RULES } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { submitReflection } from './support/assessor';
import { duplicateScenario, publish, uniqueScenarioId } from './support/author';
import { addressHeaders, createOwnCohort, createOwnSample, createOwnUser, expect, logInAsOwn, test, type OwnUser } from './support/fixtures';
import { AttemptActions, ScenarioBrief } from './support/learner';
import { mailTo, resetPathIn } from './support/mail';
import { baseURL } from './support/mfa';
import { discoverRoutes, oneRoleFor } from './support/routes';
import { submittedEvidence } from './support/workplace';
import { testPng } from '../../src/lib/server/workplace/testing';
import { jpegWithGps } from '../../src/lib/server/uploads/testing';

/**
 * Every page a role can reach, generated from src/routes like the route matrix: each is loaded once at
 * a desktop width, at a phone's (390 px) and at 320 px, with real ids of the test's own data in its
 * address, and must have no WCAG 2.2 A/AA violation axe finds and no sideways scrolling of the whole page
 * (WCAG 1.4.10 reflow); at the desktop width, with its text made twice as large, it must still not
 * scroll sideways nor cut off the text of a field (WCAG 1.4.4). Axe checks every rule at 1280 and 390 px,
 * and at 320 px and with the larger text the rules a new layout can break (GEOMETRY_RULES). Downloads and
 * other endpoints are not pages and are left out.
 *
 * Each route parameter maps to an object made here; a new parameter fails the first test until it is
 * given one, so no page escapes the check.
 */
const WIDTHS = [
	{ width: 1280, height: 800, axe: 'all', largeText: true },
	{ width: 390, height: 844, axe: 'all', largeText: false },
	// The narrowest WCAG 1.4.10 asks for (1280 px at 400 % zoom). Every media query of the app's CSS is at
	// 40rem (640 px) or wider, and no script reads the width, so a page here has the markup and the CSS
	// rules it has at 390 px: axe checks again only what the narrower layout can break (GEOMETRY_RULES).
	{ width: 320, height: 640, axe: 'geometry', largeText: false }
] as const;

/**
 * What the page shows that does not fit: the whole page wider than the window (it scrolls sideways), and
 * each text field or select whose text is cut off (WCAG 1.4.4 resize text).
 */
function measure() {
	const clipped = [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')]
		.filter((el) => !['hidden', 'checkbox', 'radio', 'file', 'submit', 'button'].includes(el.type) && el.getClientRects().length > 0)
		.filter((el) => {
			const lineHeight = parseFloat(getComputedStyle(el).fontSize);
			return el.scrollHeight > el.clientHeight + 1 || el.clientHeight < lineHeight;
		})
		.map((el) => `${el.tagName.toLowerCase()}#${el.id || el.getAttribute('name')}`);
	const { scrollWidth: scroll, clientWidth: client } = document.documentElement;
	// When the page is too wide, the innermost elements that stick out, to say where to look.
	const out = (el: Element) => el.getBoundingClientRect().right > client + 1;
	const wide =
		scroll > client
			? [...document.querySelectorAll('body *')]
					.filter((el) => out(el) && ![...el.children].some(out))
					.slice(0, 5)
					.map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} “${(el.textContent ?? '').trim().slice(0, 30)}”`)
			: [];
	return { scroll, client, clipped, wide };
}

const PAGES = discoverRoutes().filter((route) => route.method === 'GET' && !route.endpoint);
const params = (id: string) => [...id.matchAll(/\[\[?(?:\.\.\.)?([^\]]+?)\]?\]/g)].map((m) => m[1]!);

interface Made {
	learner: OwnUser;
	/** An assessor of the centre: the IQA's profile page shows theirs. */
	assessorId: string;
	cohortId: string;
	/** An attempt still in progress: the simulation screen as a learner works on it. */
	openAttempt: string;
	/** An ended attempt with its reflection submitted: debrief, reflection, the assessor's review. */
	submittedAttempt: string;
	/** A scenario of the tutor's centre (a published duplicate of a built-in one), so its editor opens. */
	ownScenario: string;
	/** The tutor's preview attempt at it. */
	previewAttempt: string;
	/** A password-reset link's token, from the mail the stand-in mail server received. */
	resetToken: string;
	/** The IQA's sampling plan for the cohort, with every criterion and method (the widest grid). */
	planId: string;
	/** A sample of the centre's for the IQA (not started: its page offers to start). */
	sampleId: string;
	/** The EQA's open access to a sample holding `learner`. */
	accessId: string;
	/** The learner's submitted workplace evidence with a photo: the assessor's review of it. */
	evidenceId: string;
	/** A draft of the learner's workplace evidence with a stored photo: their own page, with the upload component. */
	draftEvidenceId: string;
}

/** The value of a route parameter on a route, from the objects made for the test. */
function valueFor(routeId: string, param: string, made: Made): string | undefined {
	switch (param) {
		case 'attemptId':
			if (routeId.includes('/preview/')) return made.previewAttempt;
			if (routeId.endsWith('/learn/attempts/[attemptId]')) return made.openAttempt;
			return made.submittedAttempt;
		case 'learnerId':
		case 'userId':
			return made.learner.id;
		case 'assessorId':
			return made.assessorId;
		case 'cohortId':
			return made.cohortId;
		case 'scenarioId':
			return routeId.includes('/author/') ? made.ownScenario : 'spouse-caller';
		case 'token':
			return made.resetToken;
		case 'planId':
			return made.planId;
		case 'sampleId':
			return made.sampleId;
		case 'accessId':
			return made.accessId;
		case 'evidenceId':
			return routeId.includes('/learn/') ? made.draftEvidenceId : made.evidenceId;
		case 'topic':
			// The help topic with the widest example (a list of fields on one line).
			return 'customers';
		default:
			return undefined;
	}
}

function pathOf(routeId: string, made: Made): string {
	const path = routeId
		.split('/')
		.filter((segment) => !/^\(.*\)$/.test(segment))
		.map((segment) => segment.replace(/\[\[?(?:\.\.\.)?([^\]]+?)\]?\]/g, (_, name: string) => encodeURIComponent(valueFor(routeId, name, made) ?? name)))
		.join('/');
	return path === '' ? '/' : path;
}

test.describe('every page at desktop and phone widths', () => {
	let made: Made;
	/** One signed-in page per role (the learner's also for /account), and one anonymous. */
	const pages = new Map<string, Page>();
	const contexts: BrowserContext[] = [];

	test.beforeAll(async ({ browser }) => {
		// Users, a cohort, attempts and a scenario of the test's own: a few journeys before the pages.
		test.setTimeout(120_000);
		const people = {
			learner: await createOwnUser(['learner']),
			assessor: await createOwnUser(['assessor']),
			tutor: await createOwnUser(['tutor']),
			admin: await createOwnUser(['admin']),
			iqa: await createOwnUser(['iqa']),
			eqa: await createOwnUser(['eqa'])
		};
		const cohort = await createOwnCohort(people.tutor, { learners: [people.learner], assessors: [people.assessor] }, ['spouse-caller', 'new-customer-signup']);
		// The EQA's access to the learner (as the invite form writes it), for the /eqa pages.
		const grants = new Database(e2eDatabasePath(), { fileMustExist: true });
		grants.pragma('busy_timeout = 5000');
		const accessId = `responsive-grant-${people.eqa.id}`;
		const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offset * 86_400_000));
		grants
			.prepare('INSERT INTO eqa_access (id, organisation_id, eqa_user_id, cohort_id, starts_on, ends_on, invited_by, invited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
			.run(accessId, people.admin.organisationId, people.eqa.id, cohort.id, day(-1), day(13), people.admin.id, new Date().toISOString());
		grants.prepare('INSERT INTO eqa_access_learner (access_id, learner_id) VALUES (?, ?)').run(accessId, people.learner.id);
		grants.close();
		for (const role of ['learner', 'assessor', 'tutor', 'admin', 'iqa', 'eqa', 'anonymous'] as const) {
			const context = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
			contexts.push(context);
			const page = await context.newPage();
			if (role !== 'anonymous') await logInAsOwn(page, people[role]);
			pages.set(role, page);
		}
		const learnerPage = pages.get('learner')!;
		const brief = new ScenarioBrief(learnerPage);
		await brief.goto('spouse-caller');
		const submittedAttempt = await brief.start();
		await new AttemptActions(learnerPage, submittedAttempt).end();
		await submitReflection(learnerPage, submittedAttempt);
		await brief.goto('new-customer-signup');
		const openAttempt = await brief.start();

		const tutorPage = pages.get('tutor')!;
		const ownScenario = uniqueScenarioId('responsive');
		await duplicateScenario(tutorPage, 'spouse-caller', ownScenario, `Responsive check ${ownScenario}`);
		// Published, so its page lists a version (a table with hidden labels that once pushed the page wide).
		await publish(tutorPage, ownScenario);
		await tutorPage.goto(`/author/scenarios/${ownScenario}/preview`);
		await tutorPage.getByRole('button', { name: /^Start/ }).click();
		await expect(tutorPage).toHaveURL(new RegExp(`/author/scenarios/${ownScenario}/preview/[^/]+$`));
		const previewAttempt = tutorPage.url().split('/').pop()!;

		// A live password-reset link, so its page shows the form (a user of its own asks for it).
		const forgetful = await createOwnUser(['learner']);
		const asked = await pages.get('anonymous')!.request.post('/login/forgot', { form: { email: forgetful.email }, headers: { origin: baseURL() }, maxRedirects: 0 });
		expect(asked.status()).toBeLessThan(400);
		await expect.poll(() => mailTo(forgetful.email).length).toBe(1);
		const resetToken = resetPathIn(mailTo(forgetful.email)[0]!).split('/').pop()!;

		// A draft of workplace evidence with a file on it, sent as the page's upload component sends one (tus).
		const started = await learnerPage.request.post('/learn/evidence/new', { form: { title: 'Responsive check: a long title for a photo of the address change form' }, headers: { origin: baseURL(), accept: 'text/html' }, maxRedirects: 0 });
		expect(started.status()).toBe(303);
		const draftEvidenceId = started.headers()['location']!.split('/').pop()!;
		const photo = Buffer.from(jpegWithGps());
		const tus = { 'Tus-Resumable': '1.0.0' };
		const created = await learnerPage.request.post('/learn/uploads', {
			headers: { ...tus, 'Upload-Length': String(photo.byteLength), 'Upload-Metadata': `filename ${btoa('a-photo-with-a-rather-long-file-name-of-the-address-change-form.jpg')},evidence ${btoa(draftEvidenceId)}` },
			maxRedirects: 0
		});
		expect(created.status()).toBe(201);
		const sent = await learnerPage.request.patch(created.headers()['location']!, { headers: { ...tus, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, data: photo });
		expect(sent.status()).toBe(204);

		const planned = await pages.get('iqa')!.request.post('/iqa/plans?/create', { form: { cohortId: cohort.id, qualificationTitle: 'Process information about customers' }, headers: { origin: baseURL(), accept: 'text/html' }, maxRedirects: 0 });
		expect(planned.status()).toBe(303);
		const planId = planned.headers()['location']!.split('/').pop()!;

		const sampleId = await createOwnSample({ decisionId: `responsive-decision-${submittedAttempt}`, learner: people.learner, assessor: people.assessor });
		// Workplace evidence with a long title and a photo, as the uploads pages store it.
		const { evidenceId } = await submittedEvidence(people.learner, {
			title: 'Checking a caller’s identity against the completed security questionnaire at the front desk',
			criteria: ['PC01', 'PC02'],
			files: [{ name: 'a-rather-long-file-name-for-the-photo-of-the-completed-identity-form.png', mediaType: 'image/png', bytes: testPng(900, 600) }]
		});

		made = { learner: people.learner, assessorId: people.assessor.id, cohortId: cohort.id, openAttempt, submittedAttempt, ownScenario, previewAttempt, resetToken, planId, sampleId, accessId, evidenceId, draftEvidenceId };
	});

	test.afterAll(async () => {
		for (const context of contexts) await context.close();
	});

	test('every page parameter has an object of the test’s own to show', () => {
		const fake: Made = { learner: { id: 'l' } as OwnUser, assessorId: 's', cohortId: 'c', openAttempt: 'a', submittedAttempt: 'a', ownScenario: 's', previewAttempt: 'p', resetToken: 't', planId: 'p', sampleId: 'x', accessId: 'g', evidenceId: 'e', draftEvidenceId: 'd' };
		const unknown = [...new Set(PAGES.flatMap((r) => params(r.id).filter((p) => valueFor(r.id, p, fake) === undefined)))];
		expect(unknown, 'route parameters with no object in pages-responsive.spec.ts').toEqual([]);
	});

	for (const route of PAGES) {
		test(`${route.id}: no accessibility violations and no sideways scrolling at ${WIDTHS.map((w) => `${w.width} px`).join(', ')}, nor with 200 % text`, async () => {
			const needed = oneRoleFor(route.path);
			const page = pages.get(needed === null ? 'anonymous' : needed === 'signed-in' ? 'learner' : needed)!;
			const path = pathOf(route.id, made);
			for (const size of WIDTHS) {
				await page.setViewportSize(size);
				const response = await page.goto(path);
				expect(response?.status(), `${path} answers`).toBe(200);
				// Measured once the page has hydrated: what its scripts draw counts too.
				await waitForHydration(page);
				const overflow = await page.evaluate(measure);
				expect.soft(overflow.scroll, `${path} at ${size.width} px scrolls sideways: ${overflow.wide.join(', ')}`).toBeLessThanOrEqual(overflow.client);
				expect.soft(overflow.clipped, `${path} at ${size.width} px cuts off the text of`).toEqual([]);
				await test.step(`axe at ${size.width} px`, () => expectNoViolations(page, size.axe === 'geometry' ? { rules: GEOMETRY_RULES } : {}));
				if (size.largeText) {
					// Text-only zoom to 200 %: the root font size doubled, so everything sized in rem or em grows.
					await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
					const large = await page.evaluate(measure);
					expect.soft(large.scroll, `${path} at ${size.width} px with 200 % text scrolls sideways: ${large.wide.join(', ')}`).toBeLessThanOrEqual(large.client);
					expect.soft(large.clipped, `${path} at ${size.width} px with 200 % text cuts off the text of`).toEqual([]);
					// The same page load, its text twice as large: axe again on what the new layout can break (media
					// queries in rem follow the browser's font size, not the page's, so the CSS rules are the same).
					await test.step(`axe at ${size.width} px with 200 % text`, () => expectNoViolations(page, { rules: GEOMETRY_RULES }));
				}
			}
		});
	}
});
