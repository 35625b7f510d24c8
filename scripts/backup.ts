/**
 * `npm run backup -- [DIR]`: a consistent backup of every collection of the
 * configured database (MONGODB_URI, or the embedded engine in DATA_DIR) into
 * the new directory DIR, by default backups/quorum-<UTC time>. See
 * scripts/backup/dump.ts for the format and the consistency guarantee.
 */
import path from 'node:path';
import { parseCliArgs, runWithTarget } from './backup/cli.js';
import { dumpDatabase } from './backup/dump.js';

const USAGE = `Usage: npm run backup -- [DIR]

Backs up every collection of the database (MONGODB_URI, or the embedded engine
in DATA_DIR, which must not be in use by a running server) into the new
directory DIR (default: backups/quorum-<UTC time>), as one snapshot.`;

const args = parseCliArgs(process.argv.slice(2), USAGE, false);
const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
const dir = path.resolve(args.path ?? path.join('backups', `quorum-${stamp}Z`));

await runWithTarget('backup', async (target) => {
  console.log(`Backing up ${target.description} into ${dir}`);
  const manifest = await dumpDatabase({
    client: target.client,
    dbName: target.dbName,
    dir,
    afterCollection: (name, count) => console.log(`  ${name}: ${count} documents`),
  });
  const total = manifest.collections.reduce((sum, c) => sum + c.count, 0);
  console.log(
    `Done: ${manifest.collections.length} collections, ${total} documents, as of ${manifest.createdAt.toISOString()}`,
  );
});
