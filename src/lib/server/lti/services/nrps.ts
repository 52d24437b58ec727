/**
 * Names and Role Provisioning Services 2.0: the members of an LMS course, page by page (the Link
 * header's rel="next", RFC 8288), each with its status (Active, Inactive, Deleted) and roles.
 */
import { jsonBody, statusFailure } from './http';
import { serviceCall } from './token';
import type { LtiPlatform, LtiResult, NrpsClaim, OutboundOptions, ToolSigner } from './types';

export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const MEMBERSHIP_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
/** A course of 100,000 members at the platform's usual page sizes; a longer chain is refused. */
export const MAX_PAGES = 1000;

export type MemberStatus = 'Active' | 'Inactive' | 'Deleted';

export interface NrpsMember {
	userId: string;
	status: MemberStatus;
	roles: string[];
	name?: string;
	givenName?: string;
	familyName?: string;
	email?: string;
}

export interface Membership {
	context: { id: string; title?: string };
	members: NrpsMember[];
	pages: number;
}

/** The target of rel="next" in a Link header, resolved against the page's URL. */
export function nextLink(header: string | null, base: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(/,(?=\s*<)/)) {
		const match = /^\s*<([^>]*)>(.*)$/.exec(part);
		if (!match) continue;
		const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2]!);
		if (rel && rel[1]!.toLowerCase().split(/\s+/).includes('next')) {
			try {
				return new URL(match[1]!, base).toString();
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function memberOf(value: unknown): NrpsMember | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const m = value as Record<string, unknown>;
	const userId = text(m.user_id);
	if (!userId) return undefined;
	// NRPS §2.3: a member without a status is Active.
	const status = m.status === 'Inactive' || m.status === 'Deleted' ? m.status : 'Active';
	const roles = Array.isArray(m.roles) ? m.roles.filter((r): r is string => typeof r === 'string') : [];
	const member: NrpsMember = { userId, status, roles };
	if (text(m.name)) member.name = text(m.name);
	if (text(m.given_name)) member.givenName = text(m.given_name);
	if (text(m.family_name)) member.familyName = text(m.family_name);
	if (text(m.email)) member.email = text(m.email);
	return member;
}

/** Every member of the course, following rel="next" to the last page; a member listed twice counts once (the later entry wins). */
export async function fetchMemberships(platform: LtiPlatform, signer: ToolSigner, claim: NrpsClaim, options: { http?: Partial<OutboundOptions> } = {}): Promise<LtiResult<Membership>> {
	const members = new Map<string, NrpsMember>();
	let context: Membership['context'] | undefined;
	const seen = new Set<string>();
	let url: string | undefined = claim.context_memberships_url;
	let pages = 0;
	while (url) {
		if (seen.has(url) || pages >= MAX_PAGES) {
			return { ok: false, error: { code: 'lti.bad-response', message: `The platform's member list did not end after ${pages} pages.`, retryable: false } };
		}
		seen.add(url);
		const answer = await serviceCall(platform, signer, [NRPS_SCOPE], { url, method: 'GET', accept: MEMBERSHIP_TYPE }, options);
		if (!answer.ok) return answer;
		if (answer.value.status !== 200) return statusFailure('Reading the course’s members', answer.value);
		const json = jsonBody('Reading the course’s members', answer.value);
		if (!json.ok) return json;
		const page = json.value as { context?: { id?: unknown; title?: unknown }; members?: unknown };
		if (!Array.isArray(page.members)) return { ok: false, error: { code: 'lti.bad-response', message: 'The platform’s member list has no members array.', retryable: false } };
		if (!context && page.context && typeof page.context.id === 'string') context = { id: page.context.id, title: text(page.context.title) };
		for (const value of page.members) {
			const member = memberOf(value);
			if (member) members.set(member.userId, member);
		}
		pages++;
		url = nextLink(answer.value.headers.get('link'), url);
	}
	return { ok: true, value: { context: context ?? { id: '' }, members: [...members.values()], pages } };
}

const LEARNER_ROLES = new Set(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'Learner', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student']);

/** A member who takes the course as a learner (full URI, or the short name NRPS allows). */
export function isLearner(member: NrpsMember): boolean {
	return member.roles.some((r) => LEARNER_ROLES.has(r));
}
