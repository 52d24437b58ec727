/**
 * The OpenBadgeCredential (Open Badges 3.0 on W3C VC 2.0) a learner receives when their unit is
 * signed off, and its eddsa-rdfc-2022 signature. The learner is named by a salted hash of their
 * e-mail (OB 3.0 IdentityObject), never by name or account: the credential says nothing about them
 * to someone who does not already know their address, and the salt, new for each credential, keeps
 * two of their badges from being linked by the hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { CRITERIA, UNIT } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { CREDENTIALS_V2, OPEN_BADGES_V3 } from './contexts';
import { badgeDocumentLoader } from './documents';
import { issuerDid, issuerSigner } from './issuer';
import { statusListUrl, statusPosition } from './status-list';

export interface BadgeFacts {
	badgeId: string;
	organisationId: string;
	centreName: string;
	email: string;
	/** When the unit was signed off. */
	awardedAt: string;
	statusIndex: number;
}

/** VC 2.0 dateTimeStamp to the second, as wallets show it. */
function toSeconds(iso: string): string {
	return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function achievementId(origin: string, organisationId: string): string {
	return `${origin}/badges/${organisationId}/achievements/unit`;
}

/** OB 3.0 §B.1.8 IdentityObject: "sha256$" and the hex SHA-256 of the identity followed by the salt. */
export function emailIdentity(email: string, salt: string) {
	const identityHash = 'sha256$' + createHash('sha256').update(email.trim().toLowerCase() + salt, 'utf8').digest('hex');
	return { type: 'IdentityObject', identityHash, identityType: 'emailAddress', hashed: true, salt };
}

/** The credential before its proof. */
export function unsignedCredential(origin: string, facts: BadgeFacts, salt = randomBytes(16).toString('hex')): Record<string, unknown> {
	const { list, position } = statusPosition(facts.statusIndex);
	const listUrl = statusListUrl(origin, facts.organisationId, list);
	return {
		'@context': [CREDENTIALS_V2, OPEN_BADGES_V3],
		id: `urn:uuid:${facts.badgeId}`,
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		name: UNIT.title,
		issuer: { id: issuerDid(origin, facts.organisationId), type: ['Profile'], name: facts.centreName, url: origin },
		validFrom: toSeconds(facts.awardedAt),
		credentialSubject: {
			type: ['AchievementSubject'],
			identifier: [emailIdentity(facts.email, salt)],
			achievement: {
				id: achievementId(origin, facts.organisationId),
				type: ['Achievement'],
				achievementType: 'Competency',
				name: UNIT.title,
				description: `${UNIT.standard}. The centre's assessors signed off every one of the unit's ${CRITERIA.length} criteria from the learner's evidence (simulated scenarios, workplace evidence, observation and witness testimony).`,
				criteria: {
					narrative: `Every criterion of the unit signed off by an assessor of the centre, each on a signed decision that counts (countersigned where a trainee assessor signed it): ${CRITERIA.map((c) => c.code).join(', ')}.`
				}
			}
		},
		credentialStatus: {
			id: `${listUrl}#${position}`,
			type: 'BitstringStatusListEntry',
			statusPurpose: 'revocation',
			statusListIndex: String(position),
			statusListCredential: listUrl
		}
	};
}

/** Signs a credential with the centre's current key (eddsa-rdfc-2022 Data Integrity proof). */
export async function signCredential(db: Db, origin: string, organisationId: string, credential: Record<string, unknown>, now = new Date()): Promise<Record<string, unknown>> {
	const suite = new DataIntegrityProof({ signer: await issuerSigner(db, origin, organisationId, now), cryptosuite, date: now });
	return await vc.issue({ credential, suite, documentLoader: badgeDocumentLoader(db, origin) });
}
