/**
 * An error's message for a log line, a stored job outcome or a refusal shown to a user, without the
 * values a database error carries: drizzle appends the statement's parameters to its message
 * ("Failed query: … \nparams: …"), and those are customers' and learners' data.
 */
export function errorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const cut = message.indexOf('\nparams:');
	return cut >= 0 ? `${message.slice(0, cut)} (parameters withheld)` : message;
}
