import { fail } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Actions, PageServerLoad } from './$types';
import { file as fileOf, readForm, text } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { uploadLimitBytes, verifyFile, verifyIdAndHash } from '$lib/server/portfolio/documents';
import { looksLikeZip, verifyPack } from '$lib/server/portfolio/evidence-pack-check';
import { badgeOrigin } from '$lib/server/badges/issuer';
import { BUSY_MESSAGE, CREDENTIAL_MAX_CHARS, checkBadgeText, publicBadgeChecks } from '$lib/server/badges/verification';

/** The public check of a portfolio document: no login (hooks: not under a guarded area). */
export const load = (() => {
	const limit = uploadLimitBytes(env.BODY_SIZE_LIMIT);
	return { uploadLimit: Number.isFinite(limit) ? limit : null, badgeLimit: CREDENTIAL_MAX_CHARS };
}) satisfies PageServerLoad;

export const actions = {
	upload: async ({ request }) => {
		const form = await readForm(request);
		const limit = uploadLimitBytes(env.BODY_SIZE_LIMIT);
		if (!form) {
			// A body over the server's limit (BODY_SIZE_LIMIT) is cut off while it is read.
			return fail(413, { mode: 'upload' as const, errors: { file: `The file could not be read. If it is larger than ${Math.round(limit / 1024)} KB, enter the document id and content SHA-256 printed on it instead.` } });
		}
		const file = fileOf(form, 'file');
		if (!file || file.size === 0) {
			return fail(400, { mode: 'upload' as const, errors: { file: 'Choose the PDF or evidence pack (ZIP) you were given.' } });
		}
		if (file.size > limit) {
			return fail(413, { mode: 'upload' as const, errors: { file: `That file is larger than this server accepts (${Math.round(limit / 1024)} KB): enter the document id and content SHA-256 printed on it instead.` } });
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		// An evidence pack (a ZIP) is checked by its manifest and every file in it.
		if (looksLikeZip(bytes)) {
			const pack = await verifyPack(getDb(), bytes);
			if (pack.outcome === 'refused') return fail(422, { mode: 'upload' as const, errors: { file: pack.message }, limit: pack.limit });
			return { mode: 'upload' as const, fileName: file.name.slice(0, 200), pack };
		}
		const result = await verifyFile(getDb(), bytes);
		return { mode: 'upload' as const, fileName: file.name.slice(0, 200), result };
	},
	/** An Open Badge, pasted or uploaded as its .json file (server/badges/verification.ts). */
	badge: async ({ request }) => {
		const form = await readForm(request);
		const tooLong = `That is longer than any badge this centre issues (${CREDENTIAL_MAX_CHARS / 1024} KB at most): check it is the badge’s .json file alone.`;
		if (!form) return fail(413, { mode: 'badge' as const, credential: '', errors: { credential: tooLong } });
		const upload = fileOf(form, 'credentialFile');
		if (upload && upload.size > CREDENTIAL_MAX_CHARS) return fail(413, { mode: 'badge' as const, credential: '', errors: { credentialFile: tooLong } });
		const fromFile = upload !== null && upload.size > 0;
		const pasted = text(form, 'credential', { max: CREDENTIAL_MAX_CHARS + 1 });
		const credential = fromFile ? '' : pasted.slice(0, CREDENTIAL_MAX_CHARS);
		if (!publicBadgeChecks.take()) return fail(429, { mode: 'badge' as const, credential, errors: { [fromFile ? 'credentialFile' : 'credential']: BUSY_MESSAGE } });
		const checked = await checkBadgeText(getDb(), badgeOrigin(), fromFile ? await upload.text() : pasted);
		if (!checked.ok) return fail(400, { mode: 'badge' as const, credential, errors: { [fromFile ? 'credentialFile' : 'credential']: checked.error.message } });
		return { mode: 'badge' as const, credential, badge: checked.value };
	},
	lookup: async ({ request }) => {
		const form = (await readForm(request)) ?? new FormData();
		const values = { id: text(form, 'id', { max: 100 }), hash: text(form, 'hash', { max: 200 }) };
		const checked = await verifyIdAndHash(getDb(), values.id, values.hash);
		if (!checked.ok) return fail(400, { mode: 'lookup' as const, values, errors: { [checked.error.field]: checked.error.message } });
		return { mode: 'lookup' as const, values, result: checked.value };
	}
} satisfies Actions;
