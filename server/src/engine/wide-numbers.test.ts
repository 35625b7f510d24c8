import { expect } from 'chai';
import { Decimal128, Long, type Collection, type Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/** What the tests store (`n` is the number under test). */
interface Stored {
  _id: number;
  n?: number | Long | Decimal128 | string;
  a?: { b: Decimal128 };
  c?: number;
  d?: number[];
  e?: string;
}

/** Beyond 2^53: a JS number cannot hold it, so it stays a Long. */
const BIG = Long.fromString('9007199254740993');

describe('engine: $inc and $mul on Decimal128 and large Long values, through the driver', () => {
  let fixture: EngineFixture;
  let numbers: Collection<Stored>;

  before(async () => {
    fixture = await startTestEngine();
    numbers = fixture.client.db('wide').collection('numbers');
  });
  after(() => fixture.close());
  beforeEach(() => numbers.deleteMany({}));

  /** Stores `n` (or nothing), applies the update, and answers what is stored, BSON types kept. */
  async function updated(start: Stored['n'], update: Document): Promise<unknown> {
    await numbers.insertOne(start === undefined ? { _id: 1 } : { _id: 1, n: start });
    const result = await numbers.updateOne({ _id: 1 }, update);
    expect(result.modifiedCount, 'the update changed the document').to.equal(1);
    const stored = await numbers.findOne({ _id: 1 }, { promoteLongs: false, promoteValues: false });
    return stored?.n;
  }

  it('adds to and multiplies a Long beyond 2^53 exactly, keeping it a Long', async () => {
    const added = await updated(BIG, { $inc: { n: 2 } });
    expect(added).to.be.instanceOf(Long);
    expect(String(added)).to.equal('9007199254740995');
    await numbers.deleteMany({});
    expect(
      String(await updated(BIG, { $inc: { n: Long.fromString('-9007199254740993') } })),
    ).to.equal('0');
    await numbers.deleteMany({});
    expect(String(await updated(BIG, { $mul: { n: 3 } }))).to.equal('27021597764222979');
  });

  it('refuses a Long result beyond 64 bits rather than wrapping it around, and stores nothing', async () => {
    await numbers.insertOne({ _id: 1, n: Long.MAX_VALUE });
    const error = await errorOf(numbers.updateOne({ _id: 1 }, { $inc: { n: 1 } } as Document));
    expect(error.codeName).to.equal('BadValue');
    expect(String(error.message)).to.contain('Failed to apply $inc operations');
    const stored = await numbers.findOne({ _id: 1 }, { promoteLongs: false });
    expect(String(stored?.n)).to.equal(Long.MAX_VALUE.toString());
  });

  it('works with Decimal128 on either side, exactly, and gives a Decimal128', async () => {
    const cases: Array<[Stored['n'], Document, string]> = [
      [Decimal128.fromString('1.1'), { $inc: { n: 1 } }, '2.1'],
      [Decimal128.fromString('1.1'), { $inc: { n: Decimal128.fromString('-0.1') } }, '1.0'],
      [1, { $inc: { n: Decimal128.fromString('0.1') } }, '1.1'],
      [Decimal128.fromString('2.5'), { $mul: { n: 4 } }, '10.0'],
      [Decimal128.fromString('1.1'), { $inc: { n: 0.1 } }, '1.200000000000000'],
      [BIG, { $inc: { n: Decimal128.fromString('1') } }, '9007199254740994'],
      [Decimal128.fromString('1'), { $mul: { n: Decimal128.fromString('NaN') } }, 'NaN'],
    ];
    for (const [start, update, expected] of cases) {
      await numbers.deleteMany({});
      const stored = await updated(start, update);
      expect(stored, JSON.stringify(update)).to.be.instanceOf(Decimal128);
      expect(String(stored), JSON.stringify(update)).to.equal(expected);
    }
  });

  it('rounds a Decimal128 result to 34 digits', async () => {
    const stored = await updated(Decimal128.fromString('1234567890123456789012345678901234'), {
      $mul: { n: Decimal128.fromString('10.5') },
    });
    expect(String(stored)).to.equal('1.296296284629629628462962962846296E+34');
  });

  it('sets a missing field to a Long or Decimal128 increment, and to zero of its type on $mul', async () => {
    expect(String(await updated(undefined, { $inc: { n: BIG } }))).to.equal(BIG.toString());
    await numbers.deleteMany({});
    const zero = await updated(undefined, { $mul: { n: Decimal128.fromString('3.5') } });
    expect(zero).to.be.instanceOf(Decimal128);
    expect(String(zero)).to.equal('0');
  });

  it('reaches dotted paths, and leaves the other fields of the update to the rest of the language', async () => {
    await numbers.insertOne({ _id: 1, a: { b: Decimal128.fromString('0.5') }, c: 1, d: [1, 2] });
    await numbers.updateOne(
      { _id: 1 },
      { $inc: { 'a.b': 1, c: 1 }, $push: { d: 3 }, $set: { e: 'x' } },
    );
    const stored = await numbers.findOne({ _id: 1 });
    expect(String(stored?.a?.b)).to.equal('1.5');
    expect(stored).to.deep.include({ c: 2, d: [1, 2, 3], e: 'x' });
  });

  it('still adds JS numbers as numbers, and still refuses a non-numeric field', async () => {
    expect(Number(await updated(1.5, { $inc: { n: 1 } }))).to.equal(2.5);
    await numbers.insertOne({ _id: 2, n: 'x' });
    const error = await errorOf(numbers.updateOne({ _id: 2 }, { $inc: { n: BIG } } as Document));
    expect(error.codeName).to.equal('TypeMismatch');
  });

  it('takes $min and $max in numeric order across Decimal128, Long and JS numbers', async () => {
    expect(String(await updated(Decimal128.fromString('0.5'), { $max: { n: 1 } }))).to.equal('1');
    await numbers.deleteMany({});
    expect(String(await updated(BIG, { $min: { n: 10 } }))).to.equal('10');
    await numbers.deleteMany({});
    const larger = await updated(7, { $max: { n: BIG } });
    expect(larger).to.be.instanceOf(Long);
    expect(String(larger)).to.equal(BIG.toString());
    await numbers.deleteMany({});
    await numbers.insertOne({ _id: 1, n: Decimal128.fromString('2.5') });
    const kept = await numbers.updateOne({ _id: 1 }, { $max: { n: 2 } });
    expect(kept.modifiedCount, 'a smaller $max changes nothing').to.equal(0);
  });

  it('finds Decimal128 and large Long values with $gt, $gte, $lt and $lte against numbers', async () => {
    await numbers.insertMany([
      { _id: 1, n: BIG },
      { _id: 2, n: Decimal128.fromString('1.5') },
      { _id: 3, n: 5 },
      { _id: 4, n: Decimal128.fromString('NaN') },
      { _id: 5, n: 'text' },
    ]);
    const ids = async (filter: Document) =>
      (await numbers.find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    expect(await ids({ n: { $gt: 10 } })).to.deep.equal([1]);
    expect(await ids({ n: { $gt: 1 } })).to.deep.equal([1, 2, 3]);
    expect(await ids({ n: { $lte: Decimal128.fromString('1.5') } })).to.deep.equal([2]);
    expect(await ids({ n: { $lt: Long.fromString('9007199254740993') } })).to.deep.equal([2, 3]);
    expect(await ids({ n: { $gte: Decimal128.fromString('NaN') } })).to.deep.equal([4]);
    expect(await ids({ n: { $gt: 'a' } }), 'a string operand still compares strings').to.deep.equal(
      [5],
    );
  });

  it('adds, subtracts, multiplies, divides, sums and averages them in aggregations, in their types', async () => {
    await numbers.insertMany([
      { _id: 1, n: Decimal128.fromString('1.10'), c: 2 },
      { _id: 2, n: Decimal128.fromString('2.25'), c: 3 },
    ]);
    const [group] = await numbers
      .aggregate([{ $group: { _id: null, total: { $sum: '$n' }, mean: { $avg: '$n' } } }])
      .toArray();
    expect(String(group.total)).to.equal('3.35');
    expect(String(group.mean)).to.equal('1.675');
    const rows = await numbers
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $project: {
            plus: { $add: ['$n', '$c', 1] },
            minus: { $subtract: ['$n', '$c'] },
            times: { $multiply: ['$n', '$c'] },
            over: { $divide: ['$n', '$c'] },
            big: { $add: [BIG, '$c'] },
            later: { $add: [new Date(0), Decimal128.fromString('1000')] },
          },
        },
      ])
      .toArray();
    expect(rows.map((row) => [row.plus, row.minus, row.times, row.over].map(String))).to.deep.equal(
      [
        ['4.10', '-0.90', '2.20', '0.55'],
        ['6.25', '-0.75', '6.75', '0.75'],
      ],
    );
    expect(rows[0].plus).to.be.instanceOf(Decimal128);
    expect(String(rows[0].big)).to.equal('9007199254740995');
    expect((rows[0].later as Date).getTime()).to.equal(1000);
    const error = await errorOf(
      numbers.aggregate([{ $project: { x: { $divide: ['$n', 0] } } }]).toArray(),
    );
    expect(String(error.message)).to.contain('divide');
  });

  it('still sums and counts plain numbers as before', async () => {
    await numbers.insertMany([
      { _id: 1, n: 1.5 },
      { _id: 2, n: 2 },
      { _id: 3, n: 'x' },
    ]);
    const [group] = await numbers
      .aggregate([
        { $group: { _id: null, total: { $sum: '$n' }, count: { $sum: 1 }, mean: { $avg: '$n' } } },
      ])
      .toArray();
    expect(group).to.deep.include({ total: 3.5, count: 3, mean: 1.75 });
  });

  it('compares, prints, takes the absolute value of and converts them in expressions', async () => {
    await numbers.insertMany([
      { _id: 1, n: Decimal128.fromString('-1.5') },
      { _id: 2, n: BIG },
      { _id: 3, n: 1 },
    ]);
    const matched = await numbers.find({ $expr: { $gt: ['$n', 1] } }).toArray();
    expect(matched.map((doc) => doc._id)).to.deep.equal([2]);
    const rows = await numbers
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $project: {
            cmp: { $cmp: ['$n', 1] },
            text: { $toString: '$n' },
            size: { $abs: '$n' },
            decimal: { $toDecimal: '$n' },
          },
        },
      ])
      .toArray();
    expect(rows.map((row) => [row.cmp, row.text, String(row.size)])).to.deep.equal([
      [-1, '-1.5', '1.5'],
      [1, '9007199254740993', '9007199254740993'],
      [0, '1', '1'],
    ]);
    expect(rows.map((row) => row.decimal)).to.satisfy((all: unknown[]) =>
      all.every((value) => value instanceof Decimal128),
    );
  });

  it('refuses, rather than ignores, a positional $inc that may reach one, and still runs the others', async () => {
    await numbers.insertOne({ _id: 1, d: [1, 2] });
    const list = fixture.client.db('wide').collection<{ _id: number; items: unknown[] }>('lists');
    await list.insertOne({ _id: 1, items: [{ v: Decimal128.fromString('1.1') }, { v: 2 }] });
    const error = await errorOf(list.updateOne({ _id: 1 }, { $inc: { 'items.$[].v': 1 } }));
    expect(error.code).to.equal(115);
    expect(String(error.message)).to.contain('items.$[].v');
    const stored = await list.findOne({ _id: 1 });
    expect(String((stored?.items[0] as { v: unknown }).v)).to.equal('1.1');
    await numbers.updateOne({ _id: 1, d: 2 }, { $inc: { 'd.$': 10 } });
    expect((await numbers.findOne({ _id: 1 }))?.d).to.deep.equal([1, 12]);
  });
});
