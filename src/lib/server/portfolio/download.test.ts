import { dbAll } from '$lib/core/database';
import type { RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { portfolioDocument } from '$lib/server/db/assessment';
import { securityEvent } from '$lib/server/db/schema';
import { portfolioFixture, type PortfolioFixture } from './testing';
import { renderCapacity } from './capacity';
import { downloadDocument } from './download';

const ORIGIN = 'https://custodian.example';
let fixture: PortfolioFixture;
beforeAll(async () => {
	fixture = await portfolioFixture({ attempts: 2 });
}, 60_000);

function post(origin: string | null, accept = 'application/pdf, application/json'): Pick<RequestEvent, 'request' | 'url' | 'isDataRequest' | 'getClientAddress' | 'route' | 'locals'> {
	const headers = new Headers({ accept, 'content-type': 'application/x-www-form-urlencoded' });
	if (origin) headers.set('origin', origin);
	const url = new URL(`${ORIGIN}/learn/portfolio/download`);
	return {
		request: new Request(url, { method: 'POST', headers, body: '' }),
		url,
		isDataRequest: false,
		getClientAddress: () => '203.0.113.9',
		route: { id: '/(guarded)/learn/portfolio/download' },
		locals: { requestId: 'req-1' } as App.Locals
	};
}

const documentsOfLearner = async () => await dbAll(fixture.db.select().from(portfolioDocument).where(eq(portfolioDocument.learnerId, fixture.learnerId)));

describe('asking for a portfolio document', () => {
	it('issues the document, records it once, and logs the export with who asked and from where', async () => {
		const before = (await documentsOfLearner()).length;
		const response = await downloadDocument(fixture.db, post(ORIGIN), { issue: { learnerId: fixture.learnerId, kind: 'portfolio' }, issuedBy: fixture.assessorId, notFound: 'none' }, renderCapacity(2, fixture.db));
		expect(response.status).toBe(200);
		const id = response.headers.get('X-Document-Id')!;
		await response.arrayBuffer();
		expect((await documentsOfLearner()).length).toBe(before + 1);
		const events = await dbAll(fixture.db.select().from(securityEvent).where(eq(securityEvent.type, 'export.portfolio')));
		expect(events.at(-1)).toMatchObject({
			userId: fixture.learnerId,
			actorId: fixture.assessorId,
			address: '203.0.113.9',
			routeId: '/(guarded)/learn/portfolio/download',
			requestId: 'req-1',
			detail: { documentId: id, kind: 'portfolio' }
		});
	});

	it('refuses a request from another origin, or with none, and issues nothing', async () => {
		const before = (await documentsOfLearner()).length;
		for (const origin of ['https://evil.example', null]) {
			const response = await downloadDocument(fixture.db, post(origin), { issue: { learnerId: fixture.learnerId, kind: 'portfolio' }, issuedBy: fixture.learnerId, notFound: 'none' }, renderCapacity(2, fixture.db));
			expect(response.status).toBe(403);
		}
		expect((await documentsOfLearner()).length).toBe(before);
	});

	it('refuses a second render for the same user while the first is under way, with a message', async () => {
		const capacity = renderCapacity(2, fixture.db);
		const ask = () => downloadDocument(fixture.db, post(ORIGIN), { issue: { learnerId: fixture.learnerId, kind: 'portfolio' }, issuedBy: fixture.learnerId, notFound: 'none' }, capacity);
		// Asked at once: the second comes while the first is still gathering its content.
		const [first, second] = await Promise.all([ask(), ask()]);
		expect(first.status).toBe(200);
		expect(second.status).toBe(429);
		expect((await second.json()).message).toContain('still being made');
		await first.arrayBuffer();
		const third = await ask();
		expect(third.status).toBe(200);
		await third.arrayBuffer();
	});

	it('tells a user beyond the centre-wide cap when to try again', async () => {
		const capacity = renderCapacity(1, fixture.db);
		const [first, other] = await Promise.all([
			downloadDocument(fixture.db, post(ORIGIN), { issue: { learnerId: fixture.learnerId, kind: 'portfolio' }, issuedBy: fixture.learnerId, notFound: 'none' }, capacity),
			downloadDocument(fixture.db, post(ORIGIN, 'text/html'), { issue: { learnerId: fixture.learnerId, kind: 'portfolio' }, issuedBy: fixture.assessorId, notFound: 'none' }, capacity)
		]);
		expect(other.status).toBe(503);
		expect(other.headers.get('Retry-After')).toBe('5');
		expect(await other.text()).toContain('Try again in 5 seconds');
		await first.arrayBuffer();
	});

	it('frees the slot when the client gives up on the download', async () => {
		const capacity = renderCapacity(1, fixture.db);
		const response = await downloadDocument(fixture.db, post(ORIGIN), { issue: { learnerId: fixture.learnerId, kind: 'portfolio' }, issuedBy: fixture.learnerId, notFound: 'none' }, capacity);
		const reader = response.body!.getReader();
		await reader.read();
		await reader.cancel();
		await expect.poll(() => capacity.active()).toBe(0);
	});

	it('answers not found, and frees the slot, when there is nothing of the asker’s to issue', async () => {
		const capacity = renderCapacity(1, fixture.db);
		const response = await downloadDocument(fixture.db, post(ORIGIN), { issue: undefined, issuedBy: fixture.learnerId, notFound: 'There is no learner of yours at this address.' }, capacity);
		expect(response.status).toBe(404);
		expect(capacity.active()).toBe(0);
	});
});
