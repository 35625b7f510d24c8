/**
 * Whether a build is up to date with its sources. A build target names its
 * inputs (folders and files) and one output that must exist; after a build,
 * the content hash of every input is written to a stamp. The next start
 * compares: a file whose size and modification time are those of the stamp
 * keeps its hash without being read, any other is hashed again, so touching a
 * file (a `git checkout` back and forth) does not force a build, and editing
 * one does. The answer says why a build is needed, in words for the log.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface BuildTarget {
  /** For the log: "server", "web client". */
  name: string;
  /** Folders and files, relative to the root, whose content the build reads. */
  inputs: string[];
  /** Inputs the build does not read (tests, say), by path relative to the root. */
  ignore?: (relative: string) => boolean;
  /** A file the build writes, relative to the root: without it the build is missing. */
  output: string;
  /** Where the stamp is kept, relative to the root. */
  stamp: string;
}

interface FileStamp {
  size: number;
  mtimeMs: number;
  hash: string;
}

/** What was built from: each input file (relative, `/`-separated) and its content hash. */
export type Fingerprint = Record<string, FileStamp>;

export type Freshness =
  | { fresh: true; fingerprint: Fingerprint }
  | { fresh: false; fingerprint: Fingerprint; reason: string };

async function filesUnder(root: string, relative: string, out: string[]): Promise<void> {
  const full = path.join(root, relative);
  let info;
  try {
    info = await stat(full);
  } catch {
    return; // An input that does not exist has nothing to build from.
  }
  if (!info.isDirectory()) {
    out.push(relative.split(path.sep).join('/'));
    return;
  }
  for (const entry of await readdir(full, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    await filesUnder(root, path.join(relative, entry.name), out);
  }
}

async function readStamp(file: string): Promise<Fingerprint | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Fingerprint;
  } catch {
    return null;
  }
}

/** The inputs' fingerprint now, reusing the hashes of files the stamp saw unchanged. */
export async function fingerprint(
  root: string,
  target: BuildTarget,
  previous: Fingerprint | null = null,
): Promise<Fingerprint> {
  const files: string[] = [];
  for (const input of target.inputs) await filesUnder(root, input, files);
  const result: Fingerprint = {};
  for (const file of files.filter((f) => !target.ignore?.(f)).sort()) {
    const info = await stat(path.join(root, file));
    const seen = previous?.[file];
    if (seen && seen.size === info.size && seen.mtimeMs === info.mtimeMs) {
      result[file] = seen;
      continue;
    }
    const hash = createHash('sha256')
      .update(await readFile(path.join(root, file)))
      .digest('hex');
    result[file] = { size: info.size, mtimeMs: info.mtimeMs, hash };
  }
  return result;
}

/** "web/src/App.tsx", "web/src/App.tsx and 3 more". */
function some(files: string[]): string {
  return files.length === 1 ? files[0] : `${files[0]} and ${files.length - 1} more`;
}

/** Whether the target's output is there and was built from the inputs as they are now. */
export async function freshness(root: string, target: BuildTarget): Promise<Freshness> {
  const stamp = await readStamp(path.join(root, target.stamp));
  const now = await fingerprint(root, target, stamp);
  if (!existsSync(path.join(root, target.output)))
    return { fresh: false, fingerprint: now, reason: 'no earlier build' };
  if (!stamp)
    return { fresh: false, fingerprint: now, reason: 'no record of what the last build used' };
  const changed = Object.keys(now).filter((f) => stamp[f]?.hash !== now[f].hash);
  const removed = Object.keys(stamp).filter((f) => !(f in now));
  if (changed.length > 0)
    return {
      fresh: false,
      fingerprint: now,
      reason: `changed since the last build: ${some(changed)}`,
    };
  if (removed.length > 0)
    return {
      fresh: false,
      fingerprint: now,
      reason: `removed since the last build: ${some(removed)}`,
    };
  return { fresh: true, fingerprint: now };
}

/** Records what a successful build was made from. */
export async function writeStamp(
  root: string,
  target: BuildTarget,
  built: Fingerprint,
): Promise<void> {
  const file = path.join(root, target.stamp);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(built));
}
