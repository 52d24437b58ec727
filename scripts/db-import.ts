// `npm run db:import -- --in FILE [--database PATH_OR_URL]`: an archive from db:export into SQLite or
// PostgreSQL (--database, else DATABASE_URL, else DATABASE_PATH; migrated first), in one transaction,
// every audit chain and signature verified before it commits (README, "Moving data between databases").
// Run with tsx, so the app's own TypeScript (src/lib/server/transfer) does the work.
import { importCommand } from '../src/lib/server/transfer/cli';

process.exit(await importCommand(process.argv.slice(2), { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) }));
