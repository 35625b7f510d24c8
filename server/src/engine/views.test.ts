import { expect } from 'chai';
import type { Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

interface Person {
  _id: number;
  name: string;
  city?: string;
  age: number;
}

describe('engine: views', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('views');
    await db.collection<Person>('people').insertMany([
      { _id: 1, name: 'Ada', city: 'London', age: 36 },
      { _id: 2, name: 'Grace', city: 'New York', age: 85 },
      { _id: 3, name: 'Linus', city: 'Portland', age: 54 },
      { _id: 4, name: 'Barbara', city: 'London', age: 70 },
    ]);
    await db.createCollection('londoners', {
      viewOn: 'people',
      pipeline: [{ $match: { city: 'London' } }, { $project: { city: 0 } }],
    });
  });
  after(() => fx.close());

  it('lists a view with type "view", its definition and readOnly', async () => {
    const [info] = await db.listCollections({ name: 'londoners' }, { nameOnly: false }).toArray();
    expect(info.type).to.equal('view');
    expect(info.options).to.deep.equal({
      viewOn: 'people',
      pipeline: [{ $match: { city: 'London' } }, { $project: { city: 0 } }],
    });
    expect(info.info).to.deep.equal({ readOnly: true });
    const names = await db.listCollections({ type: 'view' }, { nameOnly: true }).toArray();
    expect(names.map((c) => c.name)).to.deep.equal(['londoners']);
  });

  it('stores a view’s collation completed with its locale’s defaults, as a collection’s', async () => {
    await db.createCollection('danes', {
      viewOn: 'people',
      pipeline: [],
      collation: { locale: 'da' },
    });
    await db.createCollection('danish', { collation: { locale: 'da' } });
    await db.createCollection('simply', {
      viewOn: 'people',
      pipeline: [],
      collation: { locale: 'simple' },
    });
    const infos = await db
      .listCollections({ name: { $in: ['danes', 'danish', 'simply'] } }, { nameOnly: false })
      .toArray();
    const byName = Object.fromEntries(infos.map((info) => [info.name, info.options as Document]));
    expect(byName.danes.collation).to.deep.equal(byName.danish.collation);
    // Danish sorts upper case first by default.
    expect(byName.danes.collation).to.include({ locale: 'da', caseFirst: 'upper', strength: 3 });
    expect(byName.simply).to.not.have.property('collation');
    const [definition] = await db
      .collection('system.views')
      .find({ _id: 'views.danes' as never })
      .toArray();
    expect(definition.collation).to.deep.equal(byName.danish.collation);
    for (const name of ['danes', 'danish', 'simply']) await db.dropCollection(name);
  });

  it('lists system.views, a collection, while the database holds a view', async () => {
    const [system] = await db
      .listCollections({ name: 'system.views' }, { nameOnly: false })
      .toArray();
    expect(system.type).to.equal('collection');
    expect(system.options).to.deep.equal({});
    expect(system.info?.readOnly).to.equal(false);
    expect(system.idIndex).to.deep.include({ name: '_id_', key: { _id: 1 } });
    const collections = await db
      .listCollections({ type: 'collection' }, { nameOnly: true })
      .toArray();
    expect(collections).to.deep.equal([
      { name: 'people', type: 'collection' },
      { name: 'system.views', type: 'collection' },
    ]);
    const plain = fx.client.db('views_none');
    await plain.collection('things').insertOne({ a: 1 });
    const names = (await plain.listCollections().toArray()).map((c) => c.name);
    expect(names).to.deep.equal(['things']);
  });

  it('reads the view definitions from system.views, filtered like any find', async () => {
    const definitions = await db.collection('system.views').find({ viewOn: 'people' }).toArray();
    expect(definitions).to.deep.equal([
      {
        _id: 'views.londoners',
        viewOn: 'people',
        pipeline: [{ $match: { city: 'London' } }, { $project: { city: 0 } }],
      },
    ]);
    expect(await db.collection('system.views').countDocuments({ viewOn: 'nothing' })).to.equal(0);
    const indexes = await db.collection('system.views').indexes();
    expect(indexes.map((index) => index.name)).to.deep.equal(['_id_']);
  });

  it('refuses writes to system.views (73); dropping it drops every view of the database', async () => {
    const insert = await errorOf(
      db.collection('system.views').insertOne({ _id: 'views.x' } as never),
    );
    expect(insert.code).to.equal(73);
    expect(insert.errmsg).to.equal('cannot write to views.system.views');
    const update = await errorOf(
      db.collection('system.views').updateOne({}, { $set: { viewOn: 'x' } }),
    );
    expect(update.code).to.equal(73);
    const other = fx.client.db('views_drop');
    await other.collection('base').insertOne({ a: 1 });
    await other.createCollection('v1', { viewOn: 'base' });
    await other.createCollection('v2', { viewOn: 'v1' });
    expect(await other.collection('system.views').drop()).to.equal(true);
    const names = (await other.listCollections().toArray()).map((c) => c.name);
    expect(names).to.deep.equal(['base']);
    expect(await other.collection('base').countDocuments()).to.equal(1);
  });

  it('dbStats counts the views, and system.views among the collections; collStats measures it', async () => {
    const stats = await db.stats();
    expect(stats.views).to.equal(1);
    expect(stats.collections).to.equal(2);
    expect(stats.objects).to.equal(5);
    expect(stats.indexes).to.equal(2);
    const people = await db.command({ collStats: 'people' });
    const system = await db.command({ collStats: 'system.views' });
    expect(system.count).to.equal(1);
    expect(system.nindexes).to.equal(1);
    expect(stats.dataSize).to.equal(people.size + system.size);
    const [staged] = await db
      .collection('system.views')
      .aggregate([{ $collStats: { count: {} } }])
      .toArray();
    expect(staged.count).to.equal(1);
    const onView = await errorOf(db.command({ collStats: 'londoners' }));
    expect(onView.code).to.equal(166);
    const stageOnView = await errorOf(
      db
        .collection('londoners')
        .aggregate([{ $collStats: { storageStats: {} } }])
        .toArray(),
    );
    expect(stageOnView.code).to.equal(166);
    const { databases } = await fx.client.db().admin().listDatabases();
    expect(databases.find((entry) => entry.name === 'views')?.sizeOnDisk).to.equal(stats.totalSize);
    const plain = await fx.client.db('views_none').stats();
    expect(plain.views).to.equal(0);
    expect(plain.collections).to.equal(1);
  });

  it('reads through the pipeline with find, filter, sort, skip, limit and projection', async () => {
    const all = await db.collection<Person>('londoners').find().sort({ age: -1 }).toArray();
    expect(all).to.deep.equal([
      { _id: 4, name: 'Barbara', age: 70 },
      { _id: 1, name: 'Ada', age: 36 },
    ]);
    const older = await db
      .collection('londoners')
      .find({ age: { $gt: 40 } }, { projection: { _id: 0, name: 1 } })
      .toArray();
    expect(older).to.deep.equal([{ name: 'Barbara' }]);
    const second = await db
      .collection('londoners')
      .find()
      .sort({ age: 1 })
      .skip(1)
      .limit(1)
      .toArray();
    expect(second.map((d) => d.name)).to.deep.equal(['Barbara']);
  });

  it('counts, distincts and aggregates through the pipeline, seeing later writes', async () => {
    const view = db.collection<Person>('londoners');
    expect(await view.countDocuments()).to.equal(2);
    expect(await view.countDocuments({ age: { $lt: 50 } })).to.equal(1);
    expect((await view.distinct('name')).sort()).to.deep.equal(['Ada', 'Barbara']);
    // The view hides `city`, so distinct over it sees nothing.
    expect(await view.distinct('city')).to.deep.equal([]);
    const [total] = await view
      .aggregate([{ $group: { _id: null, age: { $sum: '$age' } } }])
      .toArray();
    expect(total.age).to.equal(106);
    await db
      .collection<Person>('people')
      .insertOne({ _id: 5, name: 'Tim', city: 'London', age: 69 });
    expect(await view.countDocuments()).to.equal(3);
    await db.collection<Person>('people').deleteOne({ _id: 5 });
  });

  it('reads a view defined on another view', async () => {
    await db.createCollection('young_londoners', {
      viewOn: 'londoners',
      pipeline: [{ $match: { age: { $lt: 50 } } }],
    });
    const docs = await db.collection('young_londoners').find().toArray();
    expect(docs).to.deep.equal([{ _id: 1, name: 'Ada', age: 36 }]);
  });

  it('refuses writes and index commands on a view with 166 CommandNotSupportedOnView', async () => {
    const view = db.collection<Person>('londoners');
    const attempts = [
      () => view.insertOne({ _id: 9, name: 'x', age: 1 }),
      () => view.updateOne({ _id: 1 }, { $set: { age: 1 } }),
      () => view.deleteMany({}),
      () => view.findOneAndUpdate({ _id: 1 }, { $set: { age: 1 } }),
      () => view.createIndex({ name: 1 }),
      () => view.indexes(),
    ];
    for (const attempt of attempts) {
      const err = await errorOf(attempt());
      expect(err.code).to.equal(166);
      expect(err.codeName).to.equal('CommandNotSupportedOnView');
      expect(err.message).to.equal('Namespace views.londoners is a view, not a collection');
    }
    expect(await db.collection<Person>('people').countDocuments()).to.equal(4);
  });

  it('refuses a change stream on a view', async () => {
    const err = await errorOf(db.collection<Person>('londoners').watch().tryNext());
    expect(err.code).to.equal(166);
  });

  it('refuses a view name already taken, and bad definitions', async () => {
    const taken = await errorOf(db.createCollection('people', { viewOn: 'londoners' }));
    expect(taken.code).to.equal(48);
    const badStage = await errorOf(
      db.createCollection('bad1', { viewOn: 'people', pipeline: [{ $nope: {} }] }),
    );
    expect(badStage.code).to.equal(40324);
    const out = await errorOf(
      db.createCollection('bad2', { viewOn: 'people', pipeline: [{ $out: 'x' }] }),
    );
    expect(out.codeName).to.equal('OptionNotSupportedOnView');
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.to.include.members(['bad1', 'bad2']);
  });

  it('drops a view without touching the collection it reads', async () => {
    await db.createCollection('temp_view', { viewOn: 'people' });
    expect(await db.collection('temp_view').countDocuments()).to.equal(4);
    expect(await db.collection('temp_view').drop()).to.equal(true);
    expect(await db.listCollections({ name: 'temp_view' }).toArray()).to.deep.equal([]);
    expect(await db.collection<Person>('people').countDocuments()).to.equal(4);
  });

  it('reads a view inside a transaction, seeing the transaction’s own writes', async () => {
    const session = fx.client.startSession();
    try {
      await session.withTransaction(async () => {
        await db
          .collection<Person>('people')
          .insertOne({ _id: 6, name: 'Radia', city: 'London', age: 72 }, { session });
        const names = await db
          .collection('londoners')
          .find({}, { session })
          .sort({ _id: 1 })
          .toArray();
        expect(names.map((d) => d.name)).to.deep.equal(['Ada', 'Barbara', 'Radia']);
        await session.abortTransaction();
      });
    } finally {
      await session.endSession();
    }
    expect(await db.collection<Person>('londoners').countDocuments()).to.equal(2);
  });
});
