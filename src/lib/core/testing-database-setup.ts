// vitest setupFiles of the PostgreSQL run: after each test file, the test databases it left open are
// closed and dropped (testing-database.ts), so pools and databases do not pile up over the run.
import { afterAll } from 'vitest';
import { closeTestDatabases } from './testing-database';

afterAll(closeTestDatabases);
