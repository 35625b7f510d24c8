import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Document, type ResumeToken } from 'mongodb';
import { startEngine } from './index.js';
import { errorOf } from './testing.js';
import { killed, spawnEngine } from './test-engine-process.js';

describe('engine: durability', function () {
  this.timeout(60_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-durability-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged write across kill -9, and a change stream resumes exactly once across the restart', async () => {
    const first = await spawnEngine(dataDir);
    const client = new MongoClient(first.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    const coll = client.db('durable').collection('writes');
    await coll.createIndex({ seq: 1 }, { unique: true });
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await stream.tryNext();
    for (let seq = 1; seq <= 10; seq++) await coll.insertOne({ seq });
    let token: ResumeToken = null;
    for (let seen = 0; seen < 5;) {
      const change = await stream.tryNext();
      if (change) {
        seen++;
        token = change._id;
      }
    }
    await stream.close();

    // Keep writing and kill the engine in the middle of it.
    const acknowledged: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let seq = 11; writing; seq++) {
        try {
          await coll.insertOne({ seq });
          acknowledged.push(seq);
        } catch {
          return;
        }
      }
    })();
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 5));
    await killed(first.child);
    writing = false;
    await writer;
    await client.close(true);

    const engine = await startEngine({ dataDir, port: 0 });
    const again = new MongoClient(engine.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await again.connect();
      const recovered = again.db('durable').collection('writes');
      const seqs = (await recovered.find().sort({ seq: 1 }).toArray()).map((d) => d.seq as number);
      for (const seq of acknowledged) expect(seqs).to.include(seq);
      expect(seqs.slice(0, 10)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const dup = await errorOf(recovered.insertOne({ seq: 1 }));
      expect(dup.code, 'the unique index survived').to.equal(11000);

      const resumed = recovered.watch([], { resumeAfter: token, maxAwaitTimeMS: 50 });
      const last = seqs[seqs.length - 1];
      await recovered.insertOne({ seq: last + 1 });
      const replayed: number[] = [];
      while (replayed.length < seqs.length - 5 + 1) {
        const change = (await resumed.tryNext()) as Document | null;
        if (change) replayed.push(change.fullDocument.seq as number);
      }
      await resumed.close();
      expect(replayed).to.deep.equal([...seqs.slice(5), last + 1]);
    } finally {
      await again.close();
      await engine.close();
    }
  });

  it('recovers from a snapshot plus the journal after a clean restart', async () => {
    let engine = await startEngine({ dataDir, port: 0 });
    let client = await new MongoClient(engine.uri).connect();
    await client
      .db('d')
      .collection('c')
      .insertMany(Array.from({ length: 100 }, (_, i) => ({ i })));
    await client
      .db('d')
      .collection('c')
      .deleteMany({ i: { $gte: 50 } });
    await client.close();
    await engine.close(); // writes a snapshot
    engine = await startEngine({ dataDir, port: 0 });
    client = await new MongoClient(engine.uri).connect();
    await client
      .db('d')
      .collection('c')
      .updateMany({}, { $inc: { i: 1000 } });
    await client.close();
    await engine.close();
    engine = await startEngine({ dataDir, port: 0 });
    client = await new MongoClient(engine.uri).connect();
    try {
      const docs = await client.db('d').collection('c').find().sort({ i: 1 }).toArray();
      expect(docs).to.have.length(50);
      expect(docs[0].i).to.equal(1000);
    } finally {
      await client.close();
      await engine.close();
    }
  });

  it('answers ChangeStreamHistoryLost for a token older than the retained history', async () => {
    const engine = await startEngine({ dataDir: null, historyMaxEvents: 5 });
    const client = await new MongoClient(engine.uri).connect();
    try {
      const coll = client.db('h').collection('c');
      const stream = coll.watch([], { maxAwaitTimeMS: 50 });
      await stream.tryNext();
      await coll.insertOne({ i: 0 });
      let token: ResumeToken = null;
      while (!token) token = (await stream.tryNext())?._id;
      await stream.close();
      await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
      // Retention is enforced when writes are flushed.
      const lost = coll.watch([], { resumeAfter: token });
      const err = await errorOf(lost.next());
      await lost.close();
      expect(err.code).to.equal(286);
    } finally {
      await client.close();
      await engine.close();
    }
  });
});
