import { describe, expect, it } from 'vitest';
import { fileSize, isShownImage } from './evidence-files';

describe('evidence files', () => {
	it('gives sizes in SI units', () => {
		expect([fileSize(1), fileSize(812), fileSize(1400), fileSize(1_400_000), fileSize(2_500_000_000)]).toEqual(['1 byte', '812 bytes', '1.4 kB', '1.4 MB', '2.5 GB']);
	});
	it('shows JPEG and PNG inline, nothing else', () => {
		expect(['image/jpeg', 'image/png', 'image/svg+xml', 'application/pdf', null].map(isShownImage)).toEqual([true, true, false, false, false]);
	});
});
