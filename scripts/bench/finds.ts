/**
 * Scenario 2, point lookups at growing collection sizes: `findOne` by `_id` and
 * by a unique secondary index (`email`), the same number of random lookups at
 * each size (sequential awaits), plus the baseline: `findOne` by an unindexed
 * field (`handle`, same cardinality), which must scan. If the indexes work, the
 * indexed latencies barely move from 10k to 100k while the scan grows ~10x.
 */
import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { rowFromSummary, seededRandom, summarize, type ResultRow, type Summary } from './stats.js';
import { userDoc } from './inserts.js';
import type { BenchOptions } from './options.js';

export type LookupKind = '_id' | 'email' | 'unindexed';

export interface LookupResult {
  size: number;
  kind: LookupKind;
  opsPerSec: number;
  latency: Summary;
}

const LOAD_BATCH = 1000;
const WARMUP = 200;
const SCAN_WARMUP = 5;

function label(size: number): string {
  return size >= 1000 && size % 1000 === 0 ? `${size / 1000}k` : String(size);
}

async function load(
  coll: Collection,
  size: number,
): Promise<{ ids: ObjectId[]; docsPerSec: number }> {
  await coll.createIndex({ email: 1 }, { unique: true });
  const ids: ObjectId[] = [];
  const start = performance.now();
  for (let first = 0; first < size; first += LOAD_BATCH) {
    const docs: Document[] = [];
    for (let i = first; i < Math.min(size, first + LOAD_BATCH); i++) {
      const _id = new ObjectId();
      ids.push(_id);
      docs.push({ _id, ...userDoc(i) });
    }
    await coll.insertMany(docs);
  }
  return { ids, docsPerSec: (size / (performance.now() - start)) * 1000 };
}

function filterFor(kind: LookupKind, i: number, ids: ObjectId[]): Document {
  if (kind === '_id') return { _id: ids[i] };
  if (kind === 'email') return { email: `user${i}@example.com` };
  return { handle: `handle${i}` };
}

/** `count` random lookups (or fewer, if `budgetMs` runs out), checking each answer. */
async function measure(
  coll: Collection,
  kind: LookupKind,
  ids: ObjectId[],
  count: number,
  seed: number,
  budgetMs = Infinity,
): Promise<{ latencies: Float64Array; elapsed: number; misses: number }> {
  const random = seededRandom(seed);
  const latencies = new Float64Array(count).fill(NaN);
  let misses = 0;
  let done = 0;
  const start = performance.now();
  for (; done < count; done++) {
    const i = Math.floor(random() * ids.length);
    const t = performance.now();
    const doc = await coll.findOne(filterFor(kind, i, ids));
    latencies[done] = performance.now() - t;
    if (!doc || doc.email !== `user${i}@example.com`) misses++;
    if (performance.now() - start > budgetMs) {
      done++;
      break;
    }
  }
  return { latencies: latencies.subarray(0, done), elapsed: performance.now() - start, misses };
}

export async function runFinds(
  db: Db,
  mode: string,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<{ rows: ResultRow[]; results: LookupResult[] }> {
  const rows: ResultRow[] = [];
  const results: LookupResult[] = [];
  for (const size of options.sizes) {
    const coll = db.collection(`users_${size}`);
    log(`  loading ${size.toLocaleString('en-US')} documents`);
    const { ids, docsPerSec } = await load(coll, size);
    const stored = await coll.estimatedDocumentCount();
    if (stored !== size) throw new Error(`expected ${size} documents, the engine has ${stored}`);
    const kinds: Array<[LookupKind, number, number]> = [
      ['_id', options.lookups, Infinity],
      ['email', options.lookups, Infinity],
      ['unindexed', options.scanLookups, options.scanBudgetMs],
    ];
    for (const [kind, count, budget] of kinds) {
      await measure(coll, kind, ids, kind === 'unindexed' ? SCAN_WARMUP : WARMUP, options.seed + 1);
      const { latencies, elapsed, misses } = await measure(
        coll,
        kind,
        ids,
        count,
        options.seed,
        budget,
      );
      const latency = summarize(latencies);
      const opsPerSec = (latencies.length / elapsed) * 1000;
      results.push({ size, kind, opsPerSec, latency });
      const what = kind === 'unindexed' ? 'find unindexed handle' : `find ${kind}`;
      const notes = [
        `${latencies.length} lookups`,
        kind === 'unindexed'
          ? 'BASELINE (collection scan)'
          : kind === 'email'
            ? 'unique index email_1'
            : '',
        kind === 'unindexed' && latencies.length < count ? `capped by ${budget} ms budget` : '',
        kind === '_id' ? `load ${Math.round(docsPerSec).toLocaleString('en-US')} docs/s` : '',
        misses > 0 ? `${misses} WRONG/MISSING` : '',
      ];
      rows.push(
        rowFromSummary(
          mode,
          `${what} @${label(size)}`,
          opsPerSec,
          latency,
          notes.filter(Boolean).join('; '),
          {
            size,
            kind,
            lookups: latencies.length,
            misses,
            elapsedMs: elapsed,
            loadDocsPerSec: docsPerSec,
          },
        ),
      );
    }
  }
  return { rows, results };
}

/** Mean-latency ratio largest/smallest size per indexed kind (1.0 = no slowdown). */
export function growthRatios(
  results: LookupResult[],
): Array<{ kind: LookupKind; from: number; to: number; ratio: number; p50Ratio: number }> {
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  if (sizes.length < 2) return [];
  const from = sizes[0];
  const to = sizes[sizes.length - 1];
  const out = [];
  for (const kind of ['_id', 'email', 'unindexed'] as const) {
    const a = results.find((r) => r.size === from && r.kind === kind);
    const b = results.find((r) => r.size === to && r.kind === kind);
    if (a && b)
      out.push({
        kind,
        from,
        to,
        ratio: b.latency.mean / a.latency.mean,
        p50Ratio: b.latency.p50 / a.latency.p50,
      });
  }
  return out;
}

export { label as sizeLabel };
