/**
 * `npm run bench`: throughput and latency of the embedded engine as the
 * official driver sees it. A benchmark, not a test: it prints a table and one
 * PASS/FAIL line per goal, writes bench-results/engine-<timestamp>.json (and
 * engine-latest.json), and exits 0 whatever the numbers (non-zero only if the
 * bench itself breaks). See options.ts for flags; `--help` lists them.
 *
 * Goals: indexed point lookups at 100k documents within 2x of 10k (mean
 * latency); a small transaction beside 100k documents within 2x of beside
 * 10k (mean); change-event latency (write ack -> watcher receives) p99 < 10 ms.
 */
import os from 'node:os';
import { MongoClient } from 'mongodb';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { startTarget, usesJournal, type Mode, type Target } from './target.js';
import { runInserts } from './inserts.js';
import { growthRatios, runFinds, sizeLabel } from './finds.js';
import { changeRow, runChangeVariant, type ChangeResult } from './changes.js';
import { formatTable, type ResultRow } from './stats.js';
import { describeEnvironment, writeReport } from './report.js';
import { cpuPressure } from './loop-monitor.js';
import { runInLists } from './in-lists.js';
import { runBallots } from './ballots.js';
import { runTransactions } from './transactions.js';

interface Goal {
  mode: Mode;
  goal: string;
  value: number;
  threshold: string;
  pass: boolean;
}

const LOOKUP_GROWTH_LIMIT = 2;
const CHANGE_P99_LIMIT_MS = 10;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function connect(uri: string): Promise<MongoClient> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return client;
}

interface ModeOutcome {
  rows: ResultRow[];
  goals: Goal[];
  info: string[];
  record: Record<string, unknown>;
}

async function runMode(mode: Mode, options: BenchOptions): Promise<ModeOutcome> {
  const rows: ResultRow[] = [];
  const goals: Goal[] = [];
  const info: string[] = [];
  const loadAverageStart = os.loadavg();
  const pressureStart = cpuPressure();
  const record: Record<string, unknown> = {
    mode,
    loadAverageStart,
    cpuPressureStart: pressureStart,
  };
  const started = performance.now();
  const target: Target = await startTarget(mode, options.engineNodeArgs);
  log(`== ${mode}: ${target.uri}${target.dataDir ? ` (journal in ${target.dataDir})` : ''}`);
  const clients: MongoClient[] = [];
  try {
    const client = await connect(target.uri);
    clients.push(client);
    const db = client.db('bench');

    if (options.scenarios.includes('inserts')) {
      log('  inserts');
      rows.push(...(await runInserts(db, mode, options)));
    }

    if (options.scenarios.includes('finds') && options.noFindsModes.includes(mode)) {
      info.push(
        `[${mode}] finds skipped in the default run (same read path as memory); run --mode ${mode} to include them`,
      );
    } else if (options.scenarios.includes('finds')) {
      log('  finds');
      const finds = await runFinds(db, mode, options, log);
      rows.push(...finds.rows);
      const growth = growthRatios(finds.results);
      record.lookups = finds.results;
      record.lookupGrowth = growth;
      for (const g of growth) {
        const range = `${sizeLabel(g.from)}->${sizeLabel(g.to)}`;
        const text = `find ${g.kind} latency ratio ${range}: mean ${g.ratio.toFixed(2)}x, p50 ${g.p50Ratio.toFixed(2)}x`;
        if (g.kind === 'unindexed') {
          info.push(
            `[${mode}] ${text} (BASELINE: a scan should grow ~${(g.to / g.from).toFixed(0)}x)`,
          );
          continue;
        }
        info.push(`[${mode}] ${text}`);
        goals.push({
          mode,
          goal: `indexed lookup growth ${range}, find ${g.kind} (mean latency)`,
          value: g.ratio,
          threshold: `<= ${LOOKUP_GROWTH_LIMIT}x`,
          pass: g.ratio <= LOOKUP_GROWTH_LIMIT,
        });
      }
      const largest = Math.max(...options.sizes);
      const scan = finds.results.find((r) => r.size === largest && r.kind === 'unindexed');
      for (const kind of ['_id', 'email'] as const) {
        const indexed = finds.results.find((r) => r.size === largest && r.kind === kind);
        if (scan && indexed) {
          info.push(
            `[${mode}] index speedup @${sizeLabel(largest)}: find ${kind} is ${(indexed.opsPerSec / scan.opsPerSec).toFixed(0)}x the unindexed baseline`,
          );
        }
      }
    }

    if (options.scenarios.includes('inlists')) {
      log('  $in lists');
      rows.push(...(await runInLists(db, mode, options.inSizes)));
    }

    if (options.scenarios.includes('ballots')) {
      log('  ballots of a poll');
      rows.push(...(await runBallots(db, mode, options.ballotSizes)));
    }

    if (options.scenarios.includes('transactions') && options.noFindsModes.includes(mode)) {
      info.push(
        `[${mode}] transactions skipped in the default run; run --mode ${mode} to include them`,
      );
    } else if (options.scenarios.includes('transactions')) {
      log('  transactions');
      const transactions = await runTransactions(client, db, mode, options.sizes);
      rows.push(...transactions.rows);
      record.transactions = transactions.results;
      const [smallest, largest] = [transactions.results[0], transactions.results.at(-1)!];
      if (largest.size > smallest.size) {
        const ratio = largest.latency.mean / smallest.latency.mean;
        goals.push({
          mode,
          goal: `transaction cost growth ${sizeLabel(smallest.size)}->${sizeLabel(largest.size)} documents (mean latency)`,
          value: ratio,
          threshold: `<= ${LOOKUP_GROWTH_LIMIT}x`,
          pass: ratio <= LOOKUP_GROWTH_LIMIT,
        });
      }
    }

    if (options.scenarios.includes('changes')) {
      const watcher = await connect(target.uri);
      clients.push(watcher);
      const results: ChangeResult[] = [];
      for (const variant of options.changeVariants) {
        log(`  change events: ${variant} (${options.rate}/s for ${options.durationS} s)`);
        const result = await runChangeVariant(db, watcher.db('bench'), variant, options);
        results.push(result);
        rows.push(changeRow(mode, result));
        const complete = result.received === result.writes;
        goals.push({
          mode,
          goal: `change event ${variant} p99 ack->event${complete ? '' : ` (${result.writes - result.received} events MISSING)`}`,
          value: result.latency.p99,
          threshold: `< ${CHANGE_P99_LIMIT_MS} ms`,
          pass: complete && result.latency.p99 < CHANGE_P99_LIMIT_MS,
        });
      }
      record.changes = results;
    }

    if (usesJournal(mode)) {
      const bytes = target.diskBytes();
      record.journalBytes = bytes;
      info.push(
        `[${mode}] data directory holds ${(bytes / 1048576).toFixed(1)} MiB at the end of the run`,
      );
    }
  } finally {
    for (const client of clients) await client.close();
    await target.close();
  }
  record.elapsedMs = performance.now() - started;
  record.loadAverageEnd = os.loadavg();
  const pressureEnd = cpuPressure();
  record.cpuPressureEnd = pressureEnd;
  const load = Math.max(loadAverageStart[0], os.loadavg()[0]);
  const pressure = Math.max(pressureStart ?? 0, pressureEnd ?? 0);
  if (load > os.cpus().length * 0.75 || pressure > 25) {
    const psi = pressureStart === null ? '' : `, CPU pressure ${pressure.toFixed(0)}%`;
    info.push(
      `[${mode}] WARNING: machine busy (1-min load average up to ${load.toFixed(1)} on ${os.cpus().length} CPUs${psi}): latency tails include CPU contention from other processes`,
    );
  }
  log(`   ${mode} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { rows, goals, info, record };
}

async function main(): Promise<void> {
  let options: BenchOptions | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date();
  const started = performance.now();
  const environment = describeEnvironment();
  log(
    `engine bench: node ${environment.node}, ${environment.cpuModel} x${environment.cpuCount}; modes ${options.modes.join(', ')}`,
  );

  const rows: ResultRow[] = [];
  const goals: Goal[] = [];
  const info: string[] = [];
  const modes: Array<Record<string, unknown>> = [];
  for (const mode of options.modes) {
    const outcome = await runMode(mode, options);
    rows.push(...outcome.rows);
    goals.push(...outcome.goals);
    info.push(...outcome.info);
    modes.push(outcome.record);
  }
  const elapsedMs = performance.now() - started;

  console.log('');
  console.log(formatTable(rows));
  console.log('');
  for (const line of info) console.log(line);
  console.log('');
  for (const g of goals) {
    const value = g.threshold.endsWith('x') ? `${g.value.toFixed(2)}x` : `${g.value.toFixed(2)} ms`;
    console.log(
      `${g.pass ? 'PASS' : 'FAIL'} [${g.mode}] ${g.goal}: ${value} (goal ${g.threshold})`,
    );
  }
  const failed = goals.filter((g) => !g.pass).length;
  console.log(
    `\n${goals.length - failed}/${goals.length} goals met; node ${environment.node}; ${environment.cpuModel} x${environment.cpuCount}; total ${(elapsedMs / 1000).toFixed(1)} s`,
  );

  if (options.outDir) {
    const file = writeReport(options.outDir, startedAt, {
      benchmark: 'engine',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      elapsedMs,
      environment,
      options,
      rows,
      goals,
      info,
      modes,
    });
    console.log(`results: ${file}`);
  }
}

await main();
