/**
 * What the two command lines share: argument parsing, the connection, and
 * turning expected failures into one clear message and exit status 1.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../server/src/config.js';
import { DumpError } from './format.js';
import { RestoreFailed, RestoreRefused } from './load.js';
import { TargetError, openTarget, type DatabaseTarget } from './target.js';

/** Failures whose message is the whole story; anything else also prints its stack. */
const EXPECTED = [DumpError, RestoreRefused, RestoreFailed, TargetError, ConfigError];

export interface CliArgs {
  path: string | undefined;
  drop: boolean;
}

/** Parses `[PATH] [--drop] [--help]`; prints usage and exits on --help or bad arguments. */
export function parseCliArgs(argv: string[], usage: string, allowDrop: boolean): CliArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        ...(allowDrop ? { drop: { type: 'boolean', default: false } } : {}),
      },
    });
    if (values.help === true) {
      console.log(usage);
      process.exit(0);
    }
    if (positionals.length > 1) throw new Error('expected at most one path');
    return { path: positionals[0], drop: (values as { drop?: boolean }).drop === true };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * Opens the configured database, runs `work` on it, closes it (flushing the
 * embedded engine), and sets the exit status.
 */
export async function runWithTarget(
  purpose: 'backup' | 'restore',
  work: (target: DatabaseTarget) => Promise<void>,
): Promise<void> {
  let target: DatabaseTarget | undefined;
  try {
    target = await openTarget(process.env, purpose);
    await work(target);
  } catch (error) {
    const expected = EXPECTED.some((kind) => error instanceof kind);
    console.error(
      `${purpose} failed: ${expected ? (error as Error).message : String((error as Error)?.stack ?? error)}`,
    );
    process.exitCode = 1;
  } finally {
    await target?.close();
  }
}
