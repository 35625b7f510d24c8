/**
 * One server of the collaboration benchmark, in its own process so its CPU
 * and memory can be measured apart from the clients: `quorum` (the whole app,
 * as `npm start` runs it, on the benchmark's engine) or `hocuspocus` (3.4.4,
 * default debounce, storing the document state in the same engine).
 * Prints `ready` when listening; answers `stats` on IPC with CPU and memory.
 *
 *   node --expose-gc --import tsx scripts/bench/collab-server.ts quorum|hocuspocus <port> <mongodbUri> <jwtSecret>
 */
import { Server } from '@hocuspocus/server';
import { MongoClient } from 'mongodb';
import * as Y from 'yjs';
import { loadConfig } from '../../server/src/config.js';
import { silentLogger } from '../../server/src/logger.js';
import { startServer } from '../../server/src/server.js';

const [kind, port, mongodbUri, jwtSecret] = process.argv.slice(2);

async function startHocuspocus(): Promise<void> {
  const client = await new MongoClient(mongodbUri).connect();
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
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: port,
    MONGODB_URI: mongodbUri,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'silent',
    WEB_CLIENT: 'none',
  });
  await startServer(config, silentLogger);
}

process.on('message', (message) => {
  if (message !== 'stats') return;
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  process.send?.({
    cpu: process.cpuUsage(),
    heap: memory.heapUsed + memory.external,
    rss: memory.rss,
  });
});

// Exit normally on SIGTERM, so `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));

await (kind === 'hocuspocus' ? startHocuspocus() : startQuorum());
process.send?.('ready');
