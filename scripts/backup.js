// `npm run backup -- FILE`: an online backup of the database (better-sqlite3's backup API, safe while
// the server is running and writing). Restore: stop the server, copy FILE over DATABASE_PATH (and
// delete any DATABASE_PATH-wal and -shm files left beside it), start the server.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const target = process.argv[2];
if (!target) {
	console.error('Usage: npm run backup -- FILE   (e.g. npm run backup -- backups/custodian-2026-11-24.db)');
	process.exit(2);
}
const source = process.env.DATABASE_PATH ?? 'data/custodian.db';
if (!existsSync(source)) {
	console.error(`No database at ${source} (set DATABASE_PATH).`);
	process.exit(1);
}
mkdirSync(dirname(resolve(target)), { recursive: true, mode: 0o700 });
// A backup holds everything the database does: readable by its owner only, from the first byte.
if (!existsSync(target)) closeSync(openSync(target, 'a', 0o600));
chmodSync(target, 0o600);
const db = new Database(source, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const started = Date.now();
await db.backup(target, {
	progress({ totalPages, remainingPages }) {
		process.stdout.write(`\rBacking up: ${totalPages - remainingPages}/${totalPages} pages`);
		return 200;
	}
});
db.close();
const check = new Database(target, { readonly: true });
const integrity = check.pragma('integrity_check', { simple: true });
check.close();
console.log(`\nBacked up ${source} to ${target} in ${Date.now() - started} ms; integrity check: ${integrity}`);
process.exit(integrity === 'ok' ? 0 : 1);
