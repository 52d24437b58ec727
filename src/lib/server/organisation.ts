import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '$lib/core/database';
import { organisation, type Organisation } from '$lib/server/db/schema';

export const REGIONS = [
	{ value: 'england-and-wales', label: 'England and Wales' },
	{ value: 'scotland', label: 'Scotland' },
	{ value: 'northern-ireland', label: 'Northern Ireland' }
] as const;

export const organisationSettings = z.object({
	name: z.string().trim().min(2, 'Enter the centre’s name (at least 2 characters).').max(120, 'Use at most 120 characters.'),
	region: z.enum(['england-and-wales', 'scotland', 'northern-ireland'], {
		error: 'Choose England and Wales, Scotland or Northern Ireland.'
	}),
	dpoName: z.string().trim().min(2, 'Enter the data protection officer’s name.').max(120, 'Use at most 120 characters.'),
	dpoEmail: z.email('Enter an email address like dpo@example.org.').max(254, 'Use at most 254 characters.'),
	dpoPhone: z
		.string()
		.trim()
		.max(30, 'Use at most 30 characters.')
		.regex(/^$|^[0-9 +()-]{7,30}$/, 'Enter a phone number using digits, spaces, + ( ) or -.')
});
export type OrganisationSettings = z.infer<typeof organisationSettings>;

export function getOrganisation(db: Db, id: string): Organisation | undefined {
	return db.select().from(organisation).where(eq(organisation.id, id)).get();
}

export type SettingsResult =
	| { ok: true; organisation: Organisation }
	| { ok: false; errors: Partial<Record<keyof OrganisationSettings, string>> };

export function updateOrganisationSettings(db: Db, id: string, input: unknown, now = new Date()): SettingsResult {
	const parsed = organisationSettings.safeParse(input);
	if (!parsed.success) {
		const errors: Partial<Record<keyof OrganisationSettings, string>> = {};
		for (const issue of parsed.error.issues) {
			const key = issue.path[0] as keyof OrganisationSettings | undefined;
			if (key && !errors[key]) errors[key] = issue.message;
		}
		return { ok: false, errors };
	}
	const updated = db
		.update(organisation)
		.set({ ...parsed.data, updatedAt: now.toISOString() })
		.where(eq(organisation.id, id))
		.returning()
		.get();
	if (!updated) return { ok: false, errors: { name: 'This centre no longer exists.' } };
	return { ok: true, organisation: updated };
}
