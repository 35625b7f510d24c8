/**
 * `npm run bench:fanout`: live delivery at the size of a real meeting (issue
 * 11). In one run, for each N: Quorum (its own child process on the embedded
 * engine, or `--processes P` processes on one standalone engine), a bare
 * Socket.IO server broadcasting one payload to one room, and a naive server
 * serializing a payload per socket, each driven by the same client harness in
 * a separate process: N sockets watching one discussion (10% coordinators, 80%
 * members, 10% signed-out visitors), comments then votes at 20/s for 15 s each.
 * A benchmark, not a test: it prints tables and writes
 * bench-results/fanout-<timestamp>.json (and fanout-latest.json), and exits 0
 * whatever the numbers. See fanout/options.ts for flags; `--help` lists them.
 * The machine's load is recorded with every run: on a shared machine, read
 * tails next to it. Heap per connection is the heap's growth over the join
 * divided by N, shown also without the code V8 compiled meanwhile (its code
 * spaces' growth: paid once per process as code first runs hot, not per
 * connection, and largest where N is small).
 */
import os from 'node:os';
import { cpuPressure } from './loop-monitor.js';
import { describeEnvironment } from './report.js';
import { parseOptions, USAGE, type FanoutOptions } from './fanout/options.js';
import { runOne, type RunRecord } from './fanout/run.js';
import { summarizeRun, type RunSummary } from './fanout/stats.js';
import { commandTable, details, headline, perView, writeReport } from './fanout/report.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let options: FanoutOptions | null;
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
  const environment = describeEnvironment();
  log(
    `fan-out bench: node ${environment.node}, ${environment.cpuModel} x${environment.cpuCount}; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const summaries: RunSummary[] = [];
  const runs: Array<
    Omit<RunRecord, 'views' | 'join'> & { join: Omit<RunRecord['join'], 'watchMs'> }
  > = [];
  const failures: string[] = [];
  for (const n of options.sizes) {
    for (const kind of options.servers) {
      try {
        const record = await runOne(kind, n, options);
        const summary = summarizeRun(record);
        summaries.push(summary);
        const { views: _views, join, ...rest } = record;
        const { watchMs: _watch, ...joinRest } = join;
        runs.push({ ...rest, join: joinRest });
        log(
          `   ${kind} N=${n}: comment p99 ${summary.comments.all.p99.toFixed(0)} ms, vote p99 ${summary.votes.all.p99.toFixed(0)} ms; load ${os.loadavg()[0].toFixed(2)}`,
        );
      } catch (error) {
        failures.push(`${kind} N=${n}: ${(error as Error).message}`);
        log(`   ${kind} N=${n} FAILED: ${(error as Error).stack}`);
      }
    }
  }

  console.log('\nDelivery of comments (REST write sent -> socket receives), p99 ms\n');
  console.log(headline(summaries));
  console.log(
    '\nEvery measure per run (CPU per write: each Quorum process, + the engine when apart)\n',
  );
  console.log(details(summaries));
  console.log('\nDelivery per view, ms\n');
  console.log(perView(summaries));
  console.log(
    '\nDatabase commands per write (counted where the driver sends them, all Quorum processes)\n',
  );
  console.log(commandTable(summaries));
  const load = os.loadavg();
  if (options.history > 0)
    console.log(`\nQuorum's database held ${options.history} earlier comments and their entries`);
  console.log(
    `\nmachine: ${environment.cpuModel} x${environment.cpuCount}; load average at the end ${load.map((l) => l.toFixed(2)).join(' ')}; CPU pressure ${cpuPressure() ?? '-'}%`,
  );
  for (const failure of failures) console.log(`FAILED ${failure}`);
  if (options.outDir) {
    const file = writeReport(options.outDir, startedAt, {
      benchmark: 'fanout',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      environment,
      options,
      summaries,
      runs,
      failures,
    });
    console.log(`results: ${file}`);
  }
}

await main();
