import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { SAMPLE_STATUSES, SAMPLE_STATUS_LABELS, samplesForIqa, type SampleStatus } from '$lib/server/iqa/samples';

export const load = withRole('iqa', (async ({ locals, url }) => {
	const asked = url.searchParams.get('status') ?? '';
	const status = (SAMPLE_STATUSES as readonly string[]).includes(asked) ? (asked as SampleStatus) : undefined;
	return {
		samples: await samplesForIqa(getDb(), locals.user!, status),
		status: status ?? '',
		statuses: SAMPLE_STATUSES.map((value) => ({ value, label: SAMPLE_STATUS_LABELS[value] })),
		statusLabels: SAMPLE_STATUS_LABELS
	};
}) satisfies PageServerLoad);
