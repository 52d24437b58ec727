import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who this process is among the app instances on one database: INSTANCE_ID when the deployment
 * names its instances (a container's name), else host:pid:random — the random part tells apart two
 * processes that reuse a pid after a restart. Recorded on the job leases and render slots it holds.
 */
let id: string | undefined;

export function instanceId(env: Record<string, string | undefined> = process.env): string {
	id ??= env.INSTANCE_ID?.trim() || `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
	return id;
}
