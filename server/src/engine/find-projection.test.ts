import { expect } from 'chai';
import type { Collection, Db, Document } from 'mongodb';
import { startTestEngine, type EngineFixture } from './testing.js';

/**
 * Find projections as MongoDB 7.0 documents them: `$elemMatch` (on documents
 * and on plain values), `$slice` alone (an exclusion: every other field stays),
 * the positional `arr.$`, and the field order of an inclusion projection.
 */
describe('engine: find projections', () => {
  let fx: EngineFixture;
  let db: Db;
  let scores: Collection;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('projection');
    scores = db.collection('scores');
    await scores.insertMany([
      {
        name: 'ada',
        _id: 1 as never,
        points: [3, 7, 9],
        rounds: [
          { n: 1, won: false },
          { n: 2, won: true },
          { n: 3, won: true },
        ],
        profile: { city: 'London', born: 1815, lang: 'en' },
      },
      { name: 'bob', _id: 2 as never, points: [1, 2], rounds: [], profile: { city: 'Paris' } },
    ]);
  });
  after(() => fx.close());

  const project = async (filter: Document, projection: Document) =>
    (await scores.find(filter, { projection, sort: { _id: 1 } }).toArray()) as Document[];

  it('$elemMatch returns the first matching element, of plain values too', async () => {
    expect(await project({}, { points: { $elemMatch: { $gt: 5 } } })).to.deep.equal([
      { _id: 1, points: [7] },
      { _id: 2 },
    ]);
    expect(await project({ _id: 1 }, { rounds: { $elemMatch: { won: true } } })).to.deep.equal([
      { _id: 1, rounds: [{ n: 2, won: true }] },
    ]);
    await db.collection('tags').insertOne({ _id: 1 as never, tags: ['Red', 'green'] });
    const [tagged] = await db
      .collection('tags')
      .find(
        {},
        {
          projection: { tags: { $elemMatch: { $eq: 'GREEN' } } },
          collation: { locale: 'en', strength: 2 },
        },
      )
      .toArray();
    expect(tagged).to.deep.equal({ _id: 1, tags: ['green'] });
  });

  it('$slice alone (or with exclusions) keeps every other field', async () => {
    expect(await project({ _id: 1 }, { points: { $slice: 1 } })).to.deep.equal([
      {
        name: 'ada',
        _id: 1,
        points: [3],
        rounds: [
          { n: 1, won: false },
          { n: 2, won: true },
          { n: 3, won: true },
        ],
        profile: { city: 'London', born: 1815, lang: 'en' },
      },
    ]);
    expect(
      await project({ _id: 1 }, { rounds: 0, profile: 0, points: { $slice: [-2, 1] } }),
    ).to.deep.equal([{ name: 'ada', _id: 1, points: [7] }]);
    // With an inclusion, only the included fields and the slice come back.
    expect(await project({ _id: 1 }, { name: 1, points: { $slice: -1 } })).to.deep.equal([
      { name: 'ada', _id: 1, points: [9] },
    ]);
  });

  it('the positional arr.$ returns the element the query matched, in find and findAndModify', async () => {
    expect(await project({ points: { $gt: 5 } }, { 'points.$': 1 })).to.deep.equal([
      { _id: 1, points: [7] },
    ]);
    expect(await project({ 'rounds.n': 3 }, { 'rounds.$': 1, name: 1 })).to.deep.equal([
      { name: 'ada', _id: 1, rounds: [{ n: 3, won: true }] },
    ]);
    const before = await scores.findOneAndUpdate(
      { 'rounds.won': true },
      { $set: { seen: true } },
      { projection: { 'rounds.$': 1 } },
    );
    expect(before).to.deep.equal({ _id: 1, rounds: [{ n: 2, won: true }] });
  });

  it('stores _id first whatever order the client sent (insert, upserted replacement)', async () => {
    const [ada] = await project({ _id: 1 }, {});
    expect(Object.keys(ada)[0]).to.equal('_id');
    const upserted = await db
      .collection('order')
      .findOneAndReplace(
        { _id: 7 as never },
        { name: 'eve', _id: 7 as never },
        { upsert: true, returnDocument: 'after' },
      );
    expect(Object.keys(upserted ?? {})).to.deep.equal(['_id', 'name']);
  });

  it('returns included fields in the document’s order, computed ones after', async () => {
    const [doc] = await project(
      { _id: 1 },
      { shout: { $toUpper: '$name' }, 'profile.lang': 1, 'profile.city': 1, name: 1 },
    );
    expect(Object.keys(doc)).to.deep.equal(['_id', 'name', 'profile', 'shout']);
    expect(Object.keys(doc.profile as Document)).to.deep.equal(['city', 'lang']);
    const [aggregated] = await scores
      .aggregate([
        { $match: { _id: 2 } },
        { $project: { zed: { $literal: 1 }, profile: 1, alpha: '$name' } },
      ])
      .toArray();
    expect(Object.keys(aggregated)).to.deep.equal(['_id', 'profile', 'zed', 'alpha']);
    // An exclusion keeps the document's own order.
    const [excluded] = await project({ _id: 2 }, { points: 0, rounds: 0 });
    expect(Object.keys(excluded)).to.deep.equal(['_id', 'name', 'profile']);
  });

  it('top-level inclusions and exclusions keep whole values, _id first unless dropped', async () => {
    const ada = (await project({ _id: 1 }, {}))[0];
    expect(await project({ _id: 1 }, { profile: 1, name: true })).to.deep.equal([
      { _id: 1, name: 'ada', profile: ada.profile },
    ]);
    const [included] = await project({ _id: 1 }, { rounds: 1, name: 1 });
    expect(Object.keys(included)).to.deep.equal(['_id', 'name', 'rounds']);
    expect(await project({}, { _id: 0, name: 1, missing: 1 })).to.deep.equal([
      { name: 'ada' },
      { name: 'bob' },
    ]);
    expect(await project({}, { _id: 1 })).to.deep.equal([{ _id: 1 }, { _id: 2 }]);
    expect(await project({ _id: 2 }, { _id: 0 })).to.deep.equal([
      { name: 'bob', points: [1, 2], rounds: [], profile: { city: 'Paris' } },
    ]);
    expect(await project({ _id: 2 }, { points: false, rounds: 0, _id: 1 })).to.deep.equal([
      { _id: 2, name: 'bob', profile: { city: 'Paris' } },
    ]);
  });

  it('refuses a mix of inclusion and exclusion, naming the field of the other kind', async () => {
    const refusal = (projection: Document) =>
      project({}, projection).then(
        () => expect.fail('accepted'),
        (err: { code: number; message: string }) => [err.code, err.message],
      );
    expect(await refusal({ name: 1, points: 0 })).to.deep.equal([
      31254,
      'Cannot do exclusion on field points in inclusion projection',
    ]);
    expect(await refusal({ rounds: false, 'profile.city': 1 })).to.deep.equal([
      31253,
      'Cannot do inclusion on field profile.city in exclusion projection',
    ]);
    // `_id` may go either way in both kinds.
    expect(await project({ _id: 2 }, { _id: 0, name: 1 })).to.deep.equal([{ name: 'bob' }]);
    expect(await project({ _id: 2 }, { _id: 1, points: 0, rounds: 0, profile: 0 })).to.deep.equal([
      { _id: 2, name: 'bob' },
    ]);
  });
});
