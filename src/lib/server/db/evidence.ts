/**
 * Workplace evidence (issue 17 item 5): files a learner uploads from their job, and the STAR account
 * and authenticity declaration that present them to an assessor.
 *
 * An `upload` is a file as stored: received in pieces (resumable), checked by its content, kept
 * outside the web root under `storageKey` with its SHA-256. A `workplace_evidence` item gathers
 * uploads with the learner's account of them and the criteria they claim.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';

/** receiving: bytes still arriving; stored: complete and checked; refused: checked and not kept. */
export const UPLOAD_STATES = ['receiving', 'stored', 'refused'] as const;
export type UploadState = (typeof UPLOAD_STATES)[number];

/**
 * Where an upload's bytes are (uploads/storage.ts): a file under UPLOAD_DIR, or pieces in the
 * database (`upload_piece`). Each row keeps its own, so changing UPLOAD_STORAGE moves only new uploads.
 */
export const UPLOAD_STORAGE_KINDS = ['directory', 'database'] as const;
export type UploadStorageKind = (typeof UPLOAD_STORAGE_KINDS)[number];

export const upload = sqliteTable(
	'upload',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		ownerId: text('owner_id')
			.notNull()
			.references(() => user.id),
		/** The name as the browser sent it (shown escaped, never used as a path). */
		originalName: text('original_name').notNull(),
		/** A safe name for downloads and the evidence pack: no directories, no control characters. */
		fileName: text('file_name').notNull(),
		/** The media type found in the content once complete (never the one the client claimed). */
		mediaType: text('media_type'),
		/** The size announced when the upload began. */
		byteLength: integer('byte_length').notNull(),
		receivedBytes: integer('received_bytes').notNull().default(0),
		/** SHA-256 (hex) of the stored file (after location metadata was removed). */
		sha256: text('sha256'),
		/** The file's name in the upload directory (directory storage). */
		storageKey: text('storage_key').notNull(),
		/** Which storage holds the bytes (UPLOAD_STORAGE when the upload began). */
		storage: text('storage', { enum: UPLOAD_STORAGE_KINDS }).notNull().default('directory'),
		/**
		 * The request appending now (uploads/lease.ts): a random token, and when its claim lapses unless
		 * renewed, so a request on any instance that crashed mid-piece frees the upload. Both null when none.
		 */
		appendLease: text('append_lease'),
		appendLeaseUntil: text('append_lease_until'),
		state: text('state', { enum: UPLOAD_STATES }).notNull().default('receiving'),
		/** Why a file was refused, in words. */
		refusal: text('refusal').notNull().default(''),
		/** What was removed from the file (e.g. "GPS location"), in words; empty if nothing. */
		metadataRemoved: text('metadata_removed').notNull().default(''),
		createdAt: text('created_at').notNull(),
		completedAt: text('completed_at')
	},
	(t) => [index('upload_owner_idx').on(t.ownerId, t.state), index('upload_sha_idx').on(t.sha256)]
);

export const WORKPLACE_EVIDENCE_STATES = ['draft', 'submitted'] as const;
export type WorkplaceEvidenceState = (typeof WORKPLACE_EVIDENCE_STATES)[number];

/** A learner's evidence from their job: a STAR account, the files, the criteria claimed, the declaration. */
export const workplaceEvidence = sqliteTable(
	'workplace_evidence',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		title: text('title').notNull(),
		/** STAR: the situation, the task, what the learner did, and the result. */
		situation: text('situation').notNull().default(''),
		task: text('task').notNull().default(''),
		action: text('action').notNull().default(''),
		result: text('result').notNull().default(''),
		/** The criteria codes the learner claims it shows. */
		criteria: text('criteria', { mode: 'json' }).$type<string[]>().notNull(),
		/** The declaration's words as the learner confirmed them; empty until submitted. */
		declaration: text('declaration').notNull().default(''),
		declaredAt: text('declared_at'),
		state: text('state', { enum: WORKPLACE_EVIDENCE_STATES }).notNull().default('draft'),
		createdAt: text('created_at').notNull(),
		updatedAt: text('updated_at').notNull(),
		submittedAt: text('submitted_at')
	},
	(t) => [index('workplace_evidence_learner_idx').on(t.learnerId, t.state)]
);

/** The files of a piece of workplace evidence. */
export const workplaceEvidenceFile = sqliteTable(
	'workplace_evidence_file',
	{
		evidenceId: text('evidence_id')
			.notNull()
			.references(() => workplaceEvidence.id),
		uploadId: text('upload_id')
			.notNull()
			.references(() => upload.id),
		addedAt: text('added_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.evidenceId, t.uploadId] })]
);

export type Upload = typeof upload.$inferSelect;
export type WorkplaceEvidence = typeof workplaceEvidence.$inferSelect;
export type WorkplaceEvidenceFile = typeof workplaceEvidenceFile.$inferSelect;
