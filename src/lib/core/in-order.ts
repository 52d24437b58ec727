/**
 * Array methods for async callbacks, one item at a time and in order. Database work inside a
 * transaction must not interleave (an audit append reads the chain's head, then writes after it), so
 * these never run two callbacks at once, unlike Promise.all over a map.
 */
export async function mapInOrder<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Promise<R> | R): Promise<R[]> {
	const out: R[] = [];
	let index = 0;
	for (const item of items) out.push(await fn(item, index++));
	return out;
}

export async function filterInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<T[]> {
	const out: T[] = [];
	let index = 0;
	for (const item of items) if (await fn(item, index++)) out.push(item);
	return out;
}

export async function someInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<boolean> {
	let index = 0;
	for (const item of items) if (await fn(item, index++)) return true;
	return false;
}

export async function everyInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<boolean> {
	let index = 0;
	for (const item of items) if (!(await fn(item, index++))) return false;
	return true;
}

export async function findInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<T | undefined> {
	let index = 0;
	for (const item of items) if (await fn(item, index++)) return item;
	return undefined;
}

export async function forEachInOrder<T>(items: Iterable<T>, fn: (item: T, index: number) => Promise<unknown> | unknown): Promise<void> {
	let index = 0;
	for (const item of items) await fn(item, index++);
}
