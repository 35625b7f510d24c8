import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEngine, type EngineOptions, type RunningEngine } from '../engine/index.js';
import { FeedPositionModel } from '../models/feed-position.js';
import {
  startChangeFeed,
  type ChangeFeed,
  type ChangeFeedOptions,
  type FeedChange,
} from './change-feed.js';

const FEED_ID = 'realtime:test';

/** Polls until `predicate` holds (the feed delivers asynchronously). */
async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const coll = (name: string) => mongoose.connection.collection(name);
const storedPosition = () => FeedPositionModel.findById(FEED_ID).lean();

describe('realtime: change feed', () => {
  let engine: RunningEngine | undefined;
  let dataDir: string | undefined;
  let feeds: ChangeFeed[];
  let changes: FeedChange[];
  let resyncs: string[];
  let errors: unknown[][];

  async function openEngine(options: EngineOptions = {}): Promise<void> {
    engine = await startEngine({ dataDir: null, ...options });
    await mongoose.connect(engine.uri, { dbName: 'quorum_feed', serverSelectionTimeoutMS: 2000 });
  }

  async function closeEngine(): Promise<void> {
    await mongoose.disconnect();
    await engine?.close();
    engine = undefined;
  }

  async function startFeed(options: Partial<ChangeFeedOptions> = {}): Promise<ChangeFeed> {
    const feed = await startChangeFeed({
      feedId: FEED_ID,
      collections: ['items', 'notes'],
      onChange: (change) => void changes.push(change),
      onResync: (reason) => void resyncs.push(reason),
      logger: { info() {}, warn() {}, error: (...a: unknown[]) => void errors.push(a) },
      maxAwaitTimeMS: 50,
      ...options,
    });
    feeds.push(feed);
    await feed.ready;
    return feed;
  }

  /** Names of the `i` fields of delivered changes (deletes show the key). */
  const seen = () =>
    changes.map((c) => c.fullDocument?.i ?? `${c.operationType}:${String(c.documentKey)}`);

  beforeEach(() => {
    [feeds, changes, resyncs, errors] = [[], [], [], []];
  });

  afterEach(async () => {
    for (const feed of feeds) await feed.stop();
    await closeEngine();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('delivers insert, update, replace and delete of watched collections in order, and nothing else', async () => {
    await openEngine();
    await startFeed();
    const items = mongoose.connection.collection<{
      _id: string;
      i: number;
      drop?: boolean;
      x?: number;
    }>('items');
    await items.insertOne({ _id: 'a', i: 1, drop: true });
    await until(() => changes.length === 1, 'the insert');
    await items.updateOne({ _id: 'a' }, { $set: { x: 2 }, $unset: { drop: '' } });
    await until(() => changes.length === 2, 'the update');
    await coll('unwatched').insertOne({ i: 'hidden' });
    await items.replaceOne({ _id: 'a' }, { i: 3 });
    await items.deleteOne({ _id: 'a' });
    await coll('notes').insertOne({ i: 'note' });
    await until(() => changes.length >= 5, 'five changes');
    await sleep(100);

    expect(changes.map((c) => [c.collection, c.operationType])).to.deep.equal([
      ['items', 'insert'],
      ['items', 'update'],
      ['items', 'replace'],
      ['items', 'delete'],
      ['notes', 'insert'],
    ]);
    const [insert, update, replace, del] = changes;
    expect(insert).to.include({ documentKey: 'a' });
    expect(insert.fullDocument).to.deep.equal({ _id: 'a', i: 1, drop: true });
    expect(update.updatedFields).to.deep.equal({ x: 2 });
    expect(update.removedFields).to.deep.equal(['drop']);
    expect(update.fullDocument, 'looked up').to.deep.equal({ _id: 'a', i: 1, x: 2 });
    expect(replace.fullDocument).to.deep.equal({ _id: 'a', i: 3 });
    expect(del).to.include({ documentKey: 'a', fullDocument: null });
    expect(errors).to.deep.equal([]);
  });

  it('handles one change at a time, in order', async () => {
    await openEngine();
    let running = 0;
    let overlapped = false;
    await startFeed({
      onChange: async (change) => {
        overlapped ||= ++running > 1;
        await sleep(Math.random() * 10);
        changes.push(change);
        running--;
      },
    });
    await coll('items').insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    await until(() => changes.length === 20, 'twenty changes');
    expect(seen()).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
    expect(overlapped).to.equal(false);
  });

  it('hands over the changes of one write together: writing its position holds none of them up', async () => {
    await openEngine();
    // Turns of the event loop: a change delivered after a round trip of the feed's own shows a later turn.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turns: number[] = [];
    await startFeed({
      persistIntervalMs: 0,
      idlePersistIntervalMs: 0,
      onChange: (change) => {
        changes.push(change);
        turns.push(turn);
      },
    });
    await coll('items').insertMany(Array.from({ length: 5 }, (_, i) => ({ i })));
    await until(() => changes.length === 5, 'five changes').finally(() => (ticking = false));
    expect(seen()).to.deep.equal([0, 1, 2, 3, 4]);
    expect(new Set(turns).size).to.equal(1);
    // And the position still reaches the last change.
    await until(async () => {
      const stored = await storedPosition();
      const replay = mongoose.connection.db!.watch([{ $match: { 'ns.coll': 'items' } }], {
        startAfter: stored!.token as never,
        maxAwaitTimeMS: 50,
      });
      const next = await replay.tryNext();
      await replay.close();
      return next === null;
    }, 'the position after the last change');
  });

  it('drops changes isObservable rejects', async () => {
    await openEngine();
    const serverOnly = (c: FeedChange) =>
      c.operationType === 'update' &&
      Object.keys(c.updatedFields ?? {}).every((f) => f.startsWith('server')) &&
      (c.removedFields ?? []).every((f) => f.startsWith('server'));
    await startFeed({ isObservable: (c) => !serverOnly(c) });
    const { insertedId } = await coll('items').insertOne({ i: 1 });
    await coll('items').updateOne({ _id: insertedId }, { $set: { serverCache: 'x' } });
    await coll('items').updateOne({ _id: insertedId }, { $set: { title: 'seen' } });
    await until(() => changes.length === 2, 'two changes');
    await sleep(100);
    expect(changes.map((c) => c.operationType)).to.deep.equal(['insert', 'update']);
    expect(changes[1].updatedFields).to.deep.equal({ title: 'seen' });
  });

  it('never receives the changes it ignores (its own writes), and still the others, deletes and barriers', async () => {
    await openEngine();
    const feed = await startFeed({
      ignore: [{ 'ns.coll': 'items', 'fullDocument.writer': 'me' }],
    });
    const items = mongoose.connection.collection<{ _id: string; i: number; writer: string }>(
      'items',
    );
    await items.insertMany([
      { _id: 'mine', i: 1, writer: 'me' },
      { _id: 'theirs', i: 2, writer: 'them' },
    ]);
    await coll('notes').insertOne({ i: 3, writer: 'me' });
    await items.updateOne({ _id: 'theirs' }, { $set: { writer: 'me' } });
    await items.deleteOne({ _id: 'mine' });
    await feed.barrier();
    expect(seen()).to.deep.equal([2, 3, 'delete:mine']);
    expect(errors).to.deep.equal([]);
  });

  it('keeps going when onChange throws', async () => {
    await openEngine();
    await startFeed({
      onChange: (change) => {
        changes.push(change);
        if (change.fullDocument?.i === 1) throw new Error('boom');
      },
    });
    await coll('items').insertOne({ i: 1 });
    await coll('items').insertOne({ i: 2 });
    await until(() => changes.length === 2, 'the change after the failure');
    expect(seen()).to.deep.equal([1, 2]);
    expect(errors).to.have.length(1);
    expect(String(errors[0][1])).to.contain('boom');
  });

  it('never persists a position past a change it is still handling', async () => {
    await openEngine();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await startFeed({
      persistIntervalMs: 0,
      idlePersistIntervalMs: 0,
      onChange: async (change) => {
        changes.push(change);
        if (change.fullDocument?.i === 2) await held;
      },
    });
    await coll('items').insertMany([{ i: 1 }, { i: 2 }, { i: 3 }]);
    await until(() => changes.length === 2, 'the change in hand');
    await sleep(150);
    // What a process restarted now would resume after: the change in hand comes first.
    const { token } = (await storedPosition())!;
    const replay = mongoose.connection.db!.watch([{ $match: { 'ns.coll': 'items' } }], {
      startAfter: token,
      maxAwaitTimeMS: 50,
    });
    const next = await replay.next();
    await replay.close();
    release();
    expect(next).to.have.nested.property('fullDocument.i', 2);
    await until(() => changes.length === 3, 'the rest');
  });

  it('after a stop, delivers exactly the changes made while it was stopped, once', async () => {
    await openEngine();
    const first = await startFeed();
    await coll('items').insertMany([{ i: 1 }, { i: 2 }]);
    await until(() => changes.length === 2, 'the first changes');
    await first.stop();
    expect(await storedPosition()).to.have.nested.property('token._data');

    const { insertedId } = await coll('items').insertOne({ i: 3 });
    await coll('items').updateOne({ _id: insertedId }, { $set: { edited: true } });
    await coll('notes').insertOne({ i: 4 });
    changes = [];
    await startFeed();
    await coll('items').insertOne({ i: 5 });
    await until(() => changes.length >= 4, 'the missed and the new changes');
    await sleep(150);
    expect(changes.map((c) => [c.operationType, c.fullDocument?.i])).to.deep.equal([
      ['insert', 3],
      ['update', 3],
      ['insert', 4],
      ['insert', 5],
    ]);
    expect(resyncs).to.deep.equal([]);
  });

  it('resumes exactly across an engine restart on the same data directory', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-feed-'));
    await openEngine({ dataDir });
    const first = await startFeed();
    await coll('items').insertOne({ i: 1 });
    await until(() => changes.length === 1, 'the first change');
    await first.stop();
    await coll('items').insertMany([{ i: 2 }, { i: 3 }]);
    await closeEngine();

    await openEngine({ dataDir });
    await coll('items').insertOne({ i: 4 });
    changes = [];
    await startFeed();
    await coll('items').insertOne({ i: 5 });
    await until(() => changes.length >= 4, 'the changes since the stop');
    await sleep(150);
    expect(seen()).to.deep.equal([2, 3, 4, 5]);
    expect(resyncs).to.deep.equal([]);
  });

  it('reopens from the last change it handled when the database goes away under it', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-feed-'));
    await openEngine({ dataDir });
    await startFeed();
    await coll('items').insertOne({ i: 1 });
    await until(() => changes.length === 1, 'the first change');
    await closeEngine();
    await openEngine({ dataDir });
    await coll('items').insertOne({ i: 2 });
    await until(() => changes.length >= 2, 'the change after the restart');
    await coll('items').insertOne({ i: 3 });
    await until(() => changes.length >= 3, 'a live change');
    await sleep(150);
    expect(seen()).to.deep.equal([1, 2, 3]);
    expect(errors.length, 'the failure was logged').to.be.at.least(1);
  });

  it('resynchronises once when its position is older than the retained history, then goes on', async () => {
    await openEngine({ historyMaxEvents: 5 });
    const first = await startFeed();
    await coll('items').insertOne({ i: 0 });
    await until(() => changes.length === 1, 'the first change');
    await first.stop();
    await coll('items').insertMany(Array.from({ length: 20 }, (_, i) => ({ i: 100 + i })));

    changes = [];
    const second = await startFeed();
    expect(resyncs).to.deep.equal(['history_lost']);
    await coll('items').insertOne({ i: 1 });
    await until(() => changes.length >= 1, 'a new change');
    await sleep(150);
    expect(seen()).to.deep.equal([1]);

    // The fresh position was persisted: the next start resumes without another resync.
    await second.stop();
    await coll('items').insertOne({ i: 2 });
    await startFeed();
    await until(() => changes.length >= 2, 'the change made while stopped');
    expect(seen()).to.deep.equal([1, 2]);
    expect(resyncs).to.deep.equal(['history_lost']);
  });

  it('resynchronises when the stored token is unusable', async () => {
    await openEngine();
    await FeedPositionModel.create({ _id: FEED_ID, token: 'garbage', updatedAt: new Date() });
    await startFeed();
    expect(resyncs).to.deep.equal(['invalid_token']);
    await coll('items').insertOne({ i: 1 });
    await until(() => changes.length === 1, 'a new change');
  });

  it('writes its position once after a change, and then rests, when its writes are answered after their own change events', async () => {
    await openEngine();
    // A deployment slower to acknowledge than to stream (a replica set's majority): the feed
    // sees its own position write before the write returns. The write itself is real.
    const write = FeedPositionModel.updateOne.bind(FeedPositionModel);
    let writes = 0;
    FeedPositionModel.updateOne = ((...args: Parameters<typeof write>) => {
      const query = write(...args);
      if ((args[0] as { _id?: unknown })._id !== FEED_ID) return query;
      writes++;
      return query.then(async (result) => {
        await sleep(30);
        return result;
      });
    }) as typeof write;
    try {
      await startFeed({ maxAwaitTimeMS: 100 });
      await coll('items').insertOne({ i: 1 });
      await until(() => changes.length === 1, 'the change');
      await sleep(700);
      const settled = writes;
      await sleep(1000);
      expect(writes - settled, 'position writes while nothing happens').to.equal(0);
    } finally {
      FeedPositionModel.updateOne = write;
    }
  });

  it('persists its position while only unwatched collections change, and is quiet when nothing does', async () => {
    await openEngine();
    await startFeed({ idlePersistIntervalMs: 50 });
    let initial: unknown;
    await until(
      async () => (initial = (await storedPosition())?.token) !== undefined,
      'the position a fresh feed starts from',
    );
    for (let n = 0; n < 20; n++) await coll('unwatched').insertOne({ n });
    await until(
      async () => JSON.stringify((await storedPosition())?.token) !== JSON.stringify(initial),
      'the idle position to be persisted',
    );
    const settled = await sleep(300).then(storedPosition);
    await sleep(300);
    expect((await storedPosition())?.updatedAt, 'no write loop on its own position').to.deep.equal(
      settled?.updatedAt,
    );
    expect(changes).to.deep.equal([]);
  });

  it('pauses between position writes the database refuses, delivers meanwhile, and writes once it accepts', async () => {
    await openEngine();
    // The database refuses every position document (a validator nothing written here passes).
    await FeedPositionModel.init(); // the collection, created as a running app has it
    const refuse = (validator: object) =>
      mongoose.connection.db!.command({
        collMod: FeedPositionModel.collection.collectionName,
        validator,
        validationAction: 'error',
      });
    await refuse({ never: { $exists: true } });
    const refused: unknown[][] = [];
    // A fresh feed must write where it starts: the write that would be tried after every batch.
    await startFeed({
      logger: {
        info() {},
        warn: (...a: unknown[]) => void refused.push(a),
        error: (...a: unknown[]) => void errors.push(a),
      },
    });
    for (let i = 0; i < 40; i++) {
      await coll('items').insertOne({ i });
      await sleep(25);
    }
    await until(() => changes.length === 40, 'the changes, delivered while writes fail');
    // About 1.5 s of batches (40 changes, empty polls every 50 ms): 100 ms, doubling, is 4 tries.
    expect(refused.length, 'refused position writes').to.be.within(2, 6);
    await refuse({});
    await until(async () => (await storedPosition()) !== null, 'the position, once accepted', 8000);
    expect(errors).to.deep.equal([]);
  });

  it('keeps delivering after the database is dropped', async () => {
    await openEngine();
    await startFeed();
    await coll('items').insertOne({ i: 1 });
    await until(() => changes.length === 1, 'the first change');
    await mongoose.connection.dropDatabase();
    await coll('items').insertOne({ i: 2 });
    await until(() => changes.length >= 2, 'the change after the drop');
    expect(seen()).to.deep.equal([1, 2]);
    expect(resyncs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('stop() lets the change in hand finish, and it is not delivered again', async () => {
    await openEngine();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = await startFeed({
      onChange: async (change) => {
        changes.push(change);
        await held;
      },
    });
    await coll('items').insertOne({ i: 1 });
    await until(() => changes.length === 1, 'the change in hand');
    const stopped = first.stop();
    release();
    await stopped;
    await coll('items').insertOne({ i: 2 });
    await startFeed();
    await until(() => changes.length >= 2, 'the next change');
    await sleep(150);
    expect(seen()).to.deep.equal([1, 2]);
  });
});
