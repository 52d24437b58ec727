/**
 * Secrets at rest (README, "Secrets at rest"): envelope encryption of the few columns whose values
 * would let a copy of the database act as the centre (LTI and badge signing keys, the LRS password,
 * the users' TOTP keys). The key-encryption key comes from the environment, SECRETS_KEY (32 random
 * bytes, base64), never from the database, so a backup or a stolen disk holds only ciphertext.
 *
 * A value is stored as text `enc:v1:<key id>:<iv>:<ciphertext and tag>` (AES-256-GCM, a fresh
 * 96-bit IV each time, base64url); the key id is the first 8 hex characters of the key's SHA-256,
 * so a value names the key it needs. The associated data is the value's place (table, column, row),
 * so a ciphertext copied into another row or column does not decrypt. SECRETS_KEY_PREVIOUS
 * (comma-separated) keeps older keys readable during a rotation; secret-columns.ts re-encrypts at
 * start. Without SECRETS_KEY values are written and read in clear, as before this existed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

type Env = Record<string, string | undefined>;

/** Where a value lives: what its associated data binds it to. */
export interface SecretPlace {
	table: string;
	column: string;
	/** The row's key (its primary key's values, joined by the caller in one fixed order). */
	row: string;
}

interface Key {
	id: string;
	bytes: Buffer;
}

interface Keyring {
	current: Key;
	/** Every key that may read, the current one included, by key id. */
	readable: Map<string, Key>;
}

/** A stored value this installation cannot read: its key is not configured, or it was altered or moved. */
export class SecretUnreadableError extends Error {
	constructor(
		readonly reason: 'unknown-key' | 'altered',
		readonly place: SecretPlace,
		message: string
	) {
		super(message);
		this.name = 'SecretUnreadableError';
	}
}

const MAKE_ONE = 'make one with: openssl rand -base64 32';
const ENCRYPTED = /^enc:v1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

/** The key id a value names: the first 8 hex characters of the key's SHA-256. */
function keyIdOf(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

function parseKey(text: string, setting: string): Key {
	const trimmed = text.trim();
	const bytes = Buffer.from(trimmed, 'base64');
	// Buffer.from skips what is not base64; encoding back again catches a typo or a truncated paste.
	if (bytes.length !== 32 || bytes.toString('base64') !== trimmed) {
		throw new Error(`${setting} is not 32 random bytes in base64 (${MAKE_ONE})`);
	}
	return { id: keyIdOf(bytes), bytes };
}

let cached: { source: string; keyring: Keyring | null } | undefined;

/**
 * The keys SECRETS_KEY and SECRETS_KEY_PREVIOUS give, or null when SECRETS_KEY is not set (values
 * in clear). A setting that is not base64 of 32 bytes throws, naming it, so the start stops.
 */
export function secretsKeyring(env: Env = process.env): Keyring | null {
	const source = `${env.SECRETS_KEY ?? ''}\n${env.SECRETS_KEY_PREVIOUS ?? ''}`;
	if (cached?.source === source) return cached.keyring;
	const currentText = env.SECRETS_KEY?.trim() ?? '';
	const previousTexts = (env.SECRETS_KEY_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
	let keyring: Keyring | null = null;
	if (currentText === '') {
		if (previousTexts.length > 0) throw new Error(`SECRETS_KEY_PREVIOUS is set but SECRETS_KEY is not: set SECRETS_KEY to the new key (${MAKE_ONE})`);
	} else {
		const current = parseKey(currentText, 'SECRETS_KEY');
		const readable = new Map([[current.id, current]]);
		previousTexts.forEach((text, i) => {
			const key = parseKey(text, `SECRETS_KEY_PREVIOUS (key ${i + 1})`);
			if (!readable.has(key.id)) readable.set(key.id, key);
		});
		keyring = { current, readable };
	}
	cached = { source, keyring };
	return keyring;
}

/** Whether new values are encrypted (SECRETS_KEY set), and under which key id. */
export function secretsStatus(env: Env = process.env): { encrypted: false } | { encrypted: true; keyId: string; previousKeys: number } {
	const keyring = secretsKeyring(env);
	return keyring ? { encrypted: true, keyId: keyring.current.id, previousKeys: keyring.readable.size - 1 } : { encrypted: false };
}

function associatedData(place: SecretPlace): Buffer {
	return Buffer.from(JSON.stringify(['custodian-secret-v1', place.table, place.column, place.row]), 'utf8');
}

/** Whether a stored value is in the encrypted form (under any key). */
export function isSealed(stored: string): boolean {
	return ENCRYPTED.test(stored);
}

/** The key id an encrypted value names, or null for a value in clear. */
export function sealedKeyId(stored: string): string | null {
	return ENCRYPTED.exec(stored)?.[1] ?? null;
}

/** The value as it is to be stored at `place`: encrypted under SECRETS_KEY, or in clear without it. */
export function sealSecret(value: string, place: SecretPlace, env: Env = process.env): string {
	const keyring = secretsKeyring(env);
	if (!keyring) return value;
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keyring.current.bytes, iv);
	cipher.setAAD(associatedData(place));
	const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
	return `enc:v1:${keyring.current.id}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

/**
 * The value stored at `place`, decrypted (a value in clear is returned as it is). Throws
 * SecretUnreadableError when its key is not configured, or it does not decrypt at this place.
 */
export function openSecret(stored: string, place: SecretPlace, env: Env = process.env): string {
	const parts = ENCRYPTED.exec(stored);
	if (!parts) return stored;
	const [, keyId = '', ivText = '', sealedText = ''] = parts;
	const key = secretsKeyring(env)?.readable.get(keyId);
	const where = `${place.table}.${place.column}`;
	if (!key) {
		throw new SecretUnreadableError('unknown-key', place, `A secret in ${where} is encrypted under key ${keyId}, which neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds: set SECRETS_KEY (or add the old key to SECRETS_KEY_PREVIOUS)`);
	}
	const sealed = Buffer.from(sealedText, 'base64url');
	try {
		const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(ivText, 'base64url'));
		decipher.setAAD(associatedData(place));
		decipher.setAuthTag(sealed.subarray(sealed.length - 16));
		return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
	} catch {
		throw new SecretUnreadableError('altered', place, `A secret in ${where} does not decrypt under key ${keyId}: it was altered, or copied from another row`);
	}
}

/** Whether a stored value needs re-encrypting under SECRETS_KEY (in clear, or under a previous key). */
export function needsResealing(stored: string, env: Env = process.env): boolean {
	const keyring = secretsKeyring(env);
	if (!keyring) return false;
	return sealedKeyId(stored) !== keyring.current.id;
}
