/**
 * A live meeting: many people post to ONE discussion at the same moment.
 * Each post takes the discussion's next timeline sequence inside a
 * transaction, so posts to one discussion contend while posts to different
 * discussions do not. This runs both over HTTP against the real app on the
 * embedded engine, in the same run:
 *   baseline  N people post at once, each to a discussion of their own;
 *   hot       N people post at once to the same discussion.
 * Prints a table and writes bench-results/hot-discussion-<timestamp>.json (and -latest.json).
 *
 *   npx tsx scripts/bench/hot-discussion.ts [--sizes 10,20,40] [--rounds 3]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTestApp } from '../../server/src/test/harness.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import { REPO_ROOT } from './target.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,20,40' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench-results' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Row {
  scenario: 'baseline' | 'hot';
  people: number;
  rounds: number;
  wallMsMedian: number;
  postP50Ms: number;
  postP95Ms: number;
  postMaxMs: number;
  failures: number;
}

async function main(): Promise<void> {
  const app = await startTestApp();
  const rows: Row[] = [];
  try {
    const maxPeople = Math.max(...sizes);
    const group = await buildGroup();
    const people = await Promise.all(Array.from({ length: maxPeople }, () => buildUser()));
    for (const person of people) await addMember(group, person);
    const tokens = people.map((p) => app.tokenFor(p));

    for (const size of sizes) {
      for (const scenario of ['baseline', 'hot'] as const) {
        const walls: number[] = [];
        const latencies: number[] = [];
        let failures = 0;
        for (let round = 0; round < rounds; round++) {
          const hot = await buildDiscussion({ group, author: people[0] });
          const own =
            scenario === 'baseline'
              ? await Promise.all(
                  Array.from({ length: size }, () => buildDiscussion({ group, author: people[0] })),
                )
              : [];
          const started = performance.now();
          await Promise.all(
            Array.from({ length: size }, async (_, i) => {
              const target = scenario === 'hot' ? hot : own[i];
              const t0 = performance.now();
              const res = await app.post(
                `/api/discussions/${String(target._id)}/comments`,
                {
                  body: `Point ${i} from the floor`,
                  clientId: `bench-${size}-${round}-${i}-${scenario}`,
                },
                { as: tokens[i] },
              );
              latencies.push(performance.now() - t0);
              if (res.status !== 201) failures++;
            }),
          );
          walls.push(performance.now() - started);
        }
        latencies.sort((a, b) => a - b);
        walls.sort((a, b) => a - b);
        rows.push({
          scenario,
          people: size,
          rounds,
          wallMsMedian: Math.round(percentile(walls, 50)),
          postP50Ms: Math.round(percentile(latencies, 50)),
          postP95Ms: Math.round(percentile(latencies, 95)),
          postMaxMs: Math.round(latencies[latencies.length - 1]),
          failures,
        });
      }
    }
  } finally {
    await app.close();
  }

  console.log('\nSimultaneous comment posts (HTTP, embedded engine in memory)\n');
  console.log('scenario  people  wall ms (median)  post p50  post p95  post max  failures');
  for (const r of rows) {
    console.log(
      `${r.scenario.padEnd(9)} ${String(r.people).padStart(6)}  ${String(r.wallMsMedian).padStart(16)}  ${String(r.postP50Ms).padStart(8)}  ${String(r.postP95Ms).padStart(8)}  ${String(r.postMaxMs).padStart(8)}  ${String(r.failures).padStart(8)}`,
    );
  }
  for (const size of sizes) {
    const base = rows.find((r) => r.scenario === 'baseline' && r.people === size);
    const hot = rows.find((r) => r.scenario === 'hot' && r.people === size);
    if (base && hot)
      console.log(
        `${size} people: hot/baseline wall ratio ${(hot.wallMsMedian / Math.max(1, base.wallMsMedian)).toFixed(2)}x`,
      );
  }
  const dir = path.resolve(REPO_ROOT, values.out);
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify({ at: new Date().toISOString(), rows }, null, 2);
  fs.writeFileSync(path.join(dir, `hot-discussion-${Date.now()}.json`), text);
  fs.writeFileSync(path.join(dir, 'hot-discussion-latest.json'), text);
}

await main();
