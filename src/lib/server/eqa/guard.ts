/**
 * The check at the top of every load, action and download under /eqa/[accessId] (grants.ts does the
 * deciding and the logging): the grant is open, and the learner, when the route names one, is in
 * its sample. A refusal ends the request: 404 as for an address that does not exist, or 403 with the
 * day the access ended.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import type { Db } from '$lib/core/database';
import type { EqaAccess } from '$lib/server/db/eqa';
import { requestContext } from '$lib/server/security/events';
import { LEARNER_NOT_FOUND, learnerInSample, openGrant, type EqaVisitor } from './grants';

type GuardEvent = Pick<RequestEvent, 'getClientAddress' | 'route' | 'locals'> & { params: { accessId?: string } };

export interface OpenedGrant {
	grant: EqaAccess;
	centreName: string;
	cohortName: string;
	visitor: EqaVisitor;
}

export async function requireOpenGrant(db: Db, event: GuardEvent): Promise<OpenedGrant> {
	const user = event.locals.user;
	if (!user) error(401, { message: 'Log in to continue.' });
	const visitor: EqaVisitor = { id: user.id, ...requestContext(event) };
	const checked = await openGrant(db, visitor, event.params.accessId ?? '');
	if (!checked.ok) error(checked.status, { message: checked.message });
	return { grant: checked.grant, centreName: checked.centreName, cohortName: checked.cohortName, visitor };
}

export async function requireSampledLearner(db: Db, opened: OpenedGrant, learnerId: string): Promise<void> {
	if (!await learnerInSample(db, opened.visitor, opened.grant, learnerId)) error(404, { message: LEARNER_NOT_FOUND });
}
