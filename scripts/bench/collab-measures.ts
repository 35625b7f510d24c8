/** What the collab bench measures of each server, and the arithmetic over it. */
import type { Kind } from './collab-peers.js';

export interface Stats {
  cpu: NodeJS.CpuUsage;
  /** heapUsed + arrayBuffers, after a full collection. */
  heap: number;
  heapUsed: number;
  external: number;
  /** The part of `external` that backs ArrayBuffers and Buffers. */
  arrayBuffers: number;
  rss: number;
  /** Database commands sent so far, by command and collection. */
  commands: Record<string, number>;
}
export interface Row {
  server: Kind;
  editors: number;
  readers: number;
  keystrokes: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerKeystroke: number;
  engineCpuUsPerKeystroke: number;
  /** The server's CPU while the same peers are connected and nobody types (ms per second). */
  idleCpuMsPerSecond: number;
  dbCommandsPerKeystroke: number;
  bytesWrittenPerKeystroke: number;
}

/** CPU (user + system) the server used between two stats, in ms. */
export const cpuMs = (from: Stats, to: Stats) =>
  (to.cpu.user + to.cpu.system - from.cpu.user - from.cpu.system) / 1000;

/** Database commands sent between two stats, per keystroke, most frequent first. */
export function commandsPer(
  before: Stats,
  after: Stats,
  keystrokes: number,
): Record<string, number> {
  const per: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.commands)) {
    const sent = count - (before.commands[name] ?? 0);
    if (sent > 0) per[name] = Number((sent / keystrokes).toFixed(2));
  }
  return Object.fromEntries(Object.entries(per).sort((a, b) => b[1] - a[1]));
}

/** The p-th percentile of sorted samples (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
