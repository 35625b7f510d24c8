/**
 * Command-line options of `npm run bench` (scripts/bench/engine.ts).
 *
 *   (no mode flag)        memory (all scenarios), then data and process-memory with
 *                         inserts and changes only (their finds run the same read code
 *                         as memory: reads never touch the journal); keeps the default
 *                         run near 2 minutes. Name a mode or --scenarios to get finds.
 *   --memory / --data     in-process engine, in memory / with the journal in a temp dir
 *   --engine-process      the selected storage (memory if none) in a child process
 *   --mode a,b            explicit list: memory,data,process-memory,process-data
 *   --scenarios a,b       inserts,finds,changes,inlists,ballots,transactions (default all)
 *   --in-sizes 1000,3000  documents = listed ids in the inlists scenario
 *   --ballot-sizes 300,1000,3000  ballots of the poll in the ballots scenario
 *   --quick               small counts, for checking the bench itself
 *   --engine-node-arg X   extra node flag for the engine child (repeatable), e.g.
 *                         --engine-node-arg=--cpu-prof --engine-node-arg=--cpu-prof-dir=/tmp/prof
 */
import { parseArgs } from 'node:util';
import { MODES, type Mode } from './target.js';

export const SCENARIOS = [
  'inserts',
  'finds',
  'changes',
  'inlists',
  'ballots',
  'transactions',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const CHANGE_VARIANTS = ['default', 'updateLookup', 'updateLookup-updates'] as const;
export type ChangeVariant = (typeof CHANGE_VARIANTS)[number];

export interface BenchOptions {
  modes: Mode[];
  scenarios: Scenario[];
  /** Modes that run only inserts and changes (the default run's secondary modes). */
  noFindsModes: Mode[];
  /** insertOne calls in the single-insert loop. */
  inserts: number;
  /** insertMany batches, and documents per batch. */
  batches: number;
  batchSize: number;
  /** Collection sizes for the lookup and transaction scenarios. */
  sizes: number[];
  /** Random lookups per indexed lookup kind and size. */
  lookups: number;
  /** Lookups by the unindexed field (the baseline), capped by scanBudgetMs. */
  scanLookups: number;
  scanBudgetMs: number;
  /** Sizes of the `$in` list scenario (documents = listed ids). */
  inSizes: number[];
  /** Sizes of the ballots scenario (votes in the poll). */
  ballotSizes: number[];
  /** Change-stream writer rate (writes/s) and duration (s). */
  rate: number;
  durationS: number;
  changeVariants: ChangeVariant[];
  seed: number;
  /** Directory for the JSON reports; null: do not write. */
  outDir: string | null;
  /** Extra node flags for the engine child process (process-* modes). */
  engineNodeArgs: string[];
}

function list<T extends string>(raw: string, allowed: readonly T[], what: string): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new Error(`unknown ${what} '${item}' (expected one of ${allowed.join(', ')})`);
    }
  }
  return items as T[];
}

function positive(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number, got '${raw}'`);
  return n;
}

export const USAGE = `usage: npm run bench -- [--memory] [--data] [--engine-process] [--mode LIST]
  [--scenarios inserts,finds,changes,inlists,ballots,transactions] [--in-sizes 1000,3000] [--ballot-sizes 300,1000,3000] [--inserts N] [--batches N] [--batch-size N]
  [--sizes 10000,100000] [--lookups N] [--scan-lookups N] [--scan-budget-ms MS]
  [--rate N] [--duration S] [--change-variants default,updateLookup,updateLookup-updates]
  [--seed N] [--out DIR] [--no-write] [--quick] [--engine-node-arg=FLAG ...]`;

export function parseOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      memory: { type: 'boolean', default: false },
      data: { type: 'boolean', default: false },
      'engine-process': { type: 'boolean', default: false },
      mode: { type: 'string' },
      scenarios: { type: 'string' },
      inserts: { type: 'string' },
      batches: { type: 'string' },
      'batch-size': { type: 'string' },
      sizes: { type: 'string' },
      lookups: { type: 'string' },
      'scan-lookups': { type: 'string' },
      'scan-budget-ms': { type: 'string' },
      'in-sizes': { type: 'string' },
      'ballot-sizes': { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'change-variants': { type: 'string', default: CHANGE_VARIANTS.join(',') },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'bench-results' },
      'no-write': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      'engine-node-arg': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;

  let modes: Mode[];
  let noFindsModes: Mode[] = [];
  if (values.mode) {
    modes = list(values.mode, MODES, 'mode');
  } else if (values.memory || values.data || values['engine-process']) {
    const storages = [...(values.memory ? ['memory'] : []), ...(values.data ? ['data'] : [])];
    if (storages.length === 0) storages.push('memory');
    modes = storages.map((s) => (values['engine-process'] ? `process-${s}` : s) as Mode);
  } else {
    modes = ['memory', 'data', 'process-memory'];
    if (values.scenarios === undefined) noFindsModes = ['data', 'process-memory'];
  }

  const q = values.quick;
  const num = (raw: string | undefined, name: string, normal: number, quick: number) =>
    raw === undefined ? (q ? quick : normal) : positive(raw, name);
  return {
    modes,
    scenarios: list(values.scenarios ?? SCENARIOS.join(','), SCENARIOS, 'scenario'),
    noFindsModes,
    inserts: num(values.inserts, 'inserts', 5000, 500),
    batches: num(values.batches, 'batches', 200, 20),
    batchSize: num(values['batch-size'], 'batch-size', 100, 100),
    sizes: values.sizes
      ? values.sizes.split(',').map((s) => positive(s, 'sizes'))
      : q
        ? [1000, 10_000]
        : [10_000, 100_000],
    lookups: num(values.lookups, 'lookups', 5000, 500),
    scanLookups: num(values['scan-lookups'], 'scan-lookups', 200, 20),
    scanBudgetMs: num(values['scan-budget-ms'], 'scan-budget-ms', 5000, 2000),
    inSizes: values['in-sizes']
      ? values['in-sizes'].split(',').map((s) => positive(s, 'in-sizes'))
      : q
        ? [300, 1000]
        : [1000, 3000],
    ballotSizes: values['ballot-sizes']
      ? values['ballot-sizes'].split(',').map((s) => positive(s, 'ballot-sizes'))
      : q
        ? [100, 300]
        : [300, 1000, 3000],
    rate: num(values.rate, 'rate', 500, 500),
    durationS: num(values.duration, 'duration', 5, 1),
    changeVariants: list(values['change-variants'], CHANGE_VARIANTS, 'change variant'),
    seed: Number(values.seed),
    outDir: values['no-write'] ? null : values.out,
    engineNodeArgs: values['engine-node-arg'],
  };
}
