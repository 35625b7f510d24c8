import { expect } from 'chai';
import type { Db } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/** The README's list of unsupported MongoDB features: each answers with the error it names. */
describe('engine: unsupported features are refused, never silently ignored', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('unsupported');
    await db.collection('c').insertOne({ a: 1, text: 'hello world' });
  });
  after(() => fx.close());

  it('capped, time-series and clustered collections: CommandNotSupported naming the option', async () => {
    const capped = await errorOf(db.createCollection('cap', { capped: true, size: 4096 }));
    expect(capped.code).to.equal(115);
    expect(String(capped.message)).to.match(/'create\.capped'.*capped collections/);
    const series = await errorOf(db.createCollection('ts', { timeseries: { timeField: 't' } }));
    expect(series.code).to.equal(115);
    const clustered = await errorOf(
      db.command({ create: 'cl', clusteredIndex: { key: { _id: 1 }, unique: true } }),
    );
    expect(clustered.code).to.equal(115);
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).to.deep.equal(['c']);
  });

  it('tailable cursors: CommandNotSupported, pointing at change streams', async () => {
    const err = await errorOf(db.collection('c').find({}, { tailable: true }).toArray());
    expect(err.code).to.equal(115);
    expect(String(err.message)).to.match(/change stream/);
  });

  it('commands the engine does not have: CommandNotFound (59)', async () => {
    for (const command of [
      { mapReduce: 'c', map: 'function(){}', reduce: 'function(){}', out: { inline: 1 } },
      { createUser: 'u', pwd: 'password-123456', roles: [] },
      { killOp: 1, op: 1 },
    ]) {
      const err = await errorOf(db.command(command));
      expect(err.code, Object.keys(command)[0]).to.equal(59);
    }
  });

  it('$text queries and server-side JavaScript: BadValue (2)', async () => {
    const text = await errorOf(
      db
        .collection('c')
        .find({ $text: { $search: 'hello' } })
        .toArray(),
    );
    expect(text.code).to.equal(2);
    const where = await errorOf(db.collection('c').find({ $where: 'this.a == 1' }).toArray());
    expect(where.code).to.equal(2);
    expect(where.message).to.match(/\$where is not supported by the embedded engine/);
    const fn = { $function: { body: 'function() { return 1 }', args: [], lang: 'js' } };
    const inPipeline = await errorOf(
      db
        .collection('c')
        .aggregate([{ $project: { x: fn } }])
        .toArray(),
    );
    expect(inPipeline).to.include({ code: 2 });
    expect(inPipeline.message).to.match(/\$function is not supported by the embedded engine/);
    const inUpdate = await errorOf(db.collection('c').updateOne({}, [{ $set: { x: fn } }]));
    expect(inUpdate.message).to.match(/\$function is not supported/);
    const accumulator = await errorOf(
      db
        .collection('c')
        .aggregate([{ $group: { _id: null, x: { $accumulator: {} } } }])
        .toArray(),
    );
    expect(accumulator.message).to.match(/\$accumulator is not supported/);
    // Inside $literal it is data, not an operator.
    const [literal] = await db
      .collection('c')
      .aggregate([{ $limit: 1 }, { $project: { _id: 0, x: { $literal: { $where: 1 } } } }])
      .toArray();
    expect(literal).to.deep.equal({ x: { $where: 1 } });
  });

  it('sorting by a text or search score: CommandNotSupported (115), in find and in $sort', async () => {
    const coll = db.collection('c');
    const inFind = await errorOf(
      coll
        .find({})
        .sort({ s: { $meta: 'textScore' } })
        .toArray(),
    );
    expect(inFind.code).to.equal(115);
    expect(String(inFind.message)).to.match(/\$meta: 'textScore'.*\$text/);
    const inSort = await errorOf(
      coll.aggregate([{ $sort: { s: { $meta: 'searchScore' } } }]).toArray(),
    );
    expect(inSort.code).to.equal(115);
  });

  it('$indexStats: BadValue (2) saying the engine does not support it', async () => {
    const err = await errorOf(
      db
        .collection('c')
        .aggregate([{ $indexStats: {} }])
        .toArray(),
    );
    expect(err.code).to.equal(2);
    expect(String(err.message)).to.match(/not supported by the embedded engine/);
  });
});
