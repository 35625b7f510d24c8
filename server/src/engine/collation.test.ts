import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CollationOptions, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

const S1: CollationOptions = { locale: 'en', strength: 1 };
const S2: CollationOptions = { locale: 'en', strength: 2 };

const names = (docs: Document[]) => docs.map((d) => d.name as string);

describe('engine: collation', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('collation');
    await db.collection('cafes').insertMany([
      { _id: 1 as never, name: 'café' },
      { _id: 2 as never, name: 'Café' },
      { _id: 3 as never, name: 'cafe' },
      { _id: 4 as never, name: 'CAFÉ' },
      { _id: 5 as never, name: 'bar' },
    ]);
  });
  after(() => fx.close());

  describe('matching', () => {
    it('compares case-insensitively at strength 2 and ignores accents too at strength 1', async () => {
      const cafes = db.collection('cafes');
      const byId = { sort: { _id: 1 } } as const;
      expect(
        names(await cafes.find({ name: 'CAFÉ' }, { ...byId, collation: S2 }).toArray()),
      ).to.deep.equal(['café', 'Café', 'CAFÉ']);
      expect(
        names(await cafes.find({ name: 'CAFÉ' }, { ...byId, collation: S1 }).toArray()),
      ).to.deep.equal(['café', 'Café', 'cafe', 'CAFÉ']);
      // The default strength (3) tells case apart; without a collation the comparison is binary.
      expect(
        names(await cafes.find({ name: 'Café' }, { collation: { locale: 'en' } }).toArray()),
      ).to.deep.equal(['Café']);
      expect(names(await cafes.find({ name: 'CAFÉ' }).toArray())).to.deep.equal(['CAFÉ']);
    });

    it('applies the collation to $in, $ne, $nin, ranges, $all and $elemMatch', async () => {
      const cafes = db.collection('cafes');
      const ids = async (filter: Document) =>
        (await cafes.find(filter, { collation: S2, sort: { _id: 1 } }).toArray()).map((d) => d._id);
      expect(await ids({ name: { $in: ['CAFE', 'BAR'] } })).to.deep.equal([3, 5]);
      expect(await ids({ name: { $nin: ['CAFÉ'] } })).to.deep.equal([3, 5]);
      expect(await ids({ name: { $ne: 'CAFÉ' } })).to.deep.equal([3, 5]);
      // 'B' < 'c' under the collation; binary order puts every capital before 'b'.
      expect(await ids({ name: { $gte: 'B', $lt: 'C' } })).to.deep.equal([5]);
      await db.collection('tags').insertOne({ tags: ['Red', 'GREEN'], items: [{ k: 'A' }] });
      const tags = db.collection('tags');
      expect(
        await tags.countDocuments({ tags: { $all: ['red', 'green'] } }, { collation: S2 }),
      ).to.equal(1);
      expect(await tags.countDocuments({ tags: { $all: ['red', 'green'] } })).to.equal(0);
      expect(
        await tags.countDocuments({ items: { $elemMatch: { k: 'a' } } }, { collation: S2 }),
      ).to.equal(1);
    });

    it('tells case apart at strength 1 with caseLevel, and ignores punctuation with alternate shifted', async () => {
      const cafes = db.collection('cafes');
      const caseLevel = { locale: 'en', strength: 1, caseLevel: true };
      expect(
        names(
          await cafes.find({ name: 'cafe' }, { collation: caseLevel, sort: { _id: 1 } }).toArray(),
        ),
      ).to.deep.equal(['café', 'cafe']);
      const words = db.collection('punct');
      await words.insertMany([{ w: 'co-op' }, { w: 'co op' }, { w: 'coop' }, { w: 'cop' }]);
      const shifted = { locale: 'en', strength: 1, alternate: 'shifted' as const };
      expect(await words.countDocuments({ w: 'coop' }, { collation: shifted })).to.equal(3);
      expect(await words.countDocuments({ w: 'coop' }, { collation: S1 })).to.equal(1);
      // At strength 4 the ignored punctuation still tells strings apart (quaternary level).
      const quaternary = { locale: 'en', strength: 4, alternate: 'shifted' as const };
      expect(await words.countDocuments({ w: 'coop' }, { collation: quaternary })).to.equal(1);
    });

    it('collates comparisons inside $expr', async () => {
      const cafes = db.collection('cafes');
      const found = await cafes
        .find({ $expr: { $eq: ['$name', 'CAFE'] } }, { collation: S1, sort: { _id: 1 } })
        .toArray();
      expect(found.map((d) => d._id)).to.deep.equal([1, 2, 3, 4]);
    });
  });

  describe('sorting', () => {
    before(async () => {
      await db
        .collection('words')
        .insertMany(
          ['z', 'é', 'e', 'f', 'E', '10', '9', '2'].map((w, i) => ({ _id: i as never, w })),
        );
    });

    it('sorts by the locale’s alphabet, and numbers within strings by value with numericOrdering', async () => {
      const words = db.collection('words');
      const letters = { w: { $nin: ['10', '9', '2'] } };
      const sorted = async (collation?: CollationOptions) =>
        (await words.find(letters, { sort: { w: 1 }, collation }).toArray()).map((d) => d.w);
      expect(await sorted()).to.deep.equal(['E', 'e', 'f', 'z', 'é']);
      expect(await sorted({ locale: 'en' })).to.deep.equal(['e', 'E', 'é', 'f', 'z']);
      expect(await sorted({ locale: 'en', caseFirst: 'upper' })).to.deep.equal([
        'E',
        'e',
        'é',
        'f',
        'z',
      ]);
      const digits = { w: { $in: ['10', '9', '2'] } };
      const numeric = await words
        .find(digits, { sort: { w: 1 }, collation: { locale: 'en', numericOrdering: true } })
        .toArray();
      expect(numeric.map((d) => d.w)).to.deep.equal(['2', '9', '10']);
      const plain = await words.find(digits, { sort: { w: 1 } }).toArray();
      expect(plain.map((d) => d.w)).to.deep.equal(['10', '2', '9']);
    });

    it('reads accents from the end of the word in Canadian French (backwards)', async () => {
      const coll = db.collection('french');
      await coll.insertMany(['côté', 'coté', 'côte', 'cote'].map((w) => ({ w })));
      const order = async (collation: CollationOptions) =>
        (await coll.find({}, { sort: { w: 1 }, collation }).toArray()).map((d) => d.w);
      expect(await order({ locale: 'fr' })).to.deep.equal(['cote', 'coté', 'côte', 'côté']);
      expect(await order({ locale: 'fr_CA' })).to.deep.equal(['cote', 'côte', 'coté', 'côté']);
      expect(await order({ locale: 'fr', backwards: true })).to.deep.equal([
        'cote',
        'côte',
        'coté',
        'côté',
      ]);
    });
  });

  describe('count, distinct and aggregate', () => {
    it('counts and lists distinct values under the collation', async () => {
      const cafes = db.collection('cafes');
      expect(await cafes.countDocuments({ name: 'cafe' }, { collation: S1 })).to.equal(4);
      const count = await db.command({ count: 'cafes', query: { name: 'café' }, collation: S2 });
      expect(count.n).to.equal(3);
      const values = await cafes.distinct('name', {}, { collation: S2 });
      expect(values).to.have.length(3);
      expect(values).to.include('bar');
      expect(await cafes.distinct('name', {}, { collation: S1 })).to.have.length(2);
      expect(await cafes.distinct('name')).to.have.length(5);
    });

    it('applies the collation to $match (first or later), $sort and the keys of $group', async () => {
      const cities = db.collection('cities');
      await cities.insertMany([
        { city: 'Paris', n: 1 },
        { city: 'paris', n: 2 },
        { city: 'PARIS', n: 3 },
        { city: 'Lyon', n: 4 },
      ]);
      const grouped = await cities
        .aggregate([{ $group: { _id: '$city', total: { $sum: '$n' } } }, { $sort: { total: 1 } }], {
          collation: S2,
        })
        .toArray();
      expect(grouped.map((g) => g.total)).to.deep.equal([4, 6]);
      expect((grouped[1]._id as string).toLowerCase()).to.equal('paris');
      const binary = await cities.aggregate([{ $group: { _id: '$city' } }]).toArray();
      expect(binary).to.have.length(4);
      const matched = await cities
        .aggregate([{ $match: { city: 'paris' } }], { collation: S2 })
        .toArray();
      expect(matched).to.have.length(3);
      const later = await cities
        .aggregate([{ $addFields: { c: '$city' } }, { $match: { c: 'PARIS' } }], { collation: S2 })
        .toArray();
      expect(later).to.have.length(3);
      const sorted = await cities
        .aggregate([{ $sort: { city: -1, n: 1 } }, { $project: { _id: 0, city: 1 } }], {
          collation: { locale: 'en' },
        })
        .toArray();
      // English puts lowercase first at the tertiary level; descending reverses it.
      expect(sorted.map((d) => d.city)).to.deep.equal(['PARIS', 'Paris', 'paris', 'Lyon']);
    });

    it('joins $lookup localField and foreignField by the collation', async () => {
      const regions = db.collection('regions');
      await regions.insertMany([
        { city: 'PARIS', region: 'Île-de-France' },
        { city: 'lyon', region: 'Auvergne-Rhône-Alpes' },
      ]);
      const lookup = {
        $lookup: { from: 'regions', localField: 'city', foreignField: 'city', as: 'r' },
      };
      const stages = [lookup, { $match: { r: { $size: 1 } } }, { $count: 'joined' }];
      const collated = await db.collection('cities').aggregate(stages, { collation: S2 }).toArray();
      expect(collated).to.deep.equal([{ joined: 4 }]);
      const binary = await db.collection('cities').aggregate(stages).toArray();
      expect(binary).to.deep.equal([{ joined: 1 }]);
    });
  });

  describe('writes', () => {
    it('updates, deletes and findAndModifies what the collation matches', async () => {
      const coll = db.collection('writes');
      await coll.insertMany([
        { _id: 1 as never, name: 'Ana' },
        { _id: 2 as never, name: 'ANA' },
        { _id: 3 as never, name: 'Ána' },
        { _id: 4 as never, name: 'Bob' },
      ]);
      const updated = await coll.updateMany(
        { name: 'ana' },
        { $set: { seen: true } },
        { collation: S2 },
      );
      expect(updated.modifiedCount).to.equal(2);
      const plain = await coll.updateMany({ name: 'ana' }, { $set: { other: true } });
      expect(plain.matchedCount).to.equal(0);
      const changed = await coll.findOneAndUpdate(
        { name: 'ana' },
        { $set: { first: true } },
        { collation: S2, sort: { _id: -1 }, returnDocument: 'after' },
      );
      // 'Ána' differs by its accent at strength 2: the last match by _id is 'ANA'.
      expect(changed).to.include({ _id: 2, first: true });
      const removed = await coll.findOneAndDelete({ name: 'BOB' }, { collation: S2 });
      expect(removed?._id).to.equal(4);
      const deleted = await coll.deleteMany({ name: 'ANA' }, { collation: S1 });
      expect(deleted.deletedCount).to.equal(3);
      expect(await coll.countDocuments()).to.equal(0);
    });

    it('compares by the collation in $addToSet, $pull, $min and $max', async () => {
      const coll = db.collection('operators');
      await coll.insertOne({ _id: 1 as never, tags: ['red', 'Blue'], low: 'B', high: 'b' });
      const at = { _id: 1 as never };
      await coll.updateOne(at, { $addToSet: { tags: 'BLUE' } }, { collation: S2 });
      await coll.updateOne(
        at,
        { $addToSet: { tags: { $each: ['GREEN', 'green', 'RED'] } } },
        { collation: S2 },
      );
      await coll.updateOne(at, { $pull: { tags: 'RED' as never } }, { collation: S2 });
      // 'a' sorts before 'B' under the collation (binary order says the opposite); 'A' is not above 'b'.
      await coll.updateOne(at, { $min: { low: 'a' }, $max: { high: 'A' } }, { collation: S2 });
      expect(await coll.findOne(at)).to.deep.equal({
        _id: 1,
        tags: ['Blue', 'GREEN'],
        low: 'a',
        high: 'b',
      });
      await coll.updateOne(at, { $addToSet: { tags: 'blue' } });
      expect((await coll.findOne(at))?.tags).to.deep.equal(['Blue', 'GREEN', 'blue']);
    });

    it('uses the collation for each bulk statement separately', async () => {
      const coll = db.collection('bulk');
      await coll.insertMany([{ k: 'x' }, { k: 'X' }]);
      const res = await coll.bulkWrite([
        { updateMany: { filter: { k: 'x' }, update: { $set: { a: 1 } }, collation: S2 } },
        { updateMany: { filter: { k: 'x' }, update: { $set: { b: 1 } } } },
        { deleteOne: { filter: { k: 'X' }, collation: { locale: 'simple' } } },
      ]);
      expect(res.modifiedCount).to.equal(3);
      expect(res.deletedCount).to.equal(1);
      const left = await coll.find({}, { projection: { _id: 0 } }).toArray();
      expect(left).to.deep.equal([{ k: 'x', a: 1, b: 1 }]);
    });
  });

  describe('collection default collation', () => {
    it('applies the collection’s collation when a command gives none, and a command’s own otherwise', async () => {
      const coll = await db.createCollection('people', { collation: S2 });
      await coll.insertMany([{ name: 'Zoë' }, { name: 'zoë' }, { name: 'zoe' }]);
      expect(await coll.countDocuments({ name: 'ZOË' })).to.equal(2);
      expect(
        await coll.countDocuments({ name: 'ZOË' }, { collation: { locale: 'simple' } }),
      ).to.equal(0);
      expect(await coll.countDocuments({ name: 'ZOE' }, { collation: S1 })).to.equal(3);
      const [info] = await db.listCollections({ name: 'people' }, { nameOnly: false }).toArray();
      const collation = (info.options as { collation: Document }).collation;
      expect(collation).to.include({
        locale: 'en',
        strength: 2,
        caseLevel: false,
        numericOrdering: false,
      });
      expect(collation.caseFirst).to.equal('off');
    });

    it('compares string _ids by the collection’s collation, as its _id index does', async () => {
      const coll = await db.createCollection('codes', { collation: S2 });
      await coll.insertOne({ _id: 'abc' as never });
      const dup = await errorOf(coll.insertOne({ _id: 'ABC' as never }));
      expect(dup.code).to.equal(11000);
      expect(await coll.findOne({ _id: 'ABC' as never })).to.deep.equal({ _id: 'abc' });
      const [idIndex] = await coll.listIndexes().toArray();
      expect(idIndex.name).to.equal('_id_');
      expect(idIndex.collation).to.include({ locale: 'en', strength: 2 });
      // Without a default collation the _id index is binary.
      await db
        .collection('binary_codes')
        .insertMany([{ _id: 'abc' as never }, { _id: 'ABC' as never }]);
    });

    it('gives new indexes the collection’s collation', async () => {
      const coll = await db.createCollection('handles', { collation: S2 });
      await coll.createIndex({ handle: 1 }, { unique: true });
      await coll.insertOne({ handle: 'Ada' });
      const err = await errorOf(coll.insertOne({ handle: 'ADA' }));
      expect(err.code).to.equal(11000);
      const indexes = await coll.listIndexes().toArray();
      expect(indexes.find((i) => i.name === 'handle_1')?.collation).to.include({
        locale: 'en',
        strength: 2,
      });
    });
  });

  describe('indexes', () => {
    it('compares the keys of a unique index by its collation', async () => {
      const coll = db.collection('emails');
      await coll.createIndex({ email: 1 }, { unique: true, collation: S2 });
      await coll.insertOne({ email: 'ada@example.org' });
      const dup = await errorOf(coll.insertOne({ email: 'ADA@example.org' }));
      expect(dup.code).to.equal(11000);
      await coll.insertOne({ email: 'ádá@example.org' });
      const moved = await errorOf(
        coll.updateOne({ email: 'ádá@example.org' }, { $set: { email: 'Ada@Example.org' } }),
      );
      expect(moved.code).to.equal(11000);
      const [spec] = (await coll.listIndexes().toArray()).filter((i) => i.name === 'email_1');
      expect(spec.collation).to.include({ locale: 'en', strength: 2 });
    });

    it('enforces a collated unique index inside a transaction', async () => {
      const coll = db.collection('txn_emails');
      await coll.createIndex({ email: 1 }, { unique: true, collation: S2 });
      await coll.insertOne({ email: 'grace@example.org' });
      const session = fx.client.startSession();
      try {
        session.startTransaction();
        const err = await errorOf(coll.insertOne({ email: 'GRACE@example.org' }, { session }));
        expect(err.code).to.equal(11000);
      } finally {
        await session.abortTransaction().catch(() => undefined);
        await session.endSession();
      }
    });

    it('answers a query only from an index with the query’s own collation', async () => {
      const coll = db.collection('indexed');
      await coll.createIndex({ name: 1 });
      await coll.createIndex({ tag: 1 }, { collation: S2 });
      await coll.insertMany([
        { name: 'alice', tag: 'red' },
        { name: 'ALICE', tag: 'RED' },
      ]);
      // A binary index cannot find the case variants a strength-2 query must return.
      expect(await coll.countDocuments({ name: 'Alice' }, { collation: S2 })).to.equal(2);
      // A collated index cannot answer a binary query's exact match by itself.
      expect(await coll.countDocuments({ tag: 'Red' })).to.equal(0);
      expect(await coll.countDocuments({ tag: 'Red' }, { collation: S2 })).to.equal(2);
      expect(
        await coll.countDocuments({ tag: { $gte: 'R', $lt: 'S' } }, { collation: S2 }),
      ).to.equal(2);
    });

    it('keeps two indexes on the same key with different collations apart', async () => {
      const coll = db.collection('twokeys');
      await coll.createIndex({ k: 1 }, { name: 'k_binary' });
      await coll.createIndex({ k: 1 }, { name: 'k_fr', collation: { locale: 'fr' } });
      const names = (await coll.listIndexes().toArray()).map((i) => i.name);
      expect(names).to.include.members(['k_binary', 'k_fr']);
    });
  });

  describe('durability', () => {
    it('keeps a collection’s default collation and a collated unique index across a restart', async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-collation-'));
      try {
        let durable = await startTestEngine({ dataDir });
        const first = await durable.client.db('d').createCollection('members', { collation: S2 });
        await first.createIndex({ email: 1 }, { unique: true });
        await first.insertOne({ email: 'lin@example.org' });
        await durable.close();
        durable = await startTestEngine({ dataDir });
        try {
          const members = durable.client.db('d').collection('members');
          expect(await members.countDocuments({ email: 'LIN@example.org' })).to.equal(1);
          const dup = await errorOf(members.insertOne({ email: 'Lin@Example.org' }));
          expect(dup.code).to.equal(11000);
        } finally {
          await durable.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('refusals', () => {
    it('refuses an unknown locale as MongoDB does, suggesting the one it would use', async () => {
      const cafes = db.collection('cafes');
      const unknown = await errorOf(cafes.find({}, { collation: { locale: 'xx' } }).toArray());
      expect(unknown.code).to.equal(2);
      expect(unknown.codeName).to.equal('BadValue');
      expect(unknown.errmsg).to.equal(`Field 'locale' is invalid in: { locale: "xx" }`);
      const nearMiss = await errorOf(cafes.find({}, { collation: { locale: 'fr_FR' } }).toArray());
      expect(nearMiss.errmsg).to.match(/Did you mean 'fr'\?$/);
      for (const run of [
        () => cafes.updateOne({}, { $set: { a: 1 } }, { collation: { locale: 'xx' } }),
        () => cafes.deleteOne({}, { collation: { locale: 'xx' } }),
        () => cafes.aggregate([], { collation: { locale: 'xx' } }).toArray(),
        () => cafes.distinct('name', {}, { collation: { locale: 'xx' } }),
        () => cafes.createIndex({ name: 1 }, { collation: { locale: 'xx' } }),
        () => db.createCollection('bad_locale', { collation: { locale: 'xx' } }),
      ]) {
        const err = await errorOf(run());
        expect(err.code, String(run)).to.equal(2);
      }
      expect(await db.listCollections({ name: 'bad_locale' }).toArray()).to.deep.equal([]);
    });

    it('refuses malformed collation documents with mongod’s codes', async () => {
      const cafes = db.collection('cafes');
      const failure = async (collation: Document) =>
        errorOf(cafes.find({}, { collation: collation as CollationOptions }).toArray());
      expect((await failure({ locale: 'en', strength: 7 })).code).to.equal(9);
      expect((await failure({ locale: 'en', strength: 7 })).errmsg).to.equal(
        "Field 'strength' must be an integer 1 through 5. Got: 7",
      );
      expect((await failure({ locale: 'en', colour: 'blue' })).code).to.equal(9);
      expect((await failure({ locale: 'simple', strength: 2 })).code).to.equal(9);
      expect((await failure({ locale: 'en', caseFirst: 'sideways' })).code).to.equal(9);
      expect((await failure({ locale: 'en', strength: 1, backwards: true })).code).to.equal(2);
      expect((await failure({ locale: 'en', strength: 2, caseFirst: 'upper' })).code).to.equal(2);
      expect((await failure({ locale: '' })).code).to.equal(2);
      expect((await failure({ strength: 2 })).code).to.equal(4);
      expect((await failure({ locale: 'en', caseLevel: 'yes' })).code).to.equal(14);
    });

    it('accepts the locale variants MongoDB lists', async () => {
      const coll = db.collection('phonebook');
      await coll.insertMany([{ n: 'Müller' }, { n: 'Mueller' }, { n: 'Muller' }]);
      const sorted = await coll
        .find({}, { sort: { n: 1 }, collation: { locale: 'de@collation=phonebook' } })
        .toArray();
      // The phone book treats ü as ue: Mueller and Müller sit together before Muller.
      expect(sorted.map((d) => d.n)).to.deep.equal(['Mueller', 'Müller', 'Muller']);
      const err = await errorOf(
        coll.find({}, { collation: { locale: 'de@collation=nonsense' } }).toArray(),
      );
      expect(err.code).to.equal(2);
    });
  });
});
