import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  EJSON,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
  type Document,
} from 'bson';
import { expect } from 'chai';
import type { Db } from 'mongodb';
import { startTestEngine, type EngineFixture } from '../../server/src/engine/testing.js';
import { dumpDatabase } from './dump.js';
import { DumpError, MANIFEST_FILE, readManifest } from './format.js';
import { RestoreFailed, RestoreRefused, restoreDatabase } from './load.js';
import { openTarget, TargetError } from './target.js';

const DB = 'quorum';

/** Everything restore must bring back: per collection its options, indexes and documents (canonical EJSON). */
async function contents(db: Db): Promise<Record<string, Document>> {
  const out: Record<string, Document> = {};
  const infos = await db.listCollections().toArray();
  for (const info of infos) {
    const collection = db.collection(info.name);
    const documents = await collection
      .find({}, { promoteValues: false, bsonRegExp: true })
      .toArray();
    out[info.name] = {
      options: EJSON.serialize((info as { options?: Document }).options ?? {}, { relaxed: false }),
      indexes: EJSON.serialize(await collection.listIndexes().toArray(), { relaxed: false }),
      documents: documents.map((d) => EJSON.stringify(d, { relaxed: false })),
    };
  }
  return out;
}

/** Documents of several collections holding every BSON type, and indexes of every kind. */
async function fill(db: Db): Promise<void> {
  const users = db.collection('users');
  await users.insertMany(
    Array.from({ length: 250 }, (_, i) => ({
      _id: new ObjectId(),
      email: `person${i}@example.org`,
      name: `Person ${i} ✓ ünïcödé`,
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
      deactivated: i % 7 === 0,
      avatar: i % 5 === 0 ? null : new Binary(Buffer.from(`png-${i}`)),
    })),
  );
  await users.createIndex({ email: 1 }, { unique: true });
  await users.createIndex({ deactivated: 1, createdAt: -1 });

  await db.collection('sessions').insertMany(
    Array.from({ length: 40 }, (_, i) => ({
      token: `t${i}`,
      // Far in the future: the TTL sweeper must not remove them during the test.
      expiresAt: new Date(Date.UTC(2100, 0, 1) + i),
    })),
  );
  await db.collection('sessions').createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });

  await db.collection('memberships').insertMany(
    Array.from({ length: 120 }, (_, i) => ({
      group: new ObjectId(),
      user: `u${i % 30}`,
      role: i % 10 === 0 ? 'coordinator' : 'member',
      invitedBy: i % 3 === 0 ? `u${i}` : undefined,
    })),
    { ignoreUndefined: true },
  );
  await db
    .collection('memberships')
    .createIndex(
      { user: 1, role: 1 },
      { name: 'coordinators', partialFilterExpression: { role: 'coordinator' } },
    );
  await db.collection('memberships').createIndex({ invitedBy: 1 }, { sparse: true });

  await db.command({ create: 'ledger', validator: { amount: { $exists: true } } });
  await db.collection<Document & { _id: unknown }>('ledger').insertMany([
    {
      _id: 'every-type',
      int32: new Int32(7),
      int64: Long.fromString('9007199254740993'),
      double: new Double(2.5),
      negativeZero: new Double(-0),
      nan: new Double(NaN),
      infinity: new Double(-Infinity),
      amount: Decimal128.fromString('1234567890.123456789012345678901234'),
      uuid: new UUID('6a3fb2b4-5f64-4c4e-8f0b-9d8a6c1f2e3d'),
      binary: new Binary(Buffer.from([0, 1, 2, 250, 255]), 0x80),
      regex: new BSONRegExp('^quorum', 'imsux'),
      timestamp: new Timestamp({ t: 1_700_000_000, i: 3 }),
      min: new MinKey(),
      max: new MaxKey(),
      nested: { deep: [[1, 'two', { three: new Date(0) }], [], {}], nothing: null },
      'dotted.key': true,
      bool: false,
    },
    { _id: new ObjectId(), amount: Decimal128.fromString('-0.00') },
    { _id: 42, amount: Decimal128.fromString('1E+10') },
  ]);

  // An empty collection with an index must come back too.
  await db.collection('reactions').createIndex({ comment: 1, user: 1, emoji: 1 }, { unique: true });
}

describe('backup and restore (P14)', function () {
  let fixture: EngineFixture;
  let db: Db;
  let workDir: string;

  beforeEach(async function () {
    fixture = await startTestEngine();
    db = fixture.client.db(DB);
    workDir = await mkdtemp(path.join(tmpdir(), 'quorum-backup-'));
  });

  afterEach(async function () {
    await fixture.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const backupDir = () => path.join(workDir, 'backup');

  it('P14: backup, wipe, restore gives identical data', async function () {
    await fill(db);
    const before = await contents(db);
    expect(Object.keys(before)).to.have.members([
      'users',
      'sessions',
      'memberships',
      'ledger',
      'reactions',
    ]);

    const manifest = await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    expect(manifest.collections.map((c) => [c.name, c.count])).to.deep.equal([
      ['ledger', 3],
      ['memberships', 120],
      ['reactions', 0],
      ['sessions', 40],
      ['users', 250],
    ]);

    await db.dropDatabase();
    expect(await db.listCollections().toArray()).to.deep.equal([]);

    await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    const after = await contents(db);
    expect(after).to.deep.equal(before);
    // The restored indexes work: the unique one rejects a duplicate.
    const duplicate = await db
      .collection('users')
      .insertOne({ email: 'person1@example.org' })
      .then(
        () => null,
        (error: { code?: number }) => error.code,
      );
    expect(duplicate).to.equal(11000);
  });

  it('refuses to restore into a database that holds data, and leaves it as it was', async function () {
    await fill(db);
    await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    await db.dropDatabase();
    await db.collection('users').insertOne({ email: 'someone@example.org' });
    const before = await contents(db);

    let refused: unknown;
    await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir() }).catch(
      (error: unknown) => (refused = error),
    );
    expect(refused).to.be.instanceOf(RestoreRefused);
    expect((refused as Error).message).to.match(/not empty.*users.*--drop/);
    expect(await contents(db)).to.deep.equal(before);

    // With drop it replaces the data.
    await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir(), drop: true });
    expect(await db.collection('users').countDocuments()).to.equal(250);
    expect(await db.collection('users').findOne({ email: 'someone@example.org' })).to.equal(null);
  });

  it('restores over empty collections a freshly started server created', async function () {
    await fill(db);
    await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    const before = await contents(db);
    await db.dropDatabase();
    await db.collection('users').createIndex({ email: 1 }, { unique: true, name: 'other' });

    await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    expect(await contents(db)).to.deep.equal(before);
  });

  describe('a damaged backup is refused before anything is written', function () {
    beforeEach(async function () {
      await fill(db);
      await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
      await db.dropDatabase();
    });

    async function refusal(drop = false): Promise<Error> {
      try {
        await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir(), drop });
      } catch (error) {
        return error as Error;
      }
      throw new Error('the restore should have been refused');
    }

    const usersFile = async () => {
      const manifest = await readManifest(backupDir());
      const entry = manifest.collections.find((c) => c.name === 'users');
      return { path: path.join(backupDir(), entry!.file), entry: entry! };
    };

    it('a data file cut in the middle of a document', async function () {
      const { path: file, entry } = await usersFile();
      await truncate(file, entry.bytes - 10);
      const error = await refusal();
      expect(error).to.be.instanceOf(DumpError);
      expect(error.message).to.match(/users\.bson is truncated/);
      expect(await db.listCollections().toArray()).to.deep.equal([]);
    });

    it('a data file cut at a document boundary', async function () {
      const { path: file } = await usersFile();
      const bytes = await readFile(file);
      // Drop the last document exactly: every remaining frame is whole.
      await writeFile(file, bytes.subarray(0, startOfLastDocument(bytes)));
      const error = await refusal();
      expect(error).to.be.instanceOf(DumpError);
      expect(error.message).to.match(/holds \d+ documents .* manifest says 250/);
      expect(await db.listCollections().toArray()).to.deep.equal([]);
    });

    it('a changed byte inside a document', async function () {
      const { path: file } = await usersFile();
      const bytes = await readFile(file);
      const at = bytes.indexOf('person17@');
      bytes[at] = 'P'.charCodeAt(0);
      await writeFile(file, bytes);
      const error = await refusal();
      expect(error).to.be.instanceOf(DumpError);
      expect(error.message).to.match(/does not match its checksum/);
      expect(await db.listCollections().toArray()).to.deep.equal([]);
    });

    it('a garbled length prefix', async function () {
      const { path: file } = await usersFile();
      const bytes = await readFile(file);
      bytes.writeInt32LE(-5, 0);
      await writeFile(file, bytes);
      const error = await refusal();
      expect(error.message).to.match(/corrupt: document 1 .* impossible length/);
    });

    it('a missing manifest (an interrupted backup), a missing or a foreign data file', async function () {
      const manifestText = await readFile(path.join(backupDir(), MANIFEST_FILE), 'utf8');
      await rm(path.join(backupDir(), MANIFEST_FILE));
      expect((await refusal()).message).to.match(/not a complete Quorum backup.*manifest\.json/);

      const tampered = JSON.parse(manifestText) as { collections: { file: string }[] };
      tampered.collections[0].file = '../../etc/passwd';
      await writeFile(path.join(backupDir(), MANIFEST_FILE), JSON.stringify(tampered));
      expect((await refusal()).message).to.match(/collections\.0\.file: must be a plain/);

      await writeFile(path.join(backupDir(), MANIFEST_FILE), manifestText);
      const { path: file } = await usersFile();
      await rm(file);
      const error = await refusal();
      expect(error.message).to.match(/users\.bson is missing/);
      expect(await db.listCollections().toArray()).to.deep.equal([]);
    });

    it('even with --drop, the existing data stays when the backup is damaged', async function () {
      await db.collection('keep').insertOne({ precious: true });
      const { path: file, entry } = await usersFile();
      await truncate(file, entry.bytes - 1);
      expect(await refusal(true)).to.be.instanceOf(DumpError);
      expect(await db.collection('keep').countDocuments()).to.equal(1);
    });
  });

  it('rolls back what it wrote when restoring fails half way', async function () {
    // A backup whose data breaks one of its own indexes: the failure comes
    // after every collection was written, the worst moment.
    await db.collection('a').insertMany([{ n: 1 }, { n: 2 }]);
    await db.collection('b').insertMany([{ email: 'x' }, { email: 'x' }]);
    await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    const manifestFile = path.join(backupDir(), MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as {
      collections: { name: string; indexes: unknown[] }[];
    };
    manifest.collections[1].indexes = [
      { key: { email: { $numberInt: '1' } }, name: 'email_1', unique: true },
    ];
    await writeFile(manifestFile, JSON.stringify(manifest));
    await db.dropDatabase();

    let failure: unknown;
    await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir() }).catch(
      (error: unknown) => (failure = error),
    );
    expect(failure).to.be.instanceOf(RestoreFailed);
    expect((failure as Error).message).to.match(/rolled back .*duplicate key/);
    expect(await db.listCollections().toArray()).to.deep.equal([]);
  });

  it('a backup taken while writes continue is one consistent snapshot', async function () {
    // Each write moves money between two collections in one transaction: in
    // any single point in time, the ledger's entries sum to the total.
    const ledger = db.collection<{ _id: number; amount: number }>('a_ledger');
    const totals = db.collection<{ _id: string; sum: number; entries: number }>('z_totals');
    await db.collection('m_filler').insertMany(Array.from({ length: 3000 }, (_, i) => ({ i })));
    await totals.insertOne({ _id: 'total', sum: 0, entries: 0 });
    let next = 1;
    const write = async () => {
      const n = next++;
      const session = fixture.client.startSession();
      try {
        await session.withTransaction(async () => {
          await ledger.insertOne({ _id: n, amount: n }, { session });
          await totals.updateOne({ _id: 'total' }, { $inc: { sum: n, entries: 1 } }, { session });
        });
      } finally {
        await session.endSession();
      }
    };
    for (let i = 0; i < 20; i++) await write();

    // A writer running all along, plus writes forced between the collections
    // the dump reads, so the snapshot is certainly spanned by writes.
    let writing = true;
    const writer = (async () => {
      while (writing) await write();
    })();
    try {
      await dumpDatabase({
        client: fixture.client,
        dbName: DB,
        dir: backupDir(),
        afterCollection: async () => {
          for (let i = 0; i < 10; i++) await write();
        },
      });
    } finally {
      writing = false;
      await writer;
    }
    const writtenMeanwhile = next - 1;

    await db.dropDatabase();
    await restoreDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    const entries = await ledger.find().sort({ _id: 1 }).toArray();
    const total = await totals.findOne({ _id: 'total' });
    expect(entries.length).to.be.at.least(20);
    expect(entries.length).to.be.below(writtenMeanwhile);
    expect(total).to.deep.equal({
      _id: 'total',
      sum: entries.reduce((sum, e) => sum + e.amount, 0),
      entries: entries.length,
    });
  });

  it('refuses to write over an existing backup', async function () {
    await db.collection('a').insertOne({ n: 1 });
    await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() });
    let error: unknown;
    await dumpDatabase({ client: fixture.client, dbName: DB, dir: backupDir() }).catch(
      (e: unknown) => (error = e),
    );
    expect(error).to.be.instanceOf(DumpError);
    expect((error as Error).message).to.match(/already exists and is not empty/);
  });
});

describe('backup and restore through DATA_DIR (P14)', function () {
  let workDir: string;

  beforeEach(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), 'quorum-backup-dir-'));
  });

  afterEach(async function () {
    await rm(workDir, { recursive: true, force: true });
  });

  it('backs up one data directory and restores into another', async function () {
    const env = (dir: string) => ({ DATA_DIR: path.join(workDir, dir), DB_NAME: 'q' });
    const source = await startTestEngine({ dataDir: path.join(workDir, 'source') });
    await fill(source.client.db('q'));
    const before = await contents(source.client.db('q'));
    await source.close();

    const from = await openTarget(env('source'), 'backup');
    try {
      await dumpDatabase({
        client: from.client,
        dbName: from.dbName,
        dir: path.join(workDir, 'b'),
      });
    } finally {
      await from.close();
    }
    const into = await openTarget(env('copy'), 'restore');
    try {
      await restoreDatabase({
        client: into.client,
        dbName: into.dbName,
        dir: path.join(workDir, 'b'),
      });
    } finally {
      await into.close();
    }

    const copy = await startTestEngine({ dataDir: path.join(workDir, 'copy') });
    try {
      expect(await contents(copy.client.db('q'))).to.deep.equal(before);
    } finally {
      await copy.close();
    }
  });

  it('explains a data directory locked by a running engine, and refuses a missing or in-memory one', async function () {
    const dataDir = path.join(workDir, 'busy');
    const running = await startTestEngine({ dataDir });
    try {
      let error: unknown;
      await openTarget({ DATA_DIR: dataDir }, 'backup').catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(TargetError);
      expect((error as Error).message).to.match(/is in use.*\n.*stop the server.*MONGODB_URI/s);
    } finally {
      await running.close();
    }

    const missing = await openTarget({ DATA_DIR: path.join(workDir, 'nope') }, 'backup').catch(
      (e: unknown) => e,
    );
    expect((missing as Error).message).to.match(/does not exist, so there is nothing to back up/);
    const memory = await openTarget({ DATA_DIR: ':memory:' }, 'backup').catch((e: unknown) => e);
    expect(memory).to.be.instanceOf(TargetError);
  });
});

/** Where the last of the BSON documents laid end to end in `bytes` begins. */
function startOfLastDocument(bytes: Buffer): number {
  let at = 0;
  while (at + bytes.readInt32LE(at) < bytes.length) at += bytes.readInt32LE(at);
  return at;
}
