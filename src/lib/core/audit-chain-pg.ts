/**
 * The audit chain's head on PostgreSQL (docs/postgresql.md). On SQLite one writer at a time makes
 * "read the head, append after it" safe; on PostgreSQL two transactions could read the same head and
 * fork the chain (the unique index on (workspace_id, seq) would then refuse the second). So an
 * append first locks the workspace's row, which every appender to that workspace must take:
 *
 *   begin;                                   -- READ COMMITTED, the default
 *   <lockChainHead(workspaceId)>             -- waits while another appender's transaction is open
 *   <chainHead(workspaceId)>                 -- a fresh snapshot: sees the entry that one committed
 *   insert into audit_entry … seq = head.seq + 1, prev_hash = head.hash …
 *   commit;                                  -- releases the lock
 *
 * FOR NO KEY UPDATE, not FOR UPDATE: it does not conflict with the KEY SHARE locks that inserting
 * rows which reference the workspace take, so only appenders queue behind each other. Under
 * REPEATABLE READ or SERIALIZABLE the snapshot predates the wait, so the head read may be stale:
 * the unique index then refuses the insert (23505) or PostgreSQL reports a serialization failure
 * (40001), and the transaction helper retries; the chain never forks.
 */
import { sql, type SQL } from 'drizzle-orm';

/** Locks the workspace's chain head until the transaction ends. */
export function lockChainHead(workspaceId: string): SQL {
	return sql`select 1 from workspace where id = ${workspaceId} for no key update`;
}

/** The last entry's seq and hash (no row: an empty chain, start from GENESIS_HASH). */
export function chainHead(workspaceId: string): SQL {
	return sql`select seq, hash from audit_entry where workspace_id = ${workspaceId} order by seq desc limit 1`;
}
