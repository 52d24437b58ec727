/**
 * The kinds of file a learner may upload as workplace evidence (issue 17 item 5), as found in the
 * content, never from the name or the type the browser claimed. One entry per kind: its media
 * type, the extensions a name may keep, whether it is shown inline, and what it is called.
 * Relative imports only: a worker reads it (upload-jobs.ts).
 */
export const UPLOAD_KINDS = {
	pdf: { mediaType: 'application/pdf', extensions: ['pdf'], inline: true, label: 'PDF document' },
	jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], inline: true, label: 'JPEG photo' },
	png: { mediaType: 'image/png', extensions: ['png'], inline: true, label: 'PNG image' },
	webp: { mediaType: 'image/webp', extensions: ['webp'], inline: true, label: 'WebP image' },
	gif: { mediaType: 'image/gif', extensions: ['gif'], inline: true, label: 'GIF image' },
	heic: { mediaType: 'image/heic', extensions: ['heic', 'heif'], inline: false, label: 'HEIC photo' },
	mp3: { mediaType: 'audio/mpeg', extensions: ['mp3'], inline: false, label: 'MP3 audio' },
	m4a: { mediaType: 'audio/mp4', extensions: ['m4a'], inline: false, label: 'M4A audio' },
	wav: { mediaType: 'audio/wav', extensions: ['wav'], inline: false, label: 'WAV audio' },
	ogg: { mediaType: 'audio/ogg', extensions: ['ogg', 'oga', 'opus'], inline: false, label: 'Ogg audio' },
	mp4: { mediaType: 'video/mp4', extensions: ['mp4', 'm4v'], inline: false, label: 'MP4 video' },
	mov: { mediaType: 'video/quicktime', extensions: ['mov'], inline: false, label: 'QuickTime video' },
	webm: { mediaType: 'video/webm', extensions: ['webm'], inline: false, label: 'WebM video' },
	docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], inline: false, label: 'Word document' },
	xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], inline: false, label: 'Excel workbook' },
	pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], inline: false, label: 'PowerPoint presentation' },
	odt: { mediaType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], inline: false, label: 'OpenDocument text' },
	doc: { mediaType: 'application/msword', extensions: ['doc'], inline: false, label: 'Word 97–2003 document' },
	xls: { mediaType: 'application/vnd.ms-excel', extensions: ['xls'], inline: false, label: 'Excel 97–2003 workbook' }
} as const;

export type UploadKind = keyof typeof UPLOAD_KINDS;

export const ALLOWED_DESCRIPTION =
	'PDF; photos (JPEG, PNG, WebP, GIF); audio (MP3, M4A, WAV, Ogg); video (MP4, MOV, WebM); Word, Excel, PowerPoint and OpenDocument text files';

/** The kind whose media type this is (for a stored upload's row). */
export function kindOfMediaType(mediaType: string | null): UploadKind | undefined {
	return (Object.keys(UPLOAD_KINDS) as UploadKind[]).find((k) => UPLOAD_KINDS[k].mediaType === mediaType);
}

/** Images whose location metadata is removed before they are kept (strip.ts). */
export const STRIPPED_IMAGES = ['jpeg', 'png', 'webp', 'gif'] as const satisfies readonly UploadKind[];
export type StrippedImage = (typeof STRIPPED_IMAGES)[number];
