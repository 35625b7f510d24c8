/**
 * Bad input at the command level, mostly through the official driver: unknown
 * commands and cursors, operator misuse, wrong field types, oversized and deeply
 * nested documents. Each must come back as a MongoDB error (ok: 0 with code,
 * codeName, errmsg; the driver raises it as MongoServerError) that changes no data,
 * while the healthy client keeps being served.
 */
import { expect } from 'chai';
import { Long, MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import { startTestEngine, type EngineFixture } from './testing.js';
import { Bystander, RawClient, expectOk, opMsg } from './wire/raw-client.js';

/**
 * Runs `run`, expecting a server error in MongoDB's shape: `{ok: 0, code, codeName, errmsg}`, or for a
 * failed write statement (as mongod reports them) `{ok: 1, writeErrors: [{index, code, codeName, errmsg}]}`.
 */
async function serverError(run: () => Promise<unknown>, code?: number): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await run();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the command to fail').to.be.instanceOf(MongoServerError);
  const err = caught as MongoServerError;
  const response = err.errorResponse as Document;
  // The driver hands a single failed statement over as the write error itself ({index, code, ...}).
  const shape =
    response.ok === 0 || 'index' in response
      ? response
      : (response.writeErrors as Document[] | undefined)?.[0];
  expect(shape, `not an error reply: ${JSON.stringify(response)}`).to.be.an('object');
  expect(shape!.code).to.be.a('number');
  expect(shape!.codeName).to.be.a('string').that.is.not.empty;
  expect(shape!.errmsg).to.be.a('string').that.is.not.empty;
  if (code !== undefined) expect(shape!.code, shape!.errmsg as string).to.equal(code);
  return err;
}

function nested(levels: number): Document {
  let doc: Document = { leaf: true };
  for (let i = 0; i < levels; i++) doc = { a: doc };
  return doc;
}

describe('engine: bad input in commands', function () {
  let fx: EngineFixture;
  let bystander: Bystander;
  let db: Db;
  let items: Collection<Document>;
  const ITEMS = [
    { _id: 1, a: 1, s: 'one' },
    { _id: 2, a: 2, s: 'two' },
    { _id: 3, a: 3, s: 'three' },
  ];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  /** The target collection is exactly as seeded: a failed command changed nothing. */
  async function itemsUnchanged(): Promise<void> {
    expect(await items.find().sort({ _id: 1 }).toArray()).to.deep.equal(ITEMS);
  }

  before(async () => {
    process.on('unhandledRejection', onRejection);
    fx = await startTestEngine();
    bystander = new Bystander(fx.client);
    await bystander.seed();
    db = fx.client.db('cmds');
    items = db.collection<Document>('items');
    await items.insertMany(ITEMS.map((d): Document => ({ ...d })));
  });
  after(async () => {
    await fx.close();
    process.off('unhandledRejection', onRejection);
    expect(rejections, 'unhandled promise rejections').to.deep.equal([]);
  });

  it('answers an unknown command with CommandNotFound (59)', async () => {
    await serverError(() => db.command({ noSuchCommand: 1 }), 59);
    await serverError(() => db.command({ __proto__x: 1, constructor: 1 }), 59);
    await bystander.stillServed();
  });

  it('answers getMore on an unknown cursor id with CursorNotFound (43)', async () => {
    await serverError(
      () => db.command({ getMore: Long.fromString('1234567890123'), collection: 'items' }),
      43,
    );
    await serverError(() => db.command({ getMore: Long.ZERO, collection: 'items' }));
    await serverError(() => db.command({ getMore: 'not-a-cursor', collection: 'items' }));
    await bystander.stillServed();
  });

  it('reports unknown ids in killCursors under cursorsNotFound and kills only real ones', async () => {
    const open = await db.command({ find: 'items', batchSize: 1 });
    const realId = (open.cursor as { id: Long }).id;
    expect(realId.isZero()).to.equal(false);
    const unknown = [Long.fromNumber(424242), Long.fromString('9000000000000000001')];
    const reply = await db.command({ killCursors: 'items', cursors: [...unknown, realId] });
    expect((reply.cursorsNotFound as unknown[]).map(String)).to.deep.equal(unknown.map(String));
    expect((reply.cursorsKilled as unknown[]).map(String)).to.deep.equal([String(realId)]);
    await serverError(() => db.command({ getMore: realId, collection: 'items' }), 43);
    await serverError(() => db.command({ killCursors: 'items', cursors: 5 }));
    await bystander.stillServed();
  });

  it('answers a query with an unknown operator ($nope) with an error', async () => {
    await serverError(() => items.find({ a: { $nope: 1 } }).toArray(), 2);
    await serverError(() => items.find({ $nope: [{ a: 1 }] }).toArray());
    await serverError(() => items.countDocuments({ a: { $in: 5 } }));
    await bystander.stillServed();
  });

  it('answers $set with a non-object operand with an error and modifies nothing', async () => {
    await serverError(() => items.updateOne({}, { $set: 5 } as unknown as Document), 9);
    await serverError(() => items.updateMany({}, { $inc: { a: 'x' } } as unknown as Document));
    await itemsUnchanged();
    await bystander.stillServed();
  });

  it('answers an unknown update operator with an error and modifies nothing', async () => {
    await serverError(() => items.updateOne({}, { $unknownOp: { a: 1 } }), 9);
    await serverError(() => items.updateOne({ _id: 1 as never }, { $set: { _id: 99 } }));
    await serverError(() => items.updateOne({}, { $set: { a: 1 }, $inc: { a: 1 } }));
    await itemsUnchanged();
    await bystander.stillServed();
  });

  it('answers find with a filter that is not an object with TypeMismatch (14)', async () => {
    await serverError(() => db.command({ find: 'items', filter: 5 }), 14);
    await serverError(() => db.command({ find: 'items', sort: 'a' }));
    await serverError(() => db.command({ find: 5 }));
    await bystander.stillServed();
  });

  it('answers insert with documents that are not an array with TypeMismatch (14), inserting nothing', async () => {
    await serverError(() => db.command({ insert: 'items', documents: 5 }), 14);
    await serverError(() => db.command({ insert: 'items', documents: { _id: 9 } }), 14);
    const partial = await db.command({ insert: 'items', documents: [5] });
    expect(partial.n).to.equal(0);
    expect((partial.writeErrors as Document[])[0])
      .to.include({ index: 0 })
      .and.to.have.property('code')
      .that.is.a('number');
    await itemsUnchanged();
    await bystander.stillServed();
  });

  it('answers aggregate with a non-array pipeline (14) or an unknown stage with an error', async () => {
    await serverError(() => db.command({ aggregate: 'items', pipeline: 5, cursor: {} }), 14);
    await serverError(
      () => db.command({ aggregate: 'items', pipeline: { $match: {} }, cursor: {} }),
      14,
    );
    await serverError(() => items.aggregate([{ $nope: 1 }]).toArray());
    await serverError(() => items.aggregate([{ $match: {}, $sort: { a: 1 } }]).toArray());
    await bystander.stillServed();
  });

  it('refuses server-side JavaScript ($where, $function) instead of running it', async () => {
    await serverError(() => items.find({ $where: 'this.a == 1' }).toArray());
    const fn = { $function: { body: 'function () { return 1; }', args: [], lang: 'js' } };
    await serverError(() => items.aggregate([{ $project: { x: fn } }]).toArray());
    await bystander.stillServed();
  });

  it('stores __proto__ and constructor keys as plain data without polluting prototypes', async () => {
    const raw = await RawClient.connect(fx.engine.port);
    const doc = JSON.parse(
      '{"_id":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
    ) as Document;
    const insert = opMsg(1, [
      { kind: 0, doc: { insert: 'proto', $db: 'cmds' } },
      { kind: 1, id: 'documents', docs: [doc] },
    ]);
    expect(expectOk(await raw.request(insert)).n).to.equal(1);
    raw.destroy();
    const stored = await db.collection('proto').findOne({ _id: 'proto' as never });
    expect(Object.keys(stored!)).to.deep.equal(['_id', '__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
    await bystander.stillServed();
  });

  it('answers a document over 16 MB with an error (driver-side or engine-side) and stores nothing', async function () {
    this.timeout(60_000);
    const huge = db.collection('huge');
    let failed = false;
    try {
      await huge.insertOne({ blob: 'x'.repeat(17 * 1024 * 1024) });
    } catch {
      failed = true; // the driver's serializer refuses it before sending; the raw-frame case is in bad-input.messages
    }
    expect(failed).to.equal(true);
    expect(await huge.countDocuments()).to.equal(0);
    await bystander.stillServed();
  });

  it('rejects a document just over 16 MiB with BSONObjectTooLarge (10334) and stores nothing', async function () {
    this.timeout(60_000);
    const over = db.collection('over');
    const err = await serverError(() =>
      over.insertOne({ blob: 'x'.repeat(16 * 1024 * 1024 + 1024) }),
    );
    expect(err.code).to.equal(10334);
    expect(await over.countDocuments()).to.equal(0);
  });

  it('stores and finds a document nested 100 levels deep', async () => {
    const deep = db.collection('deep');
    await deep.insertOne({ _id: 'd100' as never, doc: nested(100) });
    expect(await deep.findOne({ _id: 'd100' as never })).to.deep.equal({
      _id: 'd100',
      doc: nested(100),
    });
    const path = `doc.${Array.from({ length: 100 }, () => 'a').join('.')}.leaf`;
    expect(await deep.countDocuments({ [path]: true })).to.equal(1);
    await bystander.stillServed();
  });

  it('answers Overflow (15) for a document nested 200+ levels deep, without crashing', async () => {
    const deep = db.collection('deep');
    await serverError(() => deep.insertOne({ _id: 'd200' as never, doc: nested(200) }), 15);
    await serverError(() => deep.find({ doc: nested(300) }).toArray(), 15);
    await serverError(
      () => deep.updateOne({ _id: 'd100' as never }, { $set: { doc: nested(250) } }),
      15,
    );
    expect(await deep.countDocuments({ _id: 'd200' as never })).to.equal(0);
    await bystander.stillServed();
  });

  it('answers an error for a $range that would exhaust memory, without crashing', async () => {
    const coll = db.collection('ranges');
    await coll.insertOne({ x: 1 });
    const err = await serverError(() =>
      coll.aggregate([{ $project: { r: { $range: [0, 2e9] } } }]).toArray(),
    );
    expect(err.code).to.equal(20);
    await bystander.stillServed();
  });

  it('refuses a catastrophically backtracking $regex instead of freezing every connection', async () => {
    const coll = db.collection('regexes');
    await coll.insertOne({ s: 'a'.repeat(48) + '!' });
    for (const filter of [
      { s: { $regex: '^(a+)+$' } },
      { s: /^(a*)*$/ },
      { s: { $regex: '(x{1,})+y' } },
    ]) {
      const err = await serverError(() => coll.find(filter).toArray());
      expect(err.code).to.equal(2);
    }
    // Ordinary patterns still work.
    expect(await coll.countDocuments({ s: { $regex: '^a+!$' } })).to.equal(1);
    await bystander.stillServed();
  });

  it("answers MongoDB's codes for update misuse and changes nothing", async () => {
    const coll = db.collection('updmisuse');
    await coll.insertOne({ _id: 'u' as never, n: 1 });
    expect(
      (await serverError(() => coll.updateOne({ _id: 'u' as never }, { $set: { _id: 'v' } }))).code,
    ).to.equal(66);
    expect(
      (
        await serverError(() =>
          coll.updateOne({ _id: 'u' as never }, { $set: { n: 2 }, $inc: { n: 1 } }),
        )
      ).code,
    ).to.equal(40);
    expect(
      (
        await serverError(() =>
          coll.updateOne({ _id: 'u' as never }, { $inc: { n: 'x' as never } }),
        )
      ).code,
    ).to.equal(14);
    expect((await serverError(() => coll.aggregate([{ $nope: {} }]).toArray())).code).to.equal(
      40324,
    );
    // Setting _id to its current value is allowed, as in MongoDB.
    await coll.updateOne({ _id: 'u' as never }, { $set: { _id: 'u', n: 5 } as never });
    expect(await coll.findOne({ _id: 'u' as never })).to.deep.equal({ _id: 'u', n: 5 });
  });
});
