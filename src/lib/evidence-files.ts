/** How a workplace evidence file is shown: its size in words, and whether it is an image the page and the PDF show. */

/** JPEG and PNG: the images a browser and the portfolio PDF both show inline. */
export const SHOWN_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png'];

export function isShownImage(mediaType: string | null): boolean {
	return mediaType !== null && SHOWN_IMAGE_TYPES.includes(mediaType);
}

/** "812 bytes", "1.4 MB": sizes in SI units, as file managers show them. */
export function fileSize(bytes: number): string {
	if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
	const units = ['kB', 'MB', 'GB'];
	let value = bytes / 1000;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} ${units[unit]}`;
}
