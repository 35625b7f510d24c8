/**
 * Numbers for the engine benchmark: latency summaries (nearest-rank
 * percentiles), the result row every scenario produces, and the plain-text
 * table the run prints.
 */

export interface Summary {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (q in 0..100). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summary of latency samples (any unit; the bench uses milliseconds). NaN samples are ignored. */
/** Latencies (ms) of `repeats` sequential runs of `op`, after `warmups` unmeasured ones. */
export async function timed(
  repeats: number,
  op: () => Promise<unknown>,
  warmups = 1,
): Promise<Float64Array> {
  for (let i = 0; i < warmups; i++) await op();
  const out = new Float64Array(repeats);
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await op();
    out[i] = performance.now() - t;
  }
  return out;
}

export function summarize(samples: ArrayLike<number>): Summary {
  const values = Float64Array.from(samples).filter((v) => !Number.isNaN(v));
  values.sort();
  let total = 0;
  for (const v of values) total += v;
  return {
    count: values.length,
    mean: values.length > 0 ? total / values.length : NaN,
    min: values.length > 0 ? values[0] : NaN,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length > 0 ? values[values.length - 1] : NaN,
  };
}

/** One line of the results table (and of the JSON report). */
export interface ResultRow {
  /** Engine mode the row was measured in (memory, data, process-memory, ...). */
  mode: string;
  scenario: string;
  /** Operations (or documents, see notes) per second; null when not meaningful. */
  opsPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  notes: string;
  /** Everything else worth keeping in the JSON (full summary, counts, ...). */
  detail?: Record<string, unknown>;
}

export function rowFromSummary(
  mode: string,
  scenario: string,
  opsPerSec: number | null,
  latency: Summary,
  notes: string,
  detail: Record<string, unknown> = {},
): ResultRow {
  return {
    mode,
    scenario,
    opsPerSec,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    notes,
    detail: { latencyMs: latency, ...detail },
  };
}

export function fmtNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

/** The results as an aligned text table: scenario | ops/s | p50 ms | p99 ms | notes. */
export function formatTable(rows: ResultRow[]): string {
  const header = ['scenario', 'ops/s', 'p50 ms', 'p99 ms', 'notes'];
  const cells = rows.map((row) => [
    `[${row.mode}] ${row.scenario}`,
    fmtNumber(row.opsPerSec),
    fmtMs(row.p50Ms),
    fmtMs(row.p99Ms),
    row.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const right = [false, true, true, true, false];
  const line = (values: string[]) =>
    values
      .map((v, i) =>
        i === values.length - 1 ? v : right[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]),
      )
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? 5 : w)).join('-|-');
  const out = [line(header), rule];
  let lastMode: string | undefined;
  for (let i = 0; i < rows.length; i++) {
    if (lastMode !== undefined && rows[i].mode !== lastMode) out.push(rule);
    lastMode = rows[i].mode;
    out.push(line(cells[i]));
  }
  return out.join('\n');
}

/** Deterministic PRNG (mulberry32) so runs pick the same random lookups. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
