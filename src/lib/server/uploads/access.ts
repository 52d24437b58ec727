/**
 * Who may read a stored upload (GET /uploads/[uploadId]/file): its owner; an assessor of one of
 * the owner's cohorts; the centre's IQAs and admins. Another centre's upload is never readable,
 * whoever asks; an external quality assurer while one of their open grants samples the owner.
 */
import type { Db } from '$lib/core/database';
import type { Upload } from '$lib/server/db/evidence';
import type { Role } from '$lib/server/db/schema';
import { assesses } from '$lib/server/cohort-membership';
import { eqaMayReadLearner } from '$lib/server/eqa/grants';

export interface UploadReader {
	id: string;
	organisationId: string;
	roles: readonly Role[];
}

export async function canReadUpload(db: Db, user: UploadReader, file: Pick<Upload, 'ownerId' | 'organisationId' | 'state'>): Promise<boolean> {
	if (file.state !== 'stored' || file.organisationId !== user.organisationId) return false;
	if (file.ownerId === user.id) return true;
	if (user.roles.includes('iqa') || user.roles.includes('admin')) return true;
	if (user.roles.includes('assessor') && await assesses(db, user.id, file.ownerId)) return true;
	return user.roles.includes('eqa') && await eqaMayReadLearner(db, user.id, file.ownerId);
}
