import type { z } from 'zod';
import { err, ok, type Result } from './result';

/**
 * Parses an operation's input with its zod schema. A failure becomes the typed error every core
 * operation returns for bad input: code "invalid", the path of the first issue as the field, and
 * the issue's message, e.g. { code: "invalid", field: "purposeCode", message: "Enter a purpose code" }.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return ok(parsed.data);
	const issue = parsed.error.issues[0]!;
	const field = issue.path.map(String).join('.') || undefined;
	return err('invalid', issue.message, field);
}
