/**
 * Uploaded bytes kept in the database (UPLOAD_STORAGE=database, uploads/database-store.ts): each
 * upload as pieces of at most 2 MB, in order, each written in the same transaction that advances
 * the upload's received_bytes, so the offset and the bytes never disagree. The pieces go with their
 * upload's row (ON DELETE CASCADE), in the same transaction.
 */
import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { upload } from './evidence';

export const uploadPiece = sqliteTable(
	'upload_piece',
	{
		uploadId: text('upload_id')
			.notNull()
			.references(() => upload.id, { onDelete: 'cascade' }),
		/** The byte of the file this piece starts at. */
		startByte: integer('start_byte').notNull(),
		/** The piece's length in bytes (kept so a file's size is known without reading its bytes). */
		byteLength: integer('byte_length').notNull(),
		bytes: blob('bytes', { mode: 'buffer' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.uploadId, t.startByte] })]
);

export type UploadPiece = typeof uploadPiece.$inferSelect;
