// `npm run db:export -- --out FILE [--centre ORGANISATION_ID_OR_NAME] [--database PATH_OR_URL]`: the
// whole installation, or one centre, from SQLite or PostgreSQL (--database, else DATABASE_URL, else
// DATABASE_PATH) as an engine-neutral archive (README, "Moving data between databases").
// Run with tsx, so the app's own TypeScript (src/lib/server/transfer) does the work.
import { exportCommand } from '../src/lib/server/transfer/cli';

process.exit(await exportCommand(process.argv.slice(2), { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) }));
