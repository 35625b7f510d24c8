import { expect } from 'chai';
import { Query } from 'mingo';
import { Long, ObjectId } from 'bson';
import { idKeyOf } from './bson-order.js';
import { choosePlan, idCandidates, planCandidates } from './planner.js';
import { SecondaryIndex, type IndexSpec } from './secondary-index.js';

type Doc = Record<string, unknown>;

/** A small deterministic PRNG so the data set is the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const rand = prng(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const base = new Date('2024-01-01T00:00:00Z').getTime();

const docs = new Map<string, Doc>();
for (let i = 0; i < 400; i++) {
  const doc: Doc = {
    _id: i,
    a: pick([1, 2, 3, 4, 'x', null, undefined]),
    b: pick(['p', 'q', 'r']),
    c: Math.floor(rand() * 20),
  };
  if (doc.a === undefined) delete doc.a;
  if (rand() < 0.5)
    doc.tags = Array.from({ length: Math.floor(rand() * 3) }, () => pick(['red', 'green', 'blue']));
  if (rand() < 0.3) doc.s = pick([1, 2, null]);
  if (rand() < 0.5) doc.p = pick([1, 2, 3]);
  doc.at = new Date(base + Math.floor(rand() * 100) * 1000);
  doc.sub = { k: pick([1, 2]) };
  docs.set(idKeyOf(doc._id), doc);
}

const specs: IndexSpec[] = [
  { name: 'a_1', key: { a: 1 } },
  { name: 'b_1_c_-1', key: { b: 1, c: -1 } },
  { name: 'tags_1', key: { tags: 1 } },
  { name: 's_1', key: { s: 1 }, sparse: true },
  { name: 'p_1', key: { p: 1 }, partialFilterExpression: { p: { $gte: 2 } } },
  { name: 'at_-1', key: { at: -1 } },
  { name: 'sub.k_1', key: { 'sub.k': 1 } },
  { name: 'text', key: { b: 'text' } },
];
const indexes = specs.map((spec) => {
  const index = new SecondaryIndex(spec);
  for (const [id, doc] of docs) index.add(id, doc);
  return index;
});

function scan(filter: Doc): string[] {
  const q = new Query(filter);
  return [...docs]
    .filter(([, d]) => q.test(d))
    .map(([id]) => id)
    .sort();
}

function viaPlan(filter: Doc): string[] | null {
  const candidates = planCandidates(filter, indexes, (id) => docs.has(id));
  if (!candidates) return null;
  const q = new Query(filter);
  return [...candidates].filter((id) => q.test(docs.get(id)!)).sort();
}

describe('planner', () => {
  describe('idCandidates', () => {
    it('pins _id by equality and $in, also inside $and', () => {
      const oid = new ObjectId();
      expect(idCandidates({ _id: 1 })).to.deep.equal([idKeyOf(1)]);
      expect(idCandidates({ _id: { $eq: oid } })).to.deep.equal([idKeyOf(oid)]);
      expect(idCandidates({ _id: { $in: [1, Long.fromNumber(1), 2] } })).to.deep.equal([
        idKeyOf(1),
        idKeyOf(2),
      ]);
      expect(idCandidates({ $and: [{ x: 1 }, { _id: 'a' }] })).to.deep.equal([idKeyOf('a')]);
      expect(idCandidates({ _id: { $gt: 1 } })).to.equal(null);
      expect(idCandidates({ _id: /a/ })).to.equal(null);
      expect(idCandidates({ $or: [{ _id: 1 }, { _id: 2 }] })).to.equal(null);
    });

    it('is used first and can drop unknown ids', () => {
      expect(choosePlan({ _id: 3, a: 1 }, indexes)?.kind).to.equal('id');
      expect(viaPlan({ _id: { $in: [3, 5, 9999] } })).to.deep.equal(
        scan({ _id: { $in: [3, 5, 9999] } }),
      );
      expect([...planCandidates({ _id: 9999 }, indexes, (id) => docs.has(id))!]).to.deep.equal([]);
    });
  });

  const planned: Array<[string, Doc, string]> = [
    ['equality', { a: 2 }, 'a_1'],
    ['equality with $eq and extra conditions', { a: { $eq: 3 }, c: { $gt: 4 } }, 'a_1'],
    ['null equality (missing counts)', { a: null }, 'a_1'],
    ['string equality', { a: 'x' }, 'a_1'],
    ['$in', { a: { $in: [1, 'x', null] } }, 'a_1'],
    ['compound full prefix', { b: 'q', c: 7 }, 'b_1_c_-1'],
    ['compound first field', { b: 'r' }, 'b_1_c_-1'],
    ['compound equality then $in', { b: 'q', c: { $in: [1, 7, 12, 99] } }, 'b_1_c_-1'],
    ['range on a number', { a: { $gt: 1, $lte: 3 } }, 'a_1'],
    [
      'range on a descending date',
      { at: { $gte: new Date(base + 30000), $lt: new Date(base + 60000) } },
      'at_-1',
    ],
    ['multikey equality', { tags: 'red' }, 'tags_1'],
    ['multikey $in', { tags: { $in: ['red', 'blue'] } }, 'tags_1'],
    ['multikey range', { tags: { $gt: 'blue', $lt: 'red' } }, 'tags_1'],
    ['sparse non-null equality', { s: 1 }, 's_1'],
    ['dotted path', { 'sub.k': 2 }, 'sub.k_1'],
    ['top-level $and', { $and: [{ b: 'p' }, { c: { $lt: 10 } }] }, 'b_1_c_-1'],
    ['partial index implied by the query', { p: 3 }, 'p_1'],
    ['partial index with the same condition', { p: { $gte: 2 } }, 'p_1'],
    ['partial index implied by $eq', { $and: [{ p: { $eq: 2 } }, { c: { $gte: 0 } }] }, 'p_1'],
  ];
  for (const [what, filter, indexName] of planned) {
    it(`uses an index for ${what} and finds exactly the matching documents`, () => {
      expect(choosePlan(filter, indexes)?.index?.name).to.equal(indexName);
      const expected = scan(filter);
      expect(expected).to.not.be.empty;
      const got = viaPlan(filter);
      expect(got).to.deep.equal(expected);
      expect(planCandidates(filter, indexes)!.size).to.be.below(docs.size);
    });
  }

  const unplanned: Array<[string, Doc]> = [
    ['an unindexed field', { zz: 1 }],
    ['a regex', { a: /x/ }],
    ['an array equality', { tags: ['red'] }],
    ['$or', { $or: [{ a: 1 }, { a: 2 }] }],
    ['null on a sparse index', { s: null }],
    ['a partial index the query does not imply', { p: 1 }],
    ['a text index', { $text: { $search: 'q' } }],
    ['operators indexes cannot answer', { a: { $ne: 1 }, c: { $exists: true } }],
    ['an empty filter', {}],
  ];
  for (const [what, filter] of unplanned) {
    it(`scans for ${what}`, () => {
      expect(planCandidates(filter, indexes)).to.equal(null);
    });
  }

  it('prefers the longest equality prefix, then $in, then range', () => {
    const b = indexes.find((i) => i.name === 'b_1_c_-1')!;
    const bOnly = new SecondaryIndex({ name: 'b_1', key: { b: 1 } });
    const c = new SecondaryIndex({ name: 'c_1', key: { c: 1 } });
    expect(choosePlan({ b: 'q', c: 7 }, [bOnly, b, c])).to.deep.include({
      kind: 'eq',
      index: b,
      fields: 2,
    });
    expect(choosePlan({ b: { $in: ['q'] }, c: { $gt: 1 } }, [c, b])).to.deep.include({
      kind: 'in',
      index: b,
    });
    expect(choosePlan({ b: { $gt: 'a' }, c: 3 }, [b, c])).to.deep.include({ kind: 'eq', index: c });
    // Equality on b, then $in on c: one lookup per (b, c) pair, not every document with that b.
    expect(choosePlan({ b: 'q', c: { $in: [1, 2] } }, [bOnly, b])).to.deep.include({
      kind: 'eq',
      index: b,
      fields: 1,
      inNext: true,
    });
    expect(planCandidates({ b: 'q', c: { $in: [1, 2] } }, [b])!.size).to.be.below(
      planCandidates({ b: 'q' }, [b])!.size,
    );
    const uniqueB = new SecondaryIndex({ name: 'b_u', key: { b: 1 }, unique: true });
    expect(choosePlan({ b: 'q' }, [bOnly, uniqueB])?.index).to.equal(uniqueB);
  });
});
