/**
 * The benchmark's record: machine and source description, and the JSON files
 * bench-results/engine-<timestamp>.json and bench-results/engine-latest.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './target.js';

export interface Environment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  cpuMHz: number;
  totalMemoryBytes: number;
  mongodbDriver: string | null;
  git: { commit: string | null; engineFilesChanged: number | null };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function driverVersion(): string | null {
  try {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'node_modules/mongodb/package.json'), 'utf8'),
    ) as { version?: string };
    return pkg.version ?? null;
  } catch {
    return null;
  }
}

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain', '--', 'server/src/engine']);
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    cpuMHz: cpus[0]?.speed ?? 0,
    totalMemoryBytes: os.totalmem(),
    mongodbDriver: driverVersion(),
    git: {
      commit: git(['rev-parse', 'HEAD']),
      engineFilesChanged: status === null ? null : status.split('\n').filter(Boolean).length,
    },
  };
}

/** Writes the report twice (timestamped and latest); returns the timestamped path. */
export function writeReport(outDir: string, startedAt: Date, report: unknown): string {
  const dir = path.resolve(REPO_ROOT, outDir);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `engine-${stamp}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, 'engine-latest.json'), text);
  return file;
}
