import { expect } from 'chai';
import { Long, ObjectId } from 'bson';
import { EngineError } from '../errors.js';
import {
  SecondaryIndex,
  buildIndex,
  duplicateKeyError,
  type IndexSpec,
} from './secondary-index.js';

type Doc = Record<string, unknown>;

function indexOf(
  spec: Partial<IndexSpec> & { key: IndexSpec['key'] },
  docs: Record<string, Doc> = {},
): SecondaryIndex {
  const index = new SecondaryIndex({ name: 'test', ...spec });
  for (const [id, doc] of Object.entries(docs)) index.add(id, doc);
  return index;
}

function ids(set: Set<string>): string[] {
  return [...set].sort();
}

function thrown(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('expected a throw');
}

describe('SecondaryIndex', () => {
  it('finds documents by equality with normalised numbers and removes them', () => {
    const index = indexOf(
      { key: { n: 1 } },
      { a: { n: 5 }, b: { n: Long.fromNumber(5) }, c: { n: 5.5 }, d: {} },
    );
    expect(ids(index.equal([5]))).to.deep.equal(['a', 'b']);
    expect(ids(index.equal([5.0]))).to.deep.equal(['a', 'b']);
    expect(ids(index.equal([null]))).to.deep.equal(['d']); // missing keys as null
    index.remove('a', { n: 5 });
    expect(ids(index.equal([5]))).to.deep.equal(['b']);
    expect(index.size).to.equal(3);
  });

  it('indexes every element of an array (multikey) and removes them all', () => {
    const index = indexOf(
      { key: { tags: 1 } },
      { a: { tags: ['x', 'y'] }, b: { tags: 'y' }, c: { tags: [] } },
    );
    expect(index.isMultikey()).to.equal(true);
    expect(ids(index.equal(['y']))).to.deep.equal(['a', 'b']);
    expect(ids(index.equal([[]]))).to.deep.equal(['c']);
    expect(ids(index.equal([null]))).to.deep.equal([]);
    index.remove('a', { tags: ['x', 'y'] });
    expect(ids(index.equal(['x']))).to.deep.equal([]);
    expect(index.size).to.equal(2);
  });

  it('keys dotted paths through arrays of documents, null where an element lacks the field', () => {
    const index = new SecondaryIndex({ name: 'ab', key: { 'a.b': 1 } });
    expect(index.keysOf({ a: [{ b: 1 }, { c: 1 }] })).to.deep.equal([[1], [null]]);
    expect(index.keysOf({ a: { b: [2, 3] } })).to.deep.equal([[2], [3]]);
    expect(index.keysOf({})).to.deep.equal([[null]]);
  });

  it('supports compound keys with prefix lookups', () => {
    const index = indexOf(
      { key: { g: 1, t: -1 } },
      { a: { g: 1, t: 1 }, b: { g: 1, t: 2 }, c: { g: 2, t: 1 }, d: { g: 1 } },
    );
    expect(ids(index.equal([1]))).to.deep.equal(['a', 'b', 'd']);
    expect(ids(index.equal([1, 2]))).to.deep.equal(['b']);
    expect(ids(index.equal([1, null]))).to.deep.equal(['d']);
    expect(index.keysOf({ g: [1, 2], t: 3 })).to.deep.equal([
      [1, 3],
      [2, 3],
    ]);
  });

  it('orders descending fields in reverse', () => {
    const index = indexOf(
      { key: { t: -1 } },
      { a: { t: 1 }, b: { t: 3 }, c: { t: 2 }, d: { t: 'z' } },
    );
    expect([...index.idKeysInOrder()]).to.deep.equal(['d', 'b', 'c', 'a']);
    expect(ids(index.range({ gt: 1, lte: 3 }))).to.deep.equal(['b', 'c']);
    expect(ids(index.range({ gte: 2 }))).to.deep.equal(['b', 'c', 'd']);
    expect(ids(index.range({ lt: 3 }))).to.deep.equal(['a', 'c']);
  });

  it('answers ranges on the first field, a superset for multikey fields', () => {
    const index = indexOf(
      { key: { n: 1, x: 1 } },
      { a: { n: 1 }, b: { n: 2 }, c: { n: 3 }, d: { n: 'str' }, e: {} },
    );
    expect(ids(index.range({ gte: 2, lt: 3 }))).to.deep.equal(['b']);
    expect(ids(index.range({ gt: 1 }))).to.deep.equal(['b', 'c', 'd']); // types above numbers are left to the filter
    expect(ids(index.range({ lte: 2 }))).to.deep.equal(['a', 'b', 'e']);
    expect(ids(index.range({ gt: 3, lt: 1 }))).to.deep.equal([]);
    const multi = indexOf({ key: { n: 1 } }, { a: { n: [0, 10] }, b: { n: 5 } });
    // {n: {$gt: 3, $lt: 7}} matches [0, 10]: 10 > 3 and 0 < 7.
    expect(ids(multi.range({ gt: 3, lt: 7 }))).to.deep.equal(['a', 'b']);
  });

  describe('unique', () => {
    it('reports the conflicting key in MongoDB shape', () => {
      const index = indexOf({ key: { email: 1 }, unique: true }, { a: { email: 'x@y' } });
      expect(index.findDuplicate('b', { email: 'x@y' })).to.deep.equal({
        keyPattern: { email: 1 },
        keyValue: { email: 'x@y' },
      });
      expect(index.findDuplicate('a', { email: 'x@y' })).to.equal(null); // the same document
      expect(index.findDuplicate('b', { email: 'other' })).to.equal(null);
    });

    it('treats missing as null, arrays element-wise, and compound keys as a whole', () => {
      const index = indexOf({ key: { e: 1 }, unique: true }, { a: {} });
      expect(index.findDuplicate('b', { e: null })).to.deep.equal({
        keyPattern: { e: 1 },
        keyValue: { e: null },
      });
      const tags = indexOf({ key: { tags: 1 }, unique: true }, { a: { tags: ['x', 'y'] } });
      expect(tags.findDuplicate('b', { tags: ['z', 'y'] })?.keyValue).to.deep.equal({ tags: 'y' });
      expect(tags.findDuplicate('b', { tags: ['z', 'z'] })).to.equal(null);
      const compound = indexOf(
        { key: { a: 1, 'b.c': -1 }, unique: true },
        { a: { a: 1, b: { c: 2 } } },
      );
      expect(compound.findDuplicate('b', { a: 1, b: { c: 3 } })).to.equal(null);
      expect(compound.findDuplicate('b', { a: Long.fromNumber(1), b: { c: 2.0 } })).to.deep.equal({
        keyPattern: { a: 1, 'b.c': -1 },
        keyValue: { a: Long.fromNumber(1), 'b.c': 2 },
      });
    });

    it('tryAdd adds only when there is no conflict', () => {
      const index = indexOf({ key: { e: 1 }, unique: true }, { a: { e: 1 } });
      expect(index.tryAdd('b', { e: 1 })).to.not.equal(null);
      expect(index.tryAdd('c', { e: 2 })).to.equal(null);
      expect(ids(index.equal([2]))).to.deep.equal(['c']);
      expect(index.size).to.equal(2);
    });
  });

  it('sparse indexes skip documents lacking every field but keep explicit nulls', () => {
    const index = indexOf(
      { key: { s: 1 }, sparse: true, unique: true },
      { a: {}, b: { s: null }, c: { s: 1 } },
    );
    expect(index.size).to.equal(2);
    expect(index.findDuplicate('d', {})).to.equal(null);
    expect(index.findDuplicate('d', { s: null })).to.not.equal(null);
    const compound = indexOf({ key: { x: 1, y: 1 }, sparse: true }, { a: { y: 1 }, b: {} });
    expect(compound.keysOf({ y: 1 })).to.deep.equal([[null, 1]]);
    expect(compound.size).to.equal(1);
  });

  it('partial indexes hold only documents matching the filter', () => {
    const spec = { key: { email: 1 }, unique: true, partialFilterExpression: { active: true } };
    const index = indexOf(spec, {
      a: { email: 'x', active: true },
      b: { email: 'x', active: false },
    });
    expect(index.size).to.equal(1);
    expect(index.findDuplicate('c', { email: 'x' })).to.equal(null);
    expect(index.findDuplicate('c', { email: 'x', active: true })).to.not.equal(null);
  });

  it('refuses parallel arrays with 171 but allows arrays sharing a path', () => {
    const index = new SecondaryIndex({ name: 'ab', key: { a: 1, b: 1 } });
    const err = thrown(() => index.add('x', { a: [1], b: [2] }));
    expect(err).to.be.instanceOf(EngineError);
    expect(err).to.include({ code: 171, codeName: 'CannotIndexParallelArrays' });
    expect(index.size).to.equal(0);
    const shared = new SecondaryIndex({ name: 'abc', key: { 'a.b': 1, 'a.c': 1 } });
    expect(
      shared.keysOf({
        a: [
          { b: 1, c: 2 },
          { b: 3, c: 4 },
        ],
      }),
    ).to.have.length(4);
    expect(() => shared.keysOf({ a: { b: [1], c: [2] } }))
      .to.throw()
      .with.property('code', 171);
  });

  it('accepts text, geo and hashed keys; only hashed ones are queryable', () => {
    const text = indexOf({ key: { title: 'text', body: 'text' } }, { a: { title: 'hello' } });
    expect(text.isQueryable).to.equal(false);
    expect(text.size).to.equal(0);
    expect(new SecondaryIndex({ name: 'g', key: { loc: '2dsphere' } }).isQueryable).to.equal(false);
    const hashed = indexOf({ key: { h: 'hashed' } }, { a: { h: 'v' } });
    expect(ids(hashed.equal(['v']))).to.deep.equal(['a']);
    expect(thrown(() => new SecondaryIndex({ name: 'bad', key: { a: 'nope' } })).code).to.equal(67);
    expect(thrown(() => new SecondaryIndex({ name: 'bad', key: {} })).code).to.equal(67);
  });

  describe('buildIndex', () => {
    it('builds over existing documents', () => {
      const index = buildIndex(
        { name: 'n_1', key: { n: 1 } },
        Object.entries({ a: { n: 1 }, b: { n: 1 } }),
      );
      expect(ids(index.equal([1]))).to.deep.equal(['a', 'b']);
    });

    it('fails with 11000 on the first duplicate', () => {
      const id = new ObjectId();
      const docs: [string, Doc][] = [
        ['a', { u: id }],
        ['b', { u: 2 }],
        ['c', { u: id }],
      ];
      const err = thrown(() =>
        buildIndex({ name: 'u_1', key: { u: 1 }, unique: true }, docs, 'db.c'),
      );
      expect(err).to.include({ code: 11000, codeName: 'DuplicateKey' });
      expect(err.message).to.equal(
        `E11000 duplicate key error collection: db.c index: u_1 dup key: { u: ObjectId('${id.toHexString()}') }`,
      );
      expect(err.extra).to.deep.equal({ keyPattern: { u: 1 }, keyValue: { u: id } });
    });

    it('propagates parallel-array failures', () => {
      const docs: [string, Doc][] = [['a', { x: [1], y: [1] }]];
      expect(thrown(() => buildIndex({ name: 'xy', key: { x: 1, y: 1 } }, docs)).code).to.equal(
        171,
      );
    });
  });

  it('formats duplicate key messages like mongod', () => {
    const err = duplicateKeyError('app.users', 'email_1', {
      keyPattern: { email: 1 },
      keyValue: { email: 'x' },
    });
    expect(err.message).to.equal(
      'E11000 duplicate key error collection: app.users index: email_1 dup key: { email: "x" }',
    );
    expect(err.toReply()).to.include({ code: 11000, codeName: 'DuplicateKey' });
  });
});
