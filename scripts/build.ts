/**
 * Builds what changed since the last build: `npm start` runs this first, so a
 * second start with nothing changed skips both builds and serves in seconds.
 * It says what it builds and why ("no earlier build", "changed since the last
 * build: web/src/App.tsx"), or that the build is up to date. `--force`
 * (`npm run build`) builds both whatever the stamps say.
 *
 *     npx tsx scripts/build.ts [--force]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshness, writeStamp, type BuildTarget } from './build/stamps.js';
import { SERVER, WEB } from './build/targets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** tsc's record for incremental builds (tsconfig.build.json). */
const INCREMENTAL_RECORD = 'dist/.build/server.tsbuildinfo';

/** The command that builds each target (the compilers' own entry points, run by this Node). */
const COMMANDS = new Map<BuildTarget, string[]>([
  [SERVER, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']],
  [
    WEB,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'error',
    ],
  ],
]);

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(args[0])} ${signal ?? `exited with ${code}`}`)),
    );
  });
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Builds the targets that need it, in parallel; answers whether every build succeeded. */
export async function buildChanged(
  options: { force?: boolean; log?: (line: string) => void } = {},
) {
  const log = options.log ?? ((line: string) => console.log(line));
  const targets = [SERVER, WEB];
  const checked = await Promise.all(targets.map((t) => freshness(ROOT, t)));
  const due = targets.flatMap((target, i) => {
    const state = checked[i];
    if (state.fresh && !options.force) return [];
    return [
      { target, fingerprint: state.fingerprint, why: state.fresh ? 'asked to' : state.reason },
    ];
  });
  if (due.length === 0) {
    log('Build up to date (nothing changed since the last one): starting without building.');
    return true;
  }
  const results = await Promise.allSettled(
    due.map(async ({ target, fingerprint, why }) => {
      log(`Building the ${target.name} (${why})…`);
      const started = performance.now();
      // tsc's incremental record would skip writing outputs it believes are there.
      if (target === SERVER && !existsSync(path.join(ROOT, SERVER.output)))
        await rm(path.join(ROOT, INCREMENTAL_RECORD), { force: true });
      await run(COMMANDS.get(target)!);
      await writeStamp(ROOT, target, fingerprint);
      log(`Built the ${target.name} in ${seconds(started)}.`);
    }),
  );
  for (const [i, result] of results.entries())
    if (result.status === 'rejected')
      console.error(`Building the ${due[i].target.name} failed: ${String(result.reason)}`);
  return results.every((r) => r.status === 'fulfilled');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildChanged({ force: process.argv.includes('--force') }).then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error('Building failed:', error);
      process.exitCode = 1;
    },
  );
}
