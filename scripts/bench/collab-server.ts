/**
 * One server of the collaboration benchmark, in its own process so its CPU
 * and memory can be measured apart from the clients: `quorum` (the whole app,
 * as `npm start` runs it, on the benchmark's engine) or `hocuspocus` (3.4.4,
 * default debounce, storing the document state in the same engine).
 * Prints `ready` when listening; answers `stats` on IPC with CPU and memory,
 * and takes CPU profiles and heap snapshots when asked.
 *
 *   node --expose-gc --import tsx scripts/bench/collab-server.ts quorum|hocuspocus <port> <mongodbUri> <jwtSecret>
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeHeapSnapshot } from 'node:v8';
import { Server } from '@hocuspocus/server';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { loadConfig } from '../../server/src/config.js';
import { silentLogger } from '../../server/src/logger.js';
import { startServer } from '../../server/src/server.js';
import { AwarenessRelay } from '../../server/src/collab/awareness.js';
import { CollabHub } from '../../server/src/collab/hub.js';
import { epochMs, keysOf, recordStalls, type ServerMarks } from './collab-trace.js';

const [kind, port, mongodbUri, jwtSecret] = process.argv.slice(2);

/** Database commands sent so far, by command and collection (e.g. `insert docupdates`), when counted. */
const commands: Record<string, number> = {};
const counting = process.env.BENCH_COUNT_COMMANDS === '1';
/** The engine's address, monitoring commands when they are counted. */
const uri = counting
  ? `${mongodbUri}${mongodbUri.includes('?') ? '&' : '?'}monitorCommands=true`
  : mongodbUri;
function countCommands(client: MongoClient): void {
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const target = event.command[event.commandName] as unknown;
    const name = `${event.commandName}${typeof target === 'string' ? ` ${target}` : ''}`;
    commands[name] = (commands[name] ?? 0) + 1;
  });
}

async function startHocuspocus(): Promise<void> {
  const client = await new MongoClient(uri).connect();
  countCommands(client);
  const docs = client.db('quorum').collection<{ _id: string; state: Buffer }>('hocuspocus');
  const server = new Server({
    port: Number(port),
    address: '127.0.0.1',
    quiet: true,
    async onLoadDocument({ documentName, document }) {
      const stored = await docs.findOne({ _id: documentName });
      if (stored) Y.applyUpdate(document, new Uint8Array(stored.state.buffer));
    },
    async onStoreDocument({ documentName, document }) {
      const state = Buffer.from(Y.encodeStateAsUpdate(document));
      await docs.updateOne({ _id: documentName }, { $set: { state } }, { upsert: true });
    },
  });
  await server.listen();
}

async function startQuorum(): Promise<void> {
  const config = loadConfig({
    // As deployed: tests poll the change feeds every 50 ms (production waits up to 1 s).
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: port,
    MONGODB_URI: uri,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'silent',
    WEB_CLIENT: 'none',
  });
  await startServer(config, silentLogger);
  countCommands(mongoose.connection.getClient());
}

/**
 * With BENCH_TRACE=1, when each keystroke's update reached the hub and was stored
 * (then applied and broadcast), this process's loop stalls and GC pauses, and its
 * compactions (collab-trace.ts).
 */
const marks: Record<string, ServerMarks> = {};
const stalls = process.env.BENCH_TRACE === '1' ? recordStalls() : null;

/** Runs `around` in place of a prototype's method, with the original to call. */
function wrap<T extends object, K extends keyof T & string>(
  proto: T,
  name: K,
  around: (original: T[K], self: T, args: unknown[]) => unknown,
): void {
  const original = Object.getOwnPropertyDescriptor(proto, name)?.value as T[K];
  Object.defineProperty(proto, name, {
    configurable: true,
    writable: true,
    value(this: T, ...args: unknown[]) {
      return around(original, this, args);
    },
  });
}

if (stalls) {
  type Call = (this: unknown, ...args: unknown[]) => Promise<void>;
  wrap(CollabHub.prototype, 'accept', (original, self, args) => {
    const keys = keysOf(args[2] as Uint8Array);
    const at = epochMs();
    for (const key of keys) marks[key] = { in: at };
    const stored = (original as unknown as Call).apply(self, args);
    void stored.then(
      () => {
        const now = epochMs();
        for (const key of keys) (marks[key] ??= {}).stored = now;
      },
      () => undefined,
    );
    return stored;
  });
  wrap(AwarenessRelay.prototype, 'accept', (original, self, args) => {
    stalls.spans.push({ at: epochMs(), ms: 0, what: 'awareness' });
    return (original as unknown as Call).apply(self, args);
  });
  wrap(CollabHub.prototype, 'compact', (original, self, args) => {
    const at = epochMs();
    const done = (original as unknown as Call).apply(self, args);
    void done.then(() => stalls.spans.push({ at, ms: epochMs() - at, what: 'compact' }));
    return done;
  });
}

/** A CPU profile of a window of the benchmark (`profile-start`, then `profile-stop` with a file). */
const inspector = new Session();
inspector.connect();

/** `stats`: CPU so far; `memory`: CPU, then memory after a full collection. */
type Command =
  | 'stats'
  | 'memory'
  | 'profile-start'
  | 'trace'
  | { profileStop: string }
  | { heapSnapshot: string };

async function answer(message: Command): Promise<unknown> {
  if (message === 'profile-start') {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
    return 'ok';
  }
  if (message === 'trace') {
    const trace = { marks: { ...marks }, spans: [...(stalls?.spans ?? [])] };
    for (const key of Object.keys(marks)) delete marks[key];
    stalls?.spans.splice(0);
    return trace;
  }
  if (typeof message === 'object' && 'profileStop' in message) {
    const { profile } = await inspector.post('Profiler.stop');
    fs.writeFileSync(message.profileStop, JSON.stringify(profile));
    return 'ok';
  }
  // CPU first: the full collection below is the benchmark's, not the server's (and only
  // measurements of memory collect, so no CPU window holds one).
  const cpu = process.cpuUsage();
  if (message !== 'stats') (globalThis as { gc?: () => void }).gc?.();
  if (typeof message === 'object' && 'heapSnapshot' in message) {
    writeHeapSnapshot(message.heapSnapshot);
    return 'ok';
  }
  const memory = process.memoryUsage();
  return {
    cpu,
    // The JS heap and the buffers it holds. The rest of `external` is the runtime's own
    // (HTTP parsers, sockets, compiled code), which swings by megabytes with I/O in flight.
    heap: memory.heapUsed + memory.arrayBuffers,
    heapUsed: memory.heapUsed,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    rss: memory.rss,
    commands: { ...commands },
  };
}

process.on('message', (message: Command) => {
  void answer(message).then((reply) => process.send?.(reply));
});

process.on('SIGTERM', () => process.exit(0));

await (kind === 'hocuspocus' ? startHocuspocus() : startQuorum());
process.send?.('ready');
