/**
 * The fan-out benchmark's tables (the issue's headline table, then every
 * measure per run, per-view latencies and Quorum's database commands per
 * write) and its JSON file, bench-results/fanout-<timestamp>.json (and
 * fanout-latest.json), in the engine bench's conventions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../target.js';
import { fmtMs, fmtNumber } from '../stats.js';
import type { RunSummary } from './stats.js';

function table(header: string[], rows: string[][], right: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => ((right[i] ?? i > 0) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

const ms = (v: number) => fmtMs(v);
const kb = (bytes: number) => fmtNumber(bytes / 1024, 1);
const mb = (bytes: number) => fmtNumber(bytes / 1048576, 1);
const list = (xs: number[], digits = 1) => xs.map((x) => fmtNumber(x, digits)).join('+');

/** The issue's table: delivery p99 of comments for each server, and Quorum over bare. */
export function headline(runs: RunSummary[]): string {
  const sizes = [...new Set(runs.map((r) => r.n))];
  const find = (kind: string, n: number) => runs.find((r) => r.kind === kind && r.n === n);
  const rows = sizes.map((n) => {
    const [q, b, v] = ['quorum', 'bare', 'naive'].map((k) => find(k, n));
    const ratio = q && b ? `${(q.comments.all.p99 / b.comments.all.p99).toFixed(1)}x` : '-';
    return [
      fmtNumber(n),
      q ? ms(q.comments.all.p99) : '-',
      b ? ms(b.comments.all.p99) : '-',
      v ? ms(v.comments.all.p99) : '-',
      ratio,
      q ? ms(q.votes.all.p99) : '-',
      b ? ms(b.votes.all.p99) : '-',
    ];
  });
  return table(
    [
      'N watching',
      'Quorum p99',
      'bare p99',
      'naive p99',
      'Quorum/bare',
      'Quorum vote p99',
      'bare vote p99',
    ],
    rows,
  );
}

/** Every measure, one row per run. */
export function details(runs: RunSummary[]): string {
  const rows = runs.map((r) => [
    `${r.kind}${r.processes > 1 ? `x${r.processes}` : ''}`,
    fmtNumber(r.n),
    `${ms(r.comments.all.p50)}/${ms(r.comments.all.p95)}/${ms(r.comments.all.p99)}/${ms(r.comments.all.max)}`,
    `${ms(r.votes.all.p50)}/${ms(r.votes.all.p99)}/${ms(r.votes.all.max)}`,
    `${r.comments.misses}/${r.comments.duplicates}`,
    `${r.votes.misses}/${r.votes.duplicates}`,
    `${fmtNumber(r.votes.pollMessagesPerSocketPerVote, 2)}/${fmtNumber(r.votes.messagesPerSocketPerVote, 2)}`,
    list(r.comments.cpuMsPerWrite) +
      (r.comments.engineCpuMsPerWrite !== null
        ? ` (+${fmtNumber(r.comments.engineCpuMsPerWrite, 1)})`
        : ''),
    list(r.votes.cpuMsPerWrite) +
      (r.votes.engineCpuMsPerWrite !== null
        ? ` (+${fmtNumber(r.votes.engineCpuMsPerWrite, 1)})`
        : ''),
    list(r.comments.commandsPerWrite),
    list(r.votes.commandsPerWrite),
    `${kb(r.heapPerConnectionBytes)}/${kb(r.heapPerConnectionBytes - r.compiledPerConnectionBytes)}/${kb(r.rssPerConnectionBytes)}`,
    `${ms(r.watch.p50)}/${ms(r.watch.p99)}`,
    `${fmtNumber(r.presenceMessages)}/${mb(r.presenceBytes)}`,
    list(r.idleCpuMsPerMinute.map((x) => x / 1000)),
    fmtNumber(Math.max(r.comments.stallMs, r.votes.stallMs, r.idleStallMs, r.joinStallMs)),
    `${fmtNumber(r.comments.clientCores, 2)}/${fmtNumber(r.votes.clientCores, 2)}`,
  ]);
  return table(
    [
      'server',
      'N',
      'comment p50/95/99/max ms',
      'vote p50/99/max ms',
      'c miss/dup',
      'v miss/dup',
      'tally/all msg/sock/vote',
      'CPU ms/comment',
      'CPU ms/vote',
      'cmds/comment',
      'cmds/vote',
      'heap/without code/RSS KB/conn',
      'watch p50/99 ms',
      'presence msgs/MB (join)',
      'idle CPU s/min',
      'max stall ms',
      'client cores c/v',
    ],
    rows,
    [false, true],
  );
}

/** Comment and vote delivery per view (Quorum runs), p50/p95/p99/max. */
export function perView(runs: RunSummary[]): string {
  const rows: string[][] = [];
  for (const r of runs) {
    for (const view of Object.keys(r.comments.byView).sort()) {
      const c = r.comments.byView[view];
      const v = r.votes.byView[view];
      rows.push([
        `${r.kind}${r.processes > 1 ? `x${r.processes}` : ''}`,
        fmtNumber(r.n),
        view,
        `${ms(c.p50)}/${ms(c.p95)}/${ms(c.p99)}/${ms(c.max)}`,
        v ? `${ms(v.p50)}/${ms(v.p95)}/${ms(v.p99)}/${ms(v.max)}` : '-',
      ]);
    }
  }
  return table(['server', 'N', 'view', 'comment p50/95/99/max', 'vote p50/95/99/max'], rows, [
    false,
    true,
    false,
  ]);
}

/** Quorum's database commands per comment and per vote, by command and collection (all processes). */
export function commandTable(runs: RunSummary[]): string {
  const out: string[] = [];
  for (const r of runs.filter((x) => x.kind === 'quorum')) {
    for (const [label, phase] of [
      ['comment', r.comments],
      ['vote', r.votes],
    ] as const) {
      const entries = Object.entries(phase.commandBreakdown)
        .filter(([, v]) => v >= 0.05)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`);
      out.push(
        `quorum${r.processes > 1 ? `x${r.processes}` : ''} N=${r.n} per ${label}: ${entries.join(', ')}`,
      );
    }
  }
  return out.join('\n');
}

export function writeReport(outDir: string, startedAt: Date, report: unknown): string {
  const dir = path.resolve(REPO_ROOT, outDir);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `fanout-${stamp}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, 'fanout-latest.json'), text);
  return file;
}
