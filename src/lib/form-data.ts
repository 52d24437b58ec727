/**
 * Reading a posted form. Every action reads its fields through these functions, so a field is always a
 * string (a File posted where text was expected reads as ''), always bounded in length (what the
 * domain then validates is never megabytes), and a missing field never becomes the text "null".
 * Validation itself (required, formats, ranges with their messages) belongs to the service that takes
 * the values; these only make the raw input safe to hand over.
 */

/** The longest text a field keeps unless its caller says otherwise. */
export const DEFAULT_MAX = 1000;

export interface TextOptions {
	/** Characters kept; the rest is cut off (default DEFAULT_MAX). */
	max?: number;
	/** Strip surrounding white space (before the cut). */
	trim?: boolean;
}

/**
 * The request's form, or null when its body cannot be read as one: cut off at the server's size limit
 * (BODY_SIZE_LIMIT) or not a form at all. Callers answer null with a refusal (413 or 400), never a 500.
 */
export async function readForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch {
		return null;
	}
}

function bounded(value: FormDataEntryValue | null, { max = DEFAULT_MAX, trim = false }: TextOptions): string {
	if (typeof value !== 'string') return '';
	return (trim ? value.trim() : value).slice(0, max);
}

/** The field's text ('' when it is missing or is a file). */
export function text(form: FormData, name: string, options: TextOptions = {}): string {
	return bounded(form.get(name), options);
}

/** The field's text, or null when it is missing, a file, or only white space. */
export function optional(form: FormData, name: string, options: TextOptions = {}): string | null {
	const value = text(form, name, options);
	return value.trim() === '' ? null : value;
}

/** Every value posted under the name (a multi-select or checkboxes), files left out, at most `count` of them. */
export function all(form: FormData, name: string, { count = 100, ...options }: TextOptions & { count?: number } = {}): string[] {
	return form
		.getAll(name)
		.filter((value): value is string => typeof value === 'string')
		.slice(0, count)
		.map((value) => bounded(value, options));
}

/**
 * The field as a whole number within [min, max], or null when it is missing, not a whole number
 * (decimals, exponents, words) or out of bounds: the caller's refusal says which range was expected.
 */
export function int(form: FormData, name: string, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number | null {
	const value = text(form, name, { max: 20, trim: true });
	if (!/^[-+]?\d+$/.test(value)) return null;
	const n = Number(value);
	return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * The field as a number (decimals allowed) within [min, max], or null when it is missing, not a
 * finite number or out of bounds.
 */
export function number(form: FormData, name: string, { min = -Infinity, max = Infinity }: { min?: number; max?: number } = {}): number | null {
	const value = text(form, name, { max: 40, trim: true });
	if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)) return null;
	const n = Number(value);
	return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

/** Whether a checkbox was ticked: it posts `value` (the HTML default 'on', or the value its input names). */
export function checkbox(form: FormData, name: string, value = 'on'): boolean {
	return form.getAll(name).some((posted) => posted === value);
}

/** The uploaded file under the name, or null when none was chosen (an empty file input posts a nameless, empty File). */
export function file(form: FormData, name: string): File | null {
	const value = form.get(name);
	return value instanceof File && (value.size > 0 || value.name !== '') ? value : null;
}
