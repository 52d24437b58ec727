import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeEventLoopStats, type LoopStatsLine } from './event-loop-stats';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function statsFile(): string {
	const dir = mkdtempSync(join(tmpdir(), 'loop-stats-'));
	dirs.push(dir);
	return join(dir, 'loop.jsonl');
}

function linesOf(file: string): LoopStatsLine[] {
	return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoopStatsLine) : [];
}

/** Waits, letting the loop turn, until the file has `count` lines. */
async function untilLines(file: string, count: number): Promise<LoopStatsLine[]> {
	for (;;) {
		const lines = linesOf(file);
		if (lines.length >= count) return lines;
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('event-loop stats', () => {
	it('writes one line per period with the longest time the loop was held in it', async () => {
		const file = statsFile();
		const stop = writeEventLoopStats(file, 100);
		try {
			await untilLines(file, 1);
			// Holds the loop for 300 ms: the next period's line must show a delay of about that much.
			const until = Date.now() + 300;
			while (Date.now() < until) { /* holding the loop on purpose */ }
			const lines = await untilLines(file, 3);
			const held = lines.slice(1);
			expect(Math.max(...held.map((l) => l.maxMs))).toBeGreaterThanOrEqual(250);
			// (p99 is not compared with max: the histogram gives a percentile as its bucket's upper bound.)
			for (const line of lines) expect(Object.keys(line).sort()).toEqual(['maxMs', 'meanMs', 'p99Ms', 't']);
		} finally {
			stop();
		}
	});

	it('writes nothing once stopped', async () => {
		const file = statsFile();
		const stop = writeEventLoopStats(file, 20);
		await untilLines(file, 1);
		stop();
		const count = linesOf(file).length;
		await new Promise((r) => setTimeout(r, 100));
		expect(linesOf(file)).toHaveLength(count);
	});
});
