// `npm run db:import -- --in FILE`: an archive from db:export into DATABASE_PATH (migrated first), in one
// transaction, every audit chain and signature verified before it commits (README, "Moving data
// between databases"). Run with tsx, so the app's own TypeScript (src/lib/server/transfer) does the work.
import { importCommand } from '../src/lib/server/transfer/cli';

process.exit(await importCommand(process.argv.slice(2), { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) }));
