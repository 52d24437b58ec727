/** The sections of the record system, in the order a desk works through them. */
export const PANELS = [
	{ key: 'search', label: 'Search' },
	{ key: 'record', label: 'Customer record' },
	{ key: 'identity', label: 'Identity & authority' },
	{ key: 'disclose', label: 'Disclose' },
	{ key: 'contact', label: 'Log contact' },
	{ key: 'new', label: 'New customer' },
	{ key: 'requests', label: 'Rights requests' },
	{ key: 'consent', label: 'Consent' },
	{ key: 'breaches', label: 'Breaches' }
] as const;

export type PanelKey = (typeof PANELS)[number]['key'];

export function panelKey(value: string | null): PanelKey {
	return PANELS.find((p) => p.key === value)?.key ?? 'search';
}
