import { chromium, type Browser, type Page } from '@playwright/test';
import { startStandInPlatform, type StandInPlatform } from '../support/lti-platform';
import { expectNoViolations } from './support/accessibility';
import { AttemptActions, ScenarioBrief } from './support/learner';
import { enrolMfa } from './support/mfa';
import { expect, logInAsOwn, test, uniqueSuffix } from './support/fixtures';

/**
 * LTI wired end to end against one stand-in LMS on the loopback address that does both halves
 * (tests/support/lti-platform.ts with its services mounted): registered by Dynamic Registration and
 * enabled by an administrator, then a learner's launch into a scenario whose score reaches the
 * LMS's line item, and a teacher's Deep Linking answer the LMS verifies with our published keys.
 */

let lms: StandInPlatform;
test.afterEach(async () => {
	await lms?.close();
});

/** The LMS registers the tool by Dynamic Registration; the administrator enables it. */
async function registerAndEnable(page: Page, browser: Browser, baseURL: string): Promise<void> {
	lms = await startStandInPlatform({ registrationToken: `reg-${uniqueSuffix()}`, services: { toolJwksUrl: `${baseURL}/lti/jwks` } });
	await page.goto('/admin/lti');
	await page.getByRole('button', { name: 'Make a registration link' }).click();
	const link = (await page.getByTestId('registration-link').textContent())!.trim();
	const lmsContext = await browser.newContext();
	const lmsPage = await lmsContext.newPage();
	await lmsPage.goto(`${lms.url}/register-tool?${new URLSearchParams({ url: link })}`);
	await expect(lmsPage.frameLocator('iframe[title="Tool registration"]').getByRole('heading', { level: 1 })).toHaveText('Custodian is registered');
	await lmsContext.close();
	await page.goto('/admin/lti');
	const row = page.getByRole('row', { name: new RegExp(`127\\.0\\.0\\.1:${new URL(lms.url).port}`) });
	await row.getByRole('button', { name: /^Enable/ }).click();
	await expect(page.getByRole('status')).toContainText('The platform is enabled');
}

/** Opens the tool from the stand-in's course page, as the user with this login hint. */
async function launchFromCourse(page: Page, baseURL: string, hint: string): Promise<void> {
	await page.goto(`${lms.url}/course?${new URLSearchParams({ tool: baseURL, user: hint })}`);
}

/** The learner's attempt from the launch, ended: the server posts the score just after the end commits. */
async function playAndReturnGrade(learner: Page, sub: string): Promise<void> {
	const attemptId = await new ScenarioBrief(learner).start();
	await new AttemptActions(learner, attemptId).end();
	await expectScoreAtLms(sub);
}

/** The learner's score must reach the LMS's line item: nobody runs the grade-return job, the kick after the attempt's end posts it (the tick is 15 minutes away). */
async function expectScoreAtLms(sub: string): Promise<void> {
	const services = lms.services!;
	await expect.poll(() => services.scores.length).toBe(1);
	expect(services.lineItems).toMatchObject([{ tag: 'score', resourceId: 'spouse-caller', resourceLinkId: 'resource-link-1', scoreMaximum: 100 }]);
	expect(services.scores).toHaveLength(1);
	expect(services.scores[0]).toMatchObject({
		lineItemId: services.lineItems[0]!.id,
		score: { userId: sub, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'PendingManual' }
	});
	expect(typeof services.scores[0]!.score.scoreGiven).toBe('number');
	expect(services.tokenRequests.every((t) => t.granted)).toBe(true);
}

test('a learner launched into a scenario plays it to the end, and the score reaches the LMS’s line item', async ({ page, browser, admin, baseURL }) => {
	await logInAsOwn(page, admin, '/admin/lti');
	await registerAndEnable(page, browser, baseURL!);
	const sub = `sub-${uniqueSuffix()}`;
	lms.users.set('amira', { sub, name: 'Amira From Moodle', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], custom: { scenario: 'spouse-caller' } });

	const context = await browser.newContext();
	const learner = await context.newPage();
	await launchFromCourse(learner, baseURL!, 'amira');
	await expect(learner).toHaveURL(`${baseURL}/learn/scenarios/spouse-caller`);
	await playAndReturnGrade(learner, sub);
	await context.close();
});

test('the same from a launch in the LMS’s frame with third-party cookies blocked, played in the frame', async ({ page, browser, admin, baseURL, launchOptions }) => {
	await logInAsOwn(page, admin, '/admin/lti');
	await registerAndEnable(page, browser, baseURL!);
	const sub = `sub-${uniqueSuffix()}`;
	lms.users.set('tomas', { sub, name: 'Tomás In A Frame', roles: ['Learner'], custom: { scenario: 'spouse-caller' } });
	// Chromium's own switch for the third-party cookie phase-out: cross-site cookies are refused unless partitioned.
	const blocking = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), '--test-third-party-cookie-phaseout'] });
	try {
		const context = await blocking.newContext();
		const course = await context.newPage();
		await course.goto(`${lms.url}/course?${new URLSearchParams({ tool: baseURL!, user: 'tomas', frame: '1' })}`);
		// The session is kept by a partitioned cookie: the learner plays in the LMS's frame.
		const frame = course.frameLocator('iframe[title="Custodian"]');
		await frame.getByRole('button', { name: /^(Start|Start a new attempt)$/ }).click();
		const end = frame.locator('.sim-header details.end-attempt');
		await end.locator('summary').click();
		await end.getByRole('button', { name: 'Yes, end and see my debrief' }).click();
		await expect.poll(() => course.frames().find((f) => f.name() === 'tool')?.url()).toMatch(/\/learn\/attempts\/[0-9a-f-]{36}\/debrief$/);
		await expect(frame.getByRole('heading', { level: 1 })).toBeVisible();
		await course.screenshot({ path: 'tests/.artifacts/screenshots/lti-framed-debrief.png' });
		await expectScoreAtLms(sub);
	} finally {
		await blocking.close();
	}
});

test('a teacher picks a scenario by Deep Linking, and the LMS receives a valid signed answer', async ({ page, browser, admin, tutor, baseURL }) => {
	await logInAsOwn(page, admin, '/admin/lti');
	await registerAndEnable(page, browser, baseURL!);
	lms.users.set('tess', { sub: `sub-${uniqueSuffix()}`, name: 'Tess Teacher', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], deepLinking: true });

	const context = await browser.newContext();
	const teacher = await context.newPage();
	await launchFromCourse(teacher, baseURL!, 'tess');
	// Staff set up their second factor first, then come back to the request.
	await expect(teacher).toHaveURL(/\/account\/mfa\?redirectTo=%2Fauthor%2Flti%2Fdeep-link$/);
	await enrolMfa(teacher);
	await expect(teacher).toHaveURL(`${baseURL}/author/lti/deep-link`);
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Choose a scenario');
	await expectNoViolations(teacher);
	// Another tutor of the centre, signed in by password, has no request to answer: the teacher's is theirs alone.
	const otherContext = await browser.newContext();
	const other = await otherContext.newPage();
	await logInAsOwn(other, tutor, '/author');
	await other.goto(`${baseURL}/author/lti/deep-link`);
	await expect(other.getByRole('heading', { level: 1 })).toHaveText('No request from your LMS');
	await expect(other.getByRole('status')).toContainText('No request from your LMS is waiting in this session');
	await expect(other.getByRole('button', { name: 'Add to the course' })).toHaveCount(0);
	await otherContext.close();
	await teacher.getByRole('button', { name: 'Add to the course' }).click();
	await expect(teacher.locator('#scenario-error')).toHaveText('Choose a scenario to add to the course.');
	await teacher.locator('#scenario-spouse-caller').check();
	await teacher.screenshot({ path: 'tests/.artifacts/screenshots/lti-deep-link.png', fullPage: true });
	await teacher.getByRole('button', { name: 'Add to the course' }).click();
	await expect(teacher).toHaveURL(`${lms.url}/deep-link-return`);
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Activity added to the course');
	expect(lms.deepLinkResponses).toHaveLength(1);
	expect(lms.deepLinkResponses[0]).toMatchObject({
		'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
		'https://purl.imsglobal.org/spec/lti/claim/deployment_id': lms.deploymentId,
		'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'stand-in-request-data',
		'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [{ type: 'ltiResourceLink', url: `${baseURL}/lti/launch`, custom: { scenario: 'spouse-caller' } }]
	});
	// Answered once: the picker has no request left.
	await teacher.goto(`${baseURL}/author/lti/deep-link`);
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('No request from your LMS');
	await context.close();
});
