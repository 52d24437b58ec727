/**
 * Assignment and Grade Services 2.0: finding or making a line item and posting a score to it.
 * Each call asks for a token with only the scopes it needs, and only scopes the launch's AGS claim
 * offered (https://www.imsglobal.org/spec/lti-ags/v2p0).
 */
import { jsonBody, statusFailure } from './http';
import { serviceCall } from './token';
import type { AgsClaim, LtiPlatform, LtiResult, OutboundOptions, ToolSigner } from './types';

export const AGS_SCOPES = {
	lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
	lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
	score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score'
} as const;

const LINE_ITEM_TYPE = 'application/vnd.ims.lis.v2.lineitem+json';
const LINE_ITEM_CONTAINER_TYPE = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
export const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json';

export interface LineItemWanted {
	resourceLinkId: string;
	/** "score" for the attempt's score, "assessor-decision" for the signed decision. */
	tag: string;
	label: string;
	scoreMaximum: number;
	resourceId: string;
	/** Use the launch's own line item (the one the LMS made for the link) rather than one found by tag. */
	useLaunchLineItem: boolean;
}

export const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const;
export const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const;

/** A score as AGS defines it (§3.4): the learner's `sub` as userId, the time with milliseconds and Z. */
export interface AgsScore {
	userId: string;
	scoreGiven?: number;
	scoreMaximum?: number;
	comment?: string;
	activityProgress: (typeof ACTIVITY_PROGRESS)[number];
	gradingProgress: (typeof GRADING_PROGRESS)[number];
	timestamp: string;
}

interface Call {
	platform: LtiPlatform;
	signer: ToolSigner;
	ags: AgsClaim;
	http?: Partial<OutboundOptions>;
}

function notOffered(message: string): { ok: false; error: { code: 'lti.not-offered'; message: string; retryable: false } } {
	return { ok: false, error: { code: 'lti.not-offered', message, retryable: false } };
}

/** The endpoint with a path segment added before any query (a line item URL may carry one). */
export function withPath(url: string, segment: string): string {
	const at = new URL(url);
	at.pathname = `${at.pathname.replace(/\/$/, '')}/${segment}`;
	return at.toString();
}

function lineItemsOf(value: unknown): { id: string; tag?: string; resourceLinkId?: string }[] {
	if (!Array.isArray(value)) return [];
	return value.filter((item): item is { id: string; tag?: string; resourceLinkId?: string } => typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string');
}

/** The URL of the line item to post to: the launch's, one found by resource link and tag, or a new one. */
export async function findOrCreateLineItem({ platform, signer, ags, http }: Call, wanted: LineItemWanted): Promise<LtiResult<string>> {
	if (wanted.useLaunchLineItem && ags.lineitem) return { ok: true, value: ags.lineitem };
	if (!ags.lineitems) {
		return notOffered(ags.lineitem
			? `The platform gave this link one line item only, so the ${wanted.tag} line item cannot be made.`
			: 'The platform offered no line items for this link.');
	}
	const canWrite = ags.scope.includes(AGS_SCOPES.lineItem);
	if (!canWrite && !ags.scope.includes(AGS_SCOPES.lineItemReadOnly)) return notOffered('The platform did not offer access to its line items.');
	const scopes = [canWrite ? AGS_SCOPES.lineItem : AGS_SCOPES.lineItemReadOnly];
	const search = new URL(ags.lineitems);
	search.searchParams.set('resource_link_id', wanted.resourceLinkId);
	search.searchParams.set('tag', wanted.tag);
	const listed = await serviceCall(platform, signer, scopes, { url: search.toString(), method: 'GET', accept: LINE_ITEM_CONTAINER_TYPE }, { http });
	if (!listed.ok) return listed;
	if (listed.value.status !== 200) return statusFailure('Listing the line items', listed.value);
	const json = jsonBody('Listing the line items', listed.value);
	if (!json.ok) return json;
	// A platform may ignore the filters: the tag and link are checked here again.
	const found = lineItemsOf(json.value).find((item) => item.tag === wanted.tag && (item.resourceLinkId === undefined || item.resourceLinkId === wanted.resourceLinkId));
	if (found) return { ok: true, value: found.id };
	if (!canWrite) return notOffered(`The platform has no ${wanted.tag} line item for this link and did not let us make one.`);
	const created = await serviceCall(
		platform,
		signer,
		scopes,
		{
			url: ags.lineitems,
			method: 'POST',
			accept: LINE_ITEM_TYPE,
			contentType: LINE_ITEM_TYPE,
			body: JSON.stringify({ scoreMaximum: wanted.scoreMaximum, label: wanted.label, resourceId: wanted.resourceId, tag: wanted.tag, resourceLinkId: wanted.resourceLinkId })
		},
		{ http }
	);
	if (!created.ok) return created;
	if (created.value.status !== 200 && created.value.status !== 201) return statusFailure('Making the line item', created.value);
	const item = jsonBody('Making the line item', created.value);
	if (!item.ok) return item;
	const id = (item.value as { id?: unknown }).id;
	if (typeof id !== 'string') return { ok: false, error: { code: 'lti.bad-response', message: 'The platform made the line item but gave no id for it.', retryable: false } };
	return { ok: true, value: id };
}

/** Posts the score to the line item's scores endpoint. */
export async function postScore({ platform, signer, ags, http }: Call, lineItemUrl: string, score: AgsScore): Promise<LtiResult<void>> {
	if (!ags.scope.includes(AGS_SCOPES.score)) return notOffered('The platform did not let this tool post scores.');
	const answer = await serviceCall(platform, signer, [AGS_SCOPES.score], { url: withPath(lineItemUrl, 'scores'), method: 'POST', contentType: SCORE_TYPE, body: JSON.stringify(score) }, { http });
	if (!answer.ok) return answer;
	if (answer.value.status < 200 || answer.value.status >= 300) return statusFailure('Posting the score', answer.value);
	return { ok: true, value: undefined };
}
