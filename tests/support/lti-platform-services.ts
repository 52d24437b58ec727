/**
 * A stand-in LMS for the LTI services' tests, on 127.0.0.1: a token endpoint that verifies the tool's
 * client assertion against the tool's JWKS (fetched over HTTP, as a platform does), refuses a bad,
 * expired or replayed assertion and issues tokens for the scopes it grants; AGS line items and
 * scores; NRPS memberships in pages linked by rel="next". It records what it received (scores,
 * token requests, every request's User-Agent) for the tests to read. It can be taken down (503) and
 * brought back, and made slow to take scores.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, exportJWK, jwtVerify, type JWK } from 'jose';

export const SCOPES = {
	lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
	lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
	score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
	nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
} as const;

export interface RecordedScore {
	lineItemId: string;
	contentType: string;
	score: Record<string, unknown>;
}

export interface LineItem {
	id: string;
	label: string;
	scoreMaximum: number;
	resourceId?: string;
	resourceLinkId?: string;
	tag?: string;
}

export interface Member {
	user_id: string;
	status?: string;
	roles: string[];
	name?: string;
	given_name?: string;
	family_name?: string;
	email?: string;
}

export interface PlatformOptions {
	clientId: string;
	/** Where the tool publishes its keys. */
	toolJwksUrl: string;
	/** The scopes this platform grants the tool (the rest are left out of the token's scope). */
	grantable?: string[];
	/** The access tokens' life in seconds. */
	tokenLifetime?: number;
	/** The course's members, served over as many pages as `pageSize` makes. */
	members?: Member[];
	pageSize?: number;
}

interface IssuedToken {
	scopes: Set<string>;
	expiresAt: number;
}

export interface StandInPlatform {
	url: string;
	issuer: string;
	tokenUrl: string;
	lineItemsUrl: string;
	membershipsUrl: string;
	/** Every request's User-Agent header (null when it had none), in order. */
	userAgents: (string | null)[];
	/** Every request's method and path, in order. */
	requests: string[];
	tokenRequests: { scope: string; granted: boolean; refusal?: string }[];
	scores: RecordedScore[];
	lineItems: LineItem[];
	/** While set, every request is answered with this status (503: the platform is down). */
	answerAllWith: number | null;
	/** While set, score posts are answered with this status. */
	answerScoresWith: number | null;
	/** How long a score post waits before it is recorded and answered (a slow LMS). */
	scoreDelayMs: number;
	/** Makes every token issued so far invalid, as a platform that restarted would. */
	revokeTokens(): void;
	close(): Promise<void>;
}

async function readBody(req: IncomingMessage, limit = 100_000): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new Error('body too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
	res.end(text);
}

async function listen(server: Server): Promise<string> {
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
	server.closeAllConnections();
	await new Promise<void>((done) => server.close(() => done()));
}

/** Serves a JWKS holding the tool's public key, as the tool's own /.well-known/jwks.json would. */
export async function serveToolJwks(publicKey: CryptoKey, kid: string): Promise<{ url: string; close: () => Promise<void> }> {
	const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
	const server = createServer((_req, res) => send(res, 200, { keys: [jwk] }));
	const url = `${await listen(server)}/jwks.json`;
	return { url, close: () => close(server) };
}

export async function startStandInPlatform(options: PlatformOptions): Promise<StandInPlatform> {
	let services: StandInServices | undefined;
	const server = createServer((req, res) => {
		void services!.handle(req, res).catch((error: unknown) => send(res, 500, String(error)));
	});
	const base = await listen(server);
	services = standInServices(options, base, () => close(server));
	return services.platform;
}

export interface StandInServices {
	platform: StandInPlatform;
	/** Answers a request for the token endpoint, line items, scores or memberships. */
	handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * The services' part of a platform, to be served by another stand-in's server too (the launch
 * stand-in in tests/support/lti-platform.ts mounts it, so one LMS does launches and services).
 */
export function standInServices(options: PlatformOptions, base: string, closeServer: () => Promise<void>): StandInServices {
	const grantable = new Set(options.grantable ?? Object.values(SCOPES));
	const members = options.members ?? [];
	const pageSize = options.pageSize ?? 2;
	const toolKeys = createRemoteJWKSet(new URL(options.toolJwksUrl));
	const usedJti = new Set<string>();
	let tokens = new Map<string, IssuedToken>();
	let nextLineItem = 1;
	const platform: StandInPlatform = {
		url: base,
		issuer: base,
		tokenUrl: `${base}/token`,
		lineItemsUrl: `${base}/context/c1/lineitems`,
		membershipsUrl: `${base}/context/c1/memberships`,
		userAgents: [],
		requests: [],
		tokenRequests: [],
		scores: [],
		lineItems: [],
		answerAllWith: null,
		answerScoresWith: null,
		scoreDelayMs: 0,
		revokeTokens: () => {
			tokens = new Map();
		},
		close: closeServer
	};

	function bearer(req: IncomingMessage, res: ServerResponse, anyOf: string[]): boolean {
		const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		const issued = token ? tokens.get(token) : undefined;
		if (!issued || issued.expiresAt <= Date.now()) {
			send(res, 401, { error: 'invalid_token' });
			return false;
		}
		if (!anyOf.some((s) => issued.scopes.has(s))) {
			send(res, 403, { error: 'insufficient_scope' });
			return false;
		}
		return true;
	}

	async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const form = new URLSearchParams(await readBody(req));
		const scope = form.get('scope') ?? '';
		const refuse = (why: string) => {
			platform.tokenRequests.push({ scope, granted: false, refusal: why });
			send(res, 400, { error: 'invalid_client', error_description: why });
		};
		if (form.get('grant_type') !== 'client_credentials') return refuse('grant_type');
		if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('client_assertion_type');
		let payload;
		try {
			({ payload } = await jwtVerify(form.get('client_assertion') ?? '', toolKeys, {
				issuer: options.clientId,
				subject: options.clientId,
				audience: platform.tokenUrl,
				algorithms: ['RS256'],
				requiredClaims: ['jti', 'exp', 'iat']
			}));
		} catch (error) {
			return refuse(`assertion: ${error instanceof Error ? error.message : String(error)}`);
		}
		if (payload.exp! - payload.iat! > 300) return refuse('assertion lives longer than five minutes');
		if (usedJti.has(payload.jti!)) return refuse('assertion replayed (jti already used)');
		usedJti.add(payload.jti!);
		const granted = scope.split(' ').filter((s) => grantable.has(s));
		const access = crypto.randomUUID();
		const lifetime = options.tokenLifetime ?? 3600;
		tokens.set(access, { scopes: new Set(granted), expiresAt: Date.now() + lifetime * 1000 });
		platform.tokenRequests.push({ scope, granted: true });
		send(res, 200, { access_token: access, token_type: 'Bearer', expires_in: lifetime, scope: granted.join(' ') });
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', base);
		platform.userAgents.push(req.headers['user-agent'] ?? null);
		platform.requests.push(`${req.method} ${url.pathname}`);
		if (platform.answerAllWith !== null) return send(res, platform.answerAllWith, 'down for maintenance');
		if (url.pathname === '/token' && req.method === 'POST') return await token(req, res);
		if (url.pathname === '/context/c1/lineitems') {
			if (req.method === 'GET') {
				if (!bearer(req, res, [SCOPES.lineItem, SCOPES.lineItemReadOnly])) return;
				const tag = url.searchParams.get('tag');
				const link = url.searchParams.get('resource_link_id');
				return send(res, 200, platform.lineItems.filter((i) => (!tag || i.tag === tag) && (!link || i.resourceLinkId === link)), { 'Content-Type': 'application/vnd.ims.lis.v2.lineitemcontainer+json' });
			}
			if (req.method === 'POST') {
				if (!bearer(req, res, [SCOPES.lineItem])) return;
				if (req.headers['content-type'] !== 'application/vnd.ims.lis.v2.lineitem+json') return send(res, 415, 'line item content type expected');
				const item = JSON.parse(await readBody(req)) as Omit<LineItem, 'id'>;
				const created: LineItem = { ...item, id: `${base}/context/c1/lineitems/${nextLineItem++}` };
				platform.lineItems.push(created);
				return send(res, 201, created, { 'Content-Type': 'application/vnd.ims.lis.v2.lineitem+json' });
			}
		}
		const scores = /^\/context\/c1\/lineitems\/(\d+)\/scores$/.exec(url.pathname);
		if (scores && req.method === 'POST') {
			if (!bearer(req, res, [SCOPES.score])) return;
			if (platform.answerScoresWith !== null) return send(res, platform.answerScoresWith, 'refused');
			const contentType = req.headers['content-type'] ?? '';
			if (contentType !== 'application/vnd.ims.lis.v1.score+json') return send(res, 415, 'score content type expected');
			const lineItemId = `${base}/context/c1/lineitems/${scores[1]}`;
			if (!platform.lineItems.some((i) => i.id === lineItemId)) return send(res, 404, 'no such line item');
			if (platform.scoreDelayMs > 0) await new Promise((done) => setTimeout(done, platform.scoreDelayMs));
			platform.scores.push({ lineItemId, contentType, score: JSON.parse(await readBody(req)) as Record<string, unknown> });
			return send(res, 204, '');
		}
		if (url.pathname === '/context/c1/memberships' && req.method === 'GET') {
			if (!bearer(req, res, [SCOPES.nrps])) return;
			const page = Number(url.searchParams.get('page') ?? '1');
			const slice = members.slice((page - 1) * pageSize, page * pageSize);
			const more = page * pageSize < members.length;
			const headers: Record<string, string> = { 'Content-Type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' };
			if (more) headers.Link = `<${platform.membershipsUrl}?page=${page + 1}>; rel="next"`;
			return send(res, 200, { id: url.toString(), context: { id: 'c1', title: 'Customer Service L2' }, members: slice }, headers);
		}
		send(res, 404, 'not found');
	}

	return { platform, handle };
}
