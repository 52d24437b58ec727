/**
 * What the benchmarks read of the app's own process, from outside it: its memory (/proc/<pid>/status,
 * Linux) sampled while a load runs, and its event loop's delay as the server writes it with
 * CUSTODIAN_LOOP_STATS_FILE (src/lib/server/diagnostics/event-loop-stats.ts), so a figure is the
 * server's and not the load generator's.
 *
 * For the lead, from mixed-load.bench.test.ts: `const rss = sampleRss(app.instances[0].pid)` before
 * the measured run, `rss.stop()` after it: its `peakMb` is the "server memory during the load" figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { LoopStatsLine } from '../../src/lib/server/diagnostics/event-loop-stats';

/** One reading of a process's memory, in MB (2^20 bytes). */
export interface MemoryReading {
	/** Date.now() when read */
	at: number;
	/** VmRSS: resident now */
	rssMb: number;
	/** VmHWM: the most ever resident, since the process started (the kernel's peak, between samples too) */
	hwmMb: number;
}

/** The process's VmRSS and VmHWM, or undefined once it has gone (or off Linux). */
export function readMemory(pid: number): MemoryReading | undefined {
	let status: string;
	try {
		status = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined;
	}
	// The kernel gives both in kB.
	const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
	return { at: Date.now(), rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

export interface RssSampler {
	/** Every reading so far. */
	readings: MemoryReading[];
	/** The largest VmRSS read between `from` and `to` (Date.now() values; default: all of them). */
	peakMb(from?: number, to?: number): number;
	/** Stops sampling; the readings stay. */
	stop(): void;
}

/** Reads `pid`'s memory every `everyMs` (100 ms) until stopped. */
export function sampleRss(pid: number, everyMs = 100): RssSampler {
	if (!existsSync(`/proc/${pid}/status`)) throw new Error(`sampleRss: no /proc/${pid}/status (not Linux, or the process has gone)`);
	const readings: MemoryReading[] = [];
	const read = () => {
		const reading = readMemory(pid);
		if (reading) readings.push(reading);
	};
	read();
	const timer = setInterval(read, everyMs);
	return {
		readings,
		peakMb(from = -Infinity, to = Infinity) {
			const inWindow = readings.filter((r) => r.at >= from && r.at <= to);
			return inWindow.length === 0 ? NaN : Math.max(...inWindow.map((r) => r.rssMb));
		},
		stop() {
			clearInterval(timer);
			read();
		}
	};
}

/** The lines the server has written to its CUSTODIAN_LOOP_STATS_FILE so far. */
export function readLoopStats(file: string): LoopStatsLine[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoopStatsLine);
}

/**
 * The longest event-loop stall in the seconds that overlap any of `intervals` ([start, end] as
 * Date.now() values): each line covers the `everyMs` before its `t`.
 */
export function longestStall(lines: LoopStatsLine[], intervals: [number, number][], everyMs = 1_000): number {
	const overlapping = lines.filter((line) => intervals.some(([start, end]) => line.t > start && line.t - everyMs < end));
	return overlapping.length === 0 ? NaN : Math.max(...overlapping.map((line) => line.maxMs));
}
