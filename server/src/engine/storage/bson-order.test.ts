import { expect } from 'chai';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  deserialize,
  serialize,
} from 'bson';
import {
  compareBson,
  getPathValues,
  idKeyOf,
  isMissing,
  tracePath,
  valueKey,
} from './bson-order.js';

const oid1 = new ObjectId('000000000000000000000001');
const oid2 = new ObjectId('0000000000000000000000ff');
const randomHex = (): string =>
  Array.from({ length: 24 }, () => Math.floor(Math.random() * 16).toString(16)).join('');

describe('bson-order', () => {
  describe('compareBson across types', () => {
    it('sorts types in MongoDB order', () => {
      const ordered: unknown[] = [
        new MinKey(),
        null,
        -Infinity,
        1,
        'a',
        { a: 1 },
        [1],
        new Binary(Buffer.from([1])),
        oid1,
        false,
        true,
        new Date(0),
        new Timestamp({ t: 1, i: 0 }),
        /a/,
        new MaxKey(),
      ];
      const shuffled = [...ordered].reverse();
      shuffled.splice(3, 0, shuffled.splice(10, 1)[0]);
      expect(shuffled.sort(compareBson)).to.deep.equal(ordered);
    });

    it('treats missing (undefined) as null', () => {
      expect(compareBson(undefined, null)).to.equal(0);
      expect(valueKey(undefined)).to.equal(valueKey(null));
      expect(compareBson(undefined, new MinKey())).to.equal(1);
    });
  });

  describe('numbers', () => {
    const ones = [
      1,
      1.0,
      Long.fromNumber(1),
      Decimal128.fromString('1'),
      Decimal128.fromString('1.000'),
      new Int32(1),
      new Double(1),
    ];

    it('compares int, double, Long and Decimal128 numerically', () => {
      for (const a of ones) for (const b of ones) expect(compareBson(a, b)).to.equal(0);
      expect(new Set(ones.map(valueKey)).size).to.equal(1);
      expect(compareBson(Long.fromNumber(2), 1.5)).to.equal(1);
      expect(compareBson(Decimal128.fromString('-3.5'), -3)).to.equal(-1);
      expect(compareBson(-0, 0)).to.equal(0);
      expect(valueKey(-0)).to.equal(valueKey(0));
    });

    it('is exact beyond 2^53 and for decimals', () => {
      const big = Long.fromString('9007199254740993');
      expect(compareBson(big, 9007199254740992)).to.equal(1);
      expect(valueKey(big)).to.not.equal(valueKey(9007199254740992));
      expect(valueKey(Long.fromBigInt(2n ** 60n))).to.equal(valueKey(2 ** 60));
      expect(compareBson(Decimal128.fromString('0.1'), 0.1)).to.equal(-1); // 0.1 as a double is slightly above 0.1
      expect(valueKey(Decimal128.fromString('0.1'))).to.not.equal(valueKey(0.1));
      expect(valueKey(Decimal128.fromString('0.50'))).to.equal(valueKey(0.5));
      expect(compareBson(Decimal128.fromString('1E+400'), Number.MAX_VALUE)).to.equal(1);
    });

    it('sorts NaN below every number and equal to itself', () => {
      expect(compareBson(NaN, -Infinity)).to.equal(-1);
      expect(compareBson(NaN, NaN)).to.equal(0);
      expect(compareBson(Decimal128.fromString('NaN'), NaN)).to.equal(0);
      expect(valueKey(Decimal128.fromString('NaN'))).to.equal(valueKey(NaN));
      expect(compareBson(Decimal128.fromString('Infinity'), Long.MAX_VALUE)).to.equal(1);
    });

    it('survives a BSON round trip', () => {
      const doc = deserialize(
        serialize({ a: Long.fromString('9007199254740993'), b: Long.fromNumber(7), c: 7.0 }),
      );
      expect(doc.a).to.be.instanceOf(Long);
      expect(compareBson(doc.a, 9007199254740993n)).to.equal(0);
      expect(valueKey(doc.b)).to.equal(valueKey(doc.c));
    });
  });

  describe('strings and other types', () => {
    it('orders strings by UTF-8 bytes, not UTF-16 units', () => {
      expect('\uffff' < '\u{1F600}').to.equal(false); // JavaScript's order
      expect(compareBson('\uffff', '\u{1F600}')).to.equal(-1);
      expect(compareBson('Z', 'a')).to.equal(-1);
      expect(compareBson('', 'a')).to.equal(-1);
      expect(compareBson('ab', 'a')).to.equal(1);
      expect(compareBson('é', 'z')).to.equal(1);
    });

    it('compares objects element by element (type, name, value) and arrays element-wise', () => {
      expect(compareBson({ a: 1 }, { a: 2 })).to.equal(-1);
      expect(compareBson({ a: 1 }, { a: 1, b: 0 })).to.equal(-1);
      expect(compareBson({ a: 1 }, { b: 0 })).to.equal(-1);
      expect(compareBson({ b: 1 }, { a: 'x' })).to.equal(-1); // numbers before strings, before names
      expect(compareBson({ a: 1, b: 2 }, { b: 2, a: 1 })).to.not.equal(0);
      expect(valueKey({ a: 1, b: 2 })).to.not.equal(valueKey({ b: 2, a: 1 }));
      expect(compareBson({ a: Long.fromNumber(1) }, { a: 1.0 })).to.equal(0);
      expect(compareBson([], [1])).to.equal(-1);
      expect(compareBson([1, 2], [1, 3])).to.equal(-1);
      expect(compareBson([1], [1, 0])).to.equal(-1);
    });

    it('orders ObjectIds by bytes, Dates by time, BinData by length then subtype', () => {
      expect(compareBson(oid1, oid2)).to.equal(-1);
      expect(compareBson(oid2, new ObjectId(oid2.toHexString()))).to.equal(0);
      const hexes = [
        'ff0000000000000000000000',
        '00ff00000000000000000000',
        '0000000000000000000000ff',
        '7f'.repeat(12),
      ];
      for (let i = 0; i < 50; i++) hexes.push(new ObjectId().toHexString(), randomHex());
      for (const x of hexes) {
        for (const y of hexes) {
          const byHex = x < y ? -1 : x > y ? 1 : 0;
          expect(compareBson(new ObjectId(x), new ObjectId(Buffer.from(y, 'hex')))).to.equal(byHex);
        }
      }
      expect(compareBson(new Date(5), new Date(-5))).to.equal(1);
      expect(compareBson(new Binary(Buffer.from([9])), new Binary(Buffer.from([1, 1])))).to.equal(
        -1,
      );
      expect(
        compareBson(new Binary(Buffer.from([9]), 4), new Binary(Buffer.from([1]), 0)),
      ).to.equal(1);
      expect(compareBson(new Timestamp({ t: 1, i: 9 }), new Timestamp({ t: 2, i: 0 }))).to.equal(
        -1,
      );
      expect(compareBson(/a/i, new BSONRegExp('a', 'i'))).to.equal(0);
    });

    it('gives equal valueKeys exactly for values that compare equal', () => {
      const values: unknown[] = [
        null,
        undefined,
        0,
        -0,
        1,
        Long.fromNumber(1),
        1.5,
        Decimal128.fromString('1.5'),
        'a',
        'b',
        { a: 1 },
        { a: 1.0 },
        { a: '1' },
        [1, 2],
        [1, Long.fromNumber(2)],
        [[1]],
        new Binary(Buffer.from([1])),
        Buffer.from([1]),
        oid1,
        new ObjectId(oid1.toHexString()),
        true,
        false,
        new Date(1),
        new Timestamp({ t: 1, i: 1 }),
        /x/,
        /x/i,
        new MinKey(),
        new MaxKey(),
        '',
        { '': null },
      ];
      for (const a of values) {
        for (const b of values) {
          expect(
            valueKey(a) === valueKey(b),
            `${String(valueKey(a))} vs ${String(valueKey(b))}`,
          ).to.equal(compareBson(a, b) === 0);
        }
      }
    });

    it('keys _id values by MongoDB equality', () => {
      expect(idKeyOf(new ObjectId(oid1.toHexString()))).to.equal(idKeyOf(oid1));
      expect(idKeyOf(1)).to.equal(idKeyOf(Long.fromNumber(1)));
      expect(idKeyOf('1')).to.not.equal(idKeyOf(1));
      expect(idKeyOf({ x: 1, y: 'a' })).to.equal(idKeyOf({ x: 1.0, y: 'a' }));
    });
  });

  describe('getPathValues', () => {
    const doc = {
      a: { b: 1 },
      arr: [{ b: 1 }, { b: 2 }, { c: 3 }, 7, [{ b: 99 }]],
      tags: ['x', 'y'],
      n: null,
      deep: [{ x: [{ y: 1 }, { y: 2 }] }],
    };

    it('follows dotted paths and MongoDB array traversal', () => {
      expect(getPathValues(doc, 'a.b')).to.deep.equal([1]);
      expect(getPathValues(doc, 'arr.b')).to.deep.equal([1, 2]); // nested arrays are not entered
      expect(getPathValues(doc, 'tags')).to.deep.equal([['x', 'y']]);
      expect(getPathValues(doc, 'tags.1')).to.deep.equal(['y']);
      expect(getPathValues(doc, 'arr.0.b')).to.deep.equal([1]);
      expect(getPathValues(doc, 'deep.x.y')).to.deep.equal([1, 2]);
      expect(getPathValues(doc, 'n')).to.deep.equal([null]);
    });

    it('reports missing paths', () => {
      expect(getPathValues(doc, 'a.z')).to.deep.equal([]);
      expect(getPathValues(doc, 'a.b.c')).to.deep.equal([]);
      expect(isMissing(doc, 'nope')).to.equal(true);
      expect(isMissing(doc, 'n')).to.equal(false);
    });

    it('traces arrays crossed and branches missing the field', () => {
      const t = tracePath(doc, 'arr.b');
      expect(t.values).to.deep.equal([1, 2]);
      expect(t.arrays).to.deep.equal(['arr']);
      expect(t.missing).to.equal(true);
      expect(tracePath(doc, 'a.b')).to.deep.equal({ values: [1], arrays: [], missing: false });
      expect(tracePath(doc, 'tags.1').missing).to.equal(false);
    });
  });
});
