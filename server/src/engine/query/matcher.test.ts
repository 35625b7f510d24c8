import { expect } from 'chai';
import { Query } from 'mingo';
import { Long, ObjectId } from 'bson';
import { compileFilter } from './matcher.js';

type Doc = Record<string, unknown>;

/** A small deterministic PRNG so the data set is the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const rand = prng(7);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
const ids = Array.from({ length: 6 }, (_, i) => new ObjectId(`65a0000000000000000000${i}0`));
const dates = [new Date('2024-01-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z')];
const scalars: unknown[] = [1, 2, 2.5, 'x', 'y', '1', true, false, ...ids, ...dates];

const docs: Doc[] = [];
for (let i = 0; i < 300; i++) {
  const doc: Doc = { _id: i };
  const shape = rand();
  if (shape < 0.15) doc.a = null;
  else if (shape < 0.3) doc.a = Array.from({ length: Math.floor(rand() * 4) }, () => pick(scalars));
  else if (shape < 0.9) doc.a = pick(scalars);
  if (rand() < 0.5)
    doc.sub = pick([
      { b: pick(scalars) },
      [{ b: pick(scalars) }, { b: pick(scalars) }],
      [{ c: 1 }],
    ]);
  if (rand() < 0.2) doc.a = pick([new Long(2), 1.0, [[1, 2]], { k: 1 }]);
  docs.push(doc);
}

/** The same documents with Longs as plain numbers: mingo, unlike MongoDB, holds Long(2) != 2. */
const plain = (value: unknown): unknown =>
  value instanceof Long
    ? value.toNumber()
    : Array.isArray(value)
      ? value.map(plain)
      : value && typeof value === 'object' && value.constructor === Object
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
        : value;
const oracleDocs = docs.map((d) => plain(d) as Doc);

const sample = (n: number) => Array.from({ length: n }, () => pick(scalars));

/** The filters under test: every set operator, on a plain and a dotted path, alone and combined. */
function filters(): Doc[] {
  const out: Doc[] = [{ a: { $in: [] } }, { a: { $nin: [] } }, { a: { $all: [] } }];
  for (let i = 0; i < 60; i++) {
    const path = pick(['a', 'sub.b', '_id']);
    const list =
      path === '_id'
        ? Array.from({ length: 20 }, () => Math.floor(rand() * 400))
        : sample(1 + Math.floor(rand() * 5));
    out.push({ [path]: { [pick(['$in', '$nin', '$all'])]: list } });
  }
  out.push(
    { a: { $in: [1, 'x'], $nin: [2] } },
    { a: { $in: [1, 'x'] }, _id: { $in: [1, 2, 3, 50, 51] } },
    { _id: { $in: Array.from({ length: 100 }, (_, i) => i * 3) }, a: 1 },
    { $and: [{ a: { $in: [1, 2] } }, { 'sub.b': { $nin: ['x'] } }] },
    { $or: [{ a: { $in: [true] } }, { 'sub.b': { $all: [ids[0]] } }] },
    { a: { $in: [1, 'x'] }, $comment: 'kept out of matching' },
    // Outside the fast path: null, regex and arrays in the list stay with mingo.
    { a: { $in: [null, 1] } },
    { a: { $nin: [null] } },
    { a: { $in: [/^x/] } },
    { a: { $in: [[1, 2]] } },
    { a: { $in: [1], $exists: true } },
  );
  return out;
}

/**
 * The oracle: mingo, except for `$all`, where mingo requires an array field;
 * MongoDB defines `{f: {$all: [x, y]}}` as `{$and: [{f: x}, {f: y}]}` (so a
 * scalar field equal to the one listed value matches) and `$all: []` as no match.
 */
function oracleFilter(filter: Doc): Doc {
  const out: Doc = {};
  const and: Doc[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$comment') continue;
    if ((key === '$and' || key === '$or') && Array.isArray(cond)) {
      out[key] = (cond as Doc[]).map(oracleFilter);
    } else if (cond && typeof cond === 'object' && '$all' in cond) {
      const { $all, ...others } = cond as { $all: unknown[] };
      if ($all.length === 0) and.push({ _id: { $exists: false } });
      for (const value of $all) and.push({ [key]: value });
      if (Object.keys(others).length > 0) and.push({ [key]: others });
    } else out[key] = cond;
  }
  if (and.length > 0) out.$and = [...((out.$and as Doc[] | undefined) ?? []), ...and];
  return out;
}

describe('engine: query matcher', () => {
  it('matches $in, $nin and $all with MongoDB semantics, on values, arrays and dotted paths', () => {
    for (const filter of filters()) {
      const oracle = new Query(oracleFilter(filter));
      const matches = compileFilter(filter);
      const expected = oracleDocs.filter((d) => oracle.test(d)).map((d) => d._id);
      const actual = docs.filter((d) => matches(d)).map((d) => d._id);
      expect(actual, JSON.stringify(filter)).to.deep.equal(expected);
    }
  });

  it('matches $all on a field that is not an array when it equals the one listed value, as MongoDB does', () => {
    const matches = compileFilter({ a: { $all: [5] } });
    expect([{ a: 5 }, { a: [5, 6] }, { a: 6 }, {}].map(matches)).to.deep.equal([
      true,
      true,
      false,
      false,
    ]);
  });

  it('treats 1 and 1.0 (and a Long) as one value in a set, as MongoDB does', () => {
    const matches = compileFilter({ n: { $in: [1] } });
    expect([{ n: 1 }, { n: 1.0 }, { n: new Long(1) }, { n: '1' }].map(matches)).to.deep.equal([
      true,
      true,
      true,
      false,
    ]);
  });

  it('matches a list of thousands of ids against thousands of documents (the presence heartbeat)', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `socket-${i}`);
    const matches = compileFilter({ _id: { $in: many }, processId: 'p1' });
    const rows = many.map((_id, i) => ({ _id, processId: i % 2 ? 'p1' : 'p2' }));
    expect(rows.filter(matches)).to.have.length(1500);
    expect(matches({ _id: 'socket-3000', processId: 'p1' })).to.equal(false);
  });

  it('still refuses what MongoDB refuses inside the fast path’s neighbours', () => {
    expect(() => compileFilter({ a: { $in: [1] }, b: { $bogus: 1 } })).to.throw();
    expect(() => compileFilter({ $or: [{ a: { $in: [1] } }, { b: { $bogus: 1 } }] })).to.throw();
  });
});
