/**
 * Test support: runs the real `mongosh` (the npm dev dependency) against an
 * engine, feeding a session script on standard input the way a person types it,
 * and collects what the script reports. A script reports with
 * `step('name', value)` (one `STEP name <EJSON>` line) and brackets shell
 * commands whose output is text, such as `show dbs`, with `begin('x')` /
 * `end('x')`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EJSON, type Document } from 'bson';

const require = createRequire(import.meta.url);

/** The mongosh entry point, run with the Node that runs the tests (20 or 24). */
export const MONGOSH = path.join(
  path.dirname(require.resolve('mongosh/package.json')),
  'bin',
  'mongosh.js',
);

/** Helpers every session script starts with. */
export const PRELUDE = [
  "const step = (name, value) => print('STEP ' + name + ' ' + EJSON.stringify(value, { relaxed: true }));",
  "const begin = (name) => print('BEGIN ' + name);",
  "const end = (name) => print('END ' + name);",
].join('\n');

export interface SessionOutput {
  /** Values reported with `step()`, by name (EJSON-decoded). */
  steps: Map<string, unknown>;
  /** The text printed between `begin(name)` and `end(name)`, by name. */
  blocks: Map<string, string>;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs mongosh against `uri` with `script` on stdin; `args` adds connection options. */
export function runMongosh(
  uri: string,
  script: string,
  args: string[] = [],
): Promise<SessionOutput> {
  const home = mkdtempSync(path.join(tmpdir(), 'quorum-mongosh-home-'));
  const child = spawn(process.execPath, [MONGOSH, '--quiet', '--norc', ...args, uri], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // mongosh keeps its history and logs under HOME; telemetry stays off in tests.
      HOME: home,
      MONGOSH_FORCE_DISABLE_TELEMETRY_FOR_TESTING: '1',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(`${PRELUDE}\n${script}\nexit\n`);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      rmSync(home, { recursive: true, force: true });
      resolve({ ...parse(stdout), stdout, stderr, code });
    });
  });
}

function parse(stdout: string): Pick<SessionOutput, 'steps' | 'blocks'> {
  const steps = new Map<string, unknown>();
  const blocks = new Map<string, string>();
  let open: { name: string; lines: string[] } | null = null;
  for (const raw of stdout.split('\n')) {
    // In a piped session mongosh prints its prompt before each line's output.
    const line = raw.replace(/^(?:\S+ \[\w+\] \S+> )+/, '').replace(/^(?:\.\.\. )+/, '');
    const stepMatch = /^STEP (\S+) (.*)$/.exec(line);
    if (stepMatch) {
      steps.set(stepMatch[1], EJSON.parse(stepMatch[2]) as unknown);
      continue;
    }
    const begin = /^BEGIN (\S+)$/.exec(line);
    if (begin) {
      open = { name: begin[1], lines: [] };
      continue;
    }
    if (open && line === `END ${open.name}`) {
      blocks.set(open.name, open.lines.join('\n'));
      open = null;
      continue;
    }
    open?.lines.push(line);
  }
  return { steps, blocks };
}

/** A reported step's value; fails clearly (with mongosh's output) when the script never reported it. */
export function stepOf<T = Document>(session: SessionOutput, name: string): T {
  if (!session.steps.has(name))
    throw new Error(
      `mongosh did not report step '${name}'.\n--- stdout\n${session.stdout}\n--- stderr\n${session.stderr}`,
    );
  return session.steps.get(name) as T;
}
