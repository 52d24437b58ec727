/**
 * Open Badges 3.0 (issue 20 item 3): the centre's issuing keys, the unit checks a sign-off asks for,
 * the badges issued and the signed status lists that say which are revoked (server/badges/).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';

/**
 * One row per centre that has issued: the next status list position to give out. Positions are
 * allocated by one UPDATE … RETURNING on this row, so two badges never share one on either engine.
 */
export const badgeIssuer = sqliteTable('badge_issuer', {
	organisationId: text('organisation_id')
		.primaryKey()
		.references(() => organisation.id),
	nextStatusIndex: integer('next_status_index').notNull().default(0),
	createdAt: text('created_at').notNull()
});

/**
 * The centre's Ed25519 keys, numbered key-1, key-2 … in the issuer's DID document. The newest
 * unretired key signs; a rotated key is retired but stays published, so what it signed still
 * verifies. The secret key never leaves the server (never in a page, a log or the DID document).
 */
export const badgeIssuerKey = sqliteTable(
	'badge_issuer_key',
	{
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		number: integer('number').notNull(),
		publicKeyMultibase: text('public_key_multibase').notNull(),
		secretKeyMultibase: text('secret_key_multibase').notNull(),
		createdAt: text('created_at').notNull(),
		/** When a rotation replaced it; null while it is the signing key. */
		retiredAt: text('retired_at'),
		retiredBy: text('retired_by').references(() => user.id)
	},
	(t) => [primaryKey({ columns: [t.organisationId, t.number] })]
);

/**
 * A learner whose coverage may just have become complete: written in the transaction of the
 * sign-off (a met decision, a countersignature, a mapped testimony, an observation), so it cannot be
 * lost; server/badges/issuing.ts reads it, issues the badge if the unit is signed off, and removes it.
 */
export const badgeCheck = sqliteTable('badge_check', {
	learnerId: text('learner_id')
		.primaryKey()
		.references(() => user.id),
	/** When the sign-off that asked for the check happened: the badge's validFrom. */
	requestedAt: text('requested_at').notNull()
});

export const BADGE_ACHIEVEMENTS = ['unit'] as const;
export type BadgeAchievement = (typeof BADGE_ACHIEVEMENTS)[number];

/**
 * A badge issued to a learner, its credential signed once. At most one unrevoked badge per learner
 * and achievement (a partial unique index, so two issuers racing on either engine cannot both win);
 * after a revocation a new sign-off issues a new badge, with a new id and status position, and the
 * revoked one stays as it is.
 */
export const badge = sqliteTable(
	'badge',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		achievement: text('achievement', { enum: BADGE_ACHIEVEMENTS }).notNull(),
		/** Its position in the centre's revocation status lists (list = index div length). */
		statusIndex: integer('status_index').notNull(),
		/** When the unit was signed off: the credential's validFrom. */
		awardedAt: text('awarded_at').notNull(),
		/** The signed OpenBadgeCredential; null until signed (just after the award). */
		credential: text('credential', { mode: 'json' }).$type<Record<string, unknown>>(),
		signedAt: text('signed_at'),
		revokedAt: text('revoked_at'),
		revokedBy: text('revoked_by').references(() => user.id),
		revocationReason: text('revocation_reason')
	},
	(t) => [
		uniqueIndex('badge_unrevoked_learner_achievement_idx').on(t.learnerId, t.achievement).where(sql`${t.revokedAt} is null`),
		uniqueIndex('badge_status_index_idx').on(t.organisationId, t.statusIndex),
		index('badge_organisation_idx').on(t.organisationId)
	]
);
export type Badge = typeof badge.$inferSelect;

/** A centre's signed BitstringStatusListCredential, one per list number, signed again on each revocation. */
export const badgeStatusList = sqliteTable(
	'badge_status_list',
	{
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		number: integer('number').notNull(),
		credential: text('credential', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
		signedAt: text('signed_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.organisationId, t.number] })]
);
