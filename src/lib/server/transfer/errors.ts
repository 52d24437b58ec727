/**
 * Why an export or an import was refused, in words for the person running it: the commands print
 * the message alone (no stack trace) and exit 1. Anything else thrown is a bug.
 */
export class TransferError extends Error {
	override name = 'TransferError';
}
