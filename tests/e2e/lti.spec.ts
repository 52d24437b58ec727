import { chromium, type Browser, type BrowserContext, type LaunchOptions, type Page } from '@playwright/test';
import { DEMO_ORGANISATION_ID } from '../../src/lib/server/demo';
import { openDatabase } from '../../src/lib/core/database';
import { addPlatform } from '../../src/lib/server/lti/platforms';
import { startStandInPlatform, type StandInPlatform } from '../support/lti-platform';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { e2eDatabasePath } from './support/fingerprint';
import { expect, logInAsOwn, test, uniqueSuffix } from './support/fixtures';

/**
 * LTI 1.3 against a stand-in platform on the loopback address (tests/support/lti-platform.ts): a
 * real LMS's part, over real HTTP, cross-site (127.0.0.1 against the app's localhost).
 */

let lms: StandInPlatform;
test.afterEach(async () => {
	await lms?.close();
});

/** A platform registered straight in the database, enabled, as an administrator's form would leave it. */
async function registeredPlatform(): Promise<StandInPlatform> {
	const stand = await startStandInPlatform();
	const db = openDatabase(e2eDatabasePath(), { migrate: false });
	const added = await addPlatform(
		db,
		DEMO_ORGANISATION_ID,
		{ name: `Stand-in ${uniqueSuffix()}`, issuer: stand.issuer, clientId: stand.clientId, authLoginUrl: `${stand.url}/auth`, tokenUrl: `${stand.url}/token`, jwksUrl: `${stand.url}/jwks`, deploymentIds: [stand.deploymentId] },
		{ registeredBy: 'manual', actor: { id: 'e2e', address: null, routeId: null, requestId: null } }
	);
	expect(added.ok).toBe(true);
	return stand;
}

/** Opens the tool from the stand-in's course page, as the user with this login hint. */
async function launchFromCourse(page: Page, baseURL: string, hint: string): Promise<void> {
	await page.goto(`${lms.url}/course?${new URLSearchParams({ tool: baseURL, user: hint })}`);
}

test('Dynamic Registration, enabling by an administrator, then a learner’s launch lands signed in', async ({ page, browser, admin, baseURL }) => {
	lms = await startStandInPlatform({ registrationToken: `reg-${uniqueSuffix()}` });
	await logInAsOwn(page, admin, '/admin/lti');
	await page.getByRole('button', { name: 'Make a registration link' }).click();
	const link = (await page.getByTestId('registration-link').textContent())!.trim();
	expect(link).toMatch(/\/lti\/register\/[A-Za-z0-9_-]{43}$/);
	await expectNoViolations(page);

	// The LMS opens the link in a frame of its own page and waits for our postMessage.
	const lmsContext = await browser.newContext();
	const lmsPage = await lmsContext.newPage();
	await lmsPage.goto(`${lms.url}/register-tool?${new URLSearchParams({ url: link })}`);
	const frame = lmsPage.frameLocator('iframe[title="Tool registration"]');
	await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Custodian is registered');
	await expect(lmsPage.locator('#status')).toHaveText('Tool registration closed');
	expect(lms.registrations).toHaveLength(1);
	await lmsPage.screenshot({ path: 'tests/.artifacts/screenshots/lti-registration.png' });

	// Pending until enabled: a launch now is refused at login.
	lms.users.set('amira', { sub: `sub-${uniqueSuffix()}`, name: 'Amira From Moodle', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] });
	await launchFromCourse(lmsPage, baseURL!, 'amira');
	await expect(lmsPage.getByText('not registered and enabled')).toBeVisible();

	await page.goto('/admin/lti');
	const row = page.getByRole('row', { name: new RegExp(`stand-in at 127\\.0\\.0\\.1:${new URL(lms.url).port}`) });
	await expect(row).toContainText('Pending');
	await expect(row.getByLabel('Deployment ids')).toHaveValue(lms.deploymentId);
	await row.getByRole('button', { name: /^Enable/ }).click();
	await expect(page.getByRole('status')).toContainText('The platform is enabled');
	await expect(page.getByRole('row', { name: new RegExp(`127\\.0\\.0\\.1:${new URL(lms.url).port}`) })).toContainText('Enabled');
	await page.screenshot({ path: 'tests/.artifacts/screenshots/lti-admin.png', fullPage: true });

	await launchFromCourse(lmsPage, baseURL!, 'amira');
	await expect(lmsPage).toHaveURL(`${baseURL}/learn`);
	await expect(lmsPage.getByRole('link', { name: 'Amira From Moodle' })).toBeVisible();
	// A second launch is the same account.
	await lmsContext.clearCookies();
	await launchFromCourse(lmsPage, baseURL!, 'amira');
	await expect(lmsPage).toHaveURL(`${baseURL}/learn`);
	await lmsContext.close();
});

/** The course page with the tool in its frame (and the platform's storage, when `storage` is given). */
async function openFramedCourse(page: Page, baseURL: string, hint: string, storage?: 'kept' | 'forgetful'): Promise<void> {
	const query = new URLSearchParams({ tool: baseURL, user: hint, frame: '1' });
	if (storage) query.set('storage', storage);
	await page.goto(`${lms.url}/course?${query}`);
}

/** A framed launch where the browser keeps partitioned cookies: the learner carries on in the frame, signed in there only. */
async function launchStaysInFrame(browser: Browser, baseURL: string, screenshot?: string): Promise<void> {
	lms = await registeredPlatform();
	lms.users.set('tomas', { sub: `sub-${uniqueSuffix()}`, name: 'Tomás In A Frame', roles: ['Learner'] });
	const context = await browser.newContext();
	const page = await context.newPage();
	await openFramedCourse(page, baseURL, 'tomas');
	const frame = page.frameLocator('iframe[title="Custodian"]');
	await expect(frame.getByRole('link', { name: 'Tomás In A Frame' })).toBeVisible();
	expect(page.frames().find((f) => f.name() === 'tool')?.url()).toBe(`${baseURL}/learn`);
	// The session is the frame's: moving around inside it keeps it. The account has no password of its own.
	await frame.getByRole('link', { name: 'Tomás In A Frame' }).click();
	await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Your password');
	await expect(frame.getByRole('status')).toContainText('You sign in through your college’s learning platform');
	await expect(frame.getByLabel('Current password')).toHaveCount(0);
	expect(page.frames().find((f) => f.name() === 'tool')?.url()).not.toContain('/login');
	if (screenshot) await page.screenshot({ path: screenshot });
	// Custodian in its own tab is not signed in: the frame's cookie is kept under the LMS's site only.
	const own = await context.newPage();
	await own.goto(`${baseURL}/learn`);
	await expect(own).toHaveURL(/\/login/);
	// Logging out inside the frame says so there (the log-in page may not be framed), and ends the session.
	await frame.getByRole('button', { name: 'Log out' }).click();
	await expect(frame.getByRole('heading', { level: 1 })).toHaveText('You are logged out');
	await expect(frame.getByRole('status')).toContainText('open the activity again from your course page');
	await expect(frame.getByRole('link', { name: 'Tomás In A Frame' })).toHaveCount(0);
	await context.close();
}

test('a launch in the platform’s frame carries on in the frame, with a session kept for that frame only', async ({ browser, baseURL }) => {
	await launchStaysInFrame(browser, baseURL!, 'tests/.artifacts/screenshots/lti-framed.png');
});

test('a framed launch carries on in the frame with third-party cookies blocked (partitioned cookies are kept)', async ({ baseURL, launchOptions }) => {
	// Chromium's own switch for the third-party cookie phase-out: cross-site cookies are refused unless partitioned.
	const blocking = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), '--test-third-party-cookie-phaseout'] });
	try {
		await launchStaysInFrame(blocking, baseURL!);
	} finally {
		await blocking.close();
	}
});

/**
 * A browser that keeps no cookie of ours in the frame (Safari, a private window): the login's state
 * cookie is taken out of the login's answer before the browser sees it. A response the test rewrites
 * has no network address, so Chromium's local-network checks would block the pages it leads to on
 * the loopback address: this browser runs without them.
 */
async function withBrowserDroppingStateCookie(launchOptions: LaunchOptions, baseURL: string, use: (context: BrowserContext) => Promise<void>): Promise<void> {
	const browser = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), '--disable-features=LocalNetworkAccessChecks'] });
	try {
		const context = await browser.newContext();
		await context.route(`${baseURL}/lti/login`, async (route) => {
			const response = await route.fetch({ maxRedirects: 0 });
			const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => name.toLowerCase() !== 'set-cookie'));
			await route.fulfill({ response, headers });
		});
		await use(context);
	} finally {
		await browser.close();
	}
}

test('where the browser drops the state cookie, the launch reads its state back from the LMS’s storage and finishes in a new window', async ({ baseURL, launchOptions }) => {
	lms = await registeredPlatform();
	lms.users.set('sol', { sub: `sub-${uniqueSuffix()}`, name: 'Sol Without Cookies', roles: ['Learner'] });
	await withBrowserDroppingStateCookie(launchOptions, baseURL!, async (context) => {
		const page = await context.newPage();
		await openFramedCourse(page, baseURL!, 'sol', 'kept');
		const frame = page.frameLocator('iframe[title="Custodian"]');
		await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Open Custodian in a new window');
		await expect(frame.getByRole('button', { name: 'Open Custodian in a new window' })).toBeEnabled();
		await page.screenshot({ path: 'tests/.artifacts/screenshots/lti-framed-storage.png' });
		const [popup] = await Promise.all([context.waitForEvent('page'), frame.getByRole('button', { name: 'Open Custodian in a new window' }).click()]);
		await expect(popup).toHaveURL(`${baseURL}/learn`);
		await expect(popup.getByRole('link', { name: 'Sol Without Cookies' })).toBeVisible();
	});
});

test('a launch whose state is not in this browser’s storage (a login begun elsewhere) is refused, and nobody is signed in', async ({ baseURL, launchOptions, page, admin }) => {
	lms = await registeredPlatform();
	lms.users.set('mallory', { sub: `sub-${uniqueSuffix()}`, name: 'Mallory Elsewhere', roles: ['Learner'] });
	await withBrowserDroppingStateCookie(launchOptions, baseURL!, async (context) => {
		const course = await context.newPage();
		await openFramedCourse(course, baseURL!, 'mallory', 'forgetful');
		const frame = course.frameLocator('iframe[title="Custodian"]');
		await expect(frame.getByRole('alert')).toContainText('This launch was not begun in this browser');
		await expect(frame.getByRole('button', { name: 'Open Custodian in a new window' })).toBeHidden();
		// Once the platform has offered storage, a cookie-less launch that leaves it out is refused outright.
		await openFramedCourse(course, baseURL!, 'mallory');
		await expect(frame.getByRole('alert')).toContainText('did not keep this launch’s check');
		const own = await context.newPage();
		await own.goto(`${baseURL}/learn`);
		await expect(own).toHaveURL(/\/login/);

		// The administrator sees that the platform offers its storage, and can forget it (noted by mistake):
		// such a launch is then accepted on the state alone, finished in a new window.
		await logInAsOwn(page, admin, '/admin/lti');
		const row = page.getByRole('row').filter({ hasText: lms.clientId });
		await expect(row).toContainText('Offered since');
		await row.getByRole('button', { name: 'Forget its storage' }).click();
		await expect(page.getByRole('status')).toContainText('Forgotten');
		await expect(page.getByRole('row').filter({ hasText: lms.clientId })).toContainText('Not offered');
		await openFramedCourse(course, baseURL!, 'mallory');
		await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Open Custodian in a new window');
	});
});

test('where the browser drops the state cookie and the LMS offers no storage, the launch finishes in a new window with a one-time code', async ({ baseURL, launchOptions }) => {
	lms = await registeredPlatform();
	lms.users.set('ines', { sub: `sub-${uniqueSuffix()}`, name: 'Inês No Storage', roles: ['Learner'] });
	await withBrowserDroppingStateCookie(launchOptions, baseURL!, async (context) => {
		const page = await context.newPage();
		await openFramedCourse(page, baseURL!, 'ines');
		const frame = page.frameLocator('iframe[title="Custodian"]');
		await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Open Custodian in a new window');
		const [popup] = await Promise.all([context.waitForEvent('page'), frame.getByRole('button', { name: 'Open Custodian in a new window' }).click()]);
		await expect(popup).toHaveURL(`${baseURL}/learn`);
		await expect(popup.getByRole('link', { name: 'Inês No Storage' })).toBeVisible();
	});
});

test.describe('refused launches, each with a clear page', () => {
	const cases: { name: string; tamper: Parameters<StandInPlatform['tamperNext']>[0]; says: RegExp }[] = [
		{ name: 'a wrong audience', tamper: (claims) => ({ claims: { ...claims, aud: 'another-tool' } }), says: /not addressed to this tool/ },
		{ name: 'an expired token', tamper: (claims) => ({ claims: { ...claims, iat: Math.floor(Date.now() / 1000) - 900, exp: Math.floor(Date.now() / 1000) - 600 } }), says: /has expired/ },
		{ name: 'a missing kid', tamper: (claims) => ({ claims, sign: { kid: null } }), says: /does not name its signing key/ },
		{ name: 'an unknown deployment', tamper: (claims) => ({ claims: { ...claims, 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-elsewhere' } }), says: /deployment of the tool that is not registered/ }
	];
	for (const { name, tamper, says } of cases) {
		test(`refuses ${name}`, async ({ page, baseURL }) => {
			lms = await registeredPlatform();
			lms.users.set('ola', { sub: `sub-${uniqueSuffix()}`, roles: ['Learner'] });
			lms.tamperNext(tamper);
			await launchFromCourse(page, baseURL!, 'ola');
			await expect(page).toHaveURL(`${baseURL}/lti/launch`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Custodian could not start this launch');
			await expect(page.getByRole('alert')).toHaveText(says);
			await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
		});
	}

	test('refuses a replayed id_token', async ({ page, browser, baseURL }) => {
		lms = await registeredPlatform();
		lms.users.set('ola', { sub: `sub-${uniqueSuffix()}`, roles: ['Learner'] });
		await launchFromCourse(page, baseURL!, 'ola');
		await expect(page).toHaveURL(`${baseURL}/learn`);
		const attacker = await browser.newContext();
		const replay = await attacker.newPage();
		await replay.goto(`${lms.url}/replay?${new URLSearchParams({ tool: baseURL! })}`);
		await expect(replay.getByRole('heading', { level: 1 })).toHaveText('Custodian could not start this launch');
		await expect(replay.getByRole('alert')).toContainText('expired or was already used');
		await waitForHydration(replay);
		await expectNoViolations(replay);
		await replay.screenshot({ path: 'tests/.artifacts/screenshots/lti-refused.png' });
		await replay.goto('/learn');
		await expect(replay).toHaveURL(/\/login/);
		await attacker.close();
	});
});

test('cross-site form posts reach the LTI launch, and are still refused everywhere else', async ({ request }) => {
	const launch = await request.post('/lti/launch', { form: { id_token: 'x', state: 'y' }, headers: { origin: 'https://lms.example', accept: 'text/html' } });
	expect(launch.status()).toBe(400);
	expect(await launch.text()).toContain('Custodian could not start this launch');
	const login = await request.post('/login', { form: { email: 'a@b.c', password: 'x' }, headers: { origin: 'https://lms.example', accept: 'text/html' } });
	expect(login.status()).toBe(403);
	expect(await login.text()).toContain('Cross-site POST form submissions are forbidden');
	const jwks = await request.get('/lti/jwks');
	expect(jwks.status()).toBe(200);
	const body = (await jwks.json()) as { keys: Record<string, string>[] };
	expect(body.keys.length).toBeGreaterThan(0);
	expect(body.keys[0]).not.toHaveProperty('d');
});
