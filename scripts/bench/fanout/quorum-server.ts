/**
 * Quorum as the fan-out benchmark runs it: `startServer` (the composition
 * root `npm start` uses) in a child process, answering the benchmark over IPC.
 * Why a wrapper and not main.ts: it counts the database commands this process
 * sends (the driver's command monitoring, switched on here by wrapping
 * `mongoose.connect`, so no production file needs a bench hook), reports its
 * CPU and memory, and seeds the meeting (one open group, one discussion, one
 * poll, N people) through the app's own models in this process.
 *
 * Environment: what loadConfig reads (the launcher sets NODE_ENV=development,
 * DATA_DIR=:memory: or MONGODB_URI, JWT_SECRET, SEED_DEMO=false, WEB_CLIENT=none).
 */
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { loadConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/logger.js';
import { startServer } from '../../../server/src/server.js';
import { collectGarbage, serve, serverSampler } from './ipc.js';
import { seedMeeting, type SeedRequest } from './seed.js';

// Command monitoring must be on before the pool's connections exist.
const connect = mongoose.connect.bind(mongoose);
mongoose.connect = (uri: string, options?: mongoose.ConnectOptions) =>
  connect(uri, { ...options, monitorCommands: true });

const commands = new Map<string, number>();
function countCommand(event: CommandStartedEvent): void {
  const target = (event.command as Record<string, unknown>)[event.commandName];
  const key = typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
  commands.set(key, (commands.get(key) ?? 0) + 1);
}

const config = loadConfig();
const logger = createLogger(config.logLevel);
const running = await startServer(config, logger);
mongoose.connection.getClient().on('commandStarted', countCommand);
await running.realtime.ready;

const sample = serverSampler(() => ({
  commands: Object.fromEntries(commands),
  sockets: running.realtime.io.engine.clientsCount,
}));

serve({
  sample: () => sample(),
  gc: () => {
    collectGarbage();
    return sample();
  },
  seed: (request: SeedRequest) => seedMeeting(request, running.url, config.jwtSecret),
  stop: async () => {
    await running.graceful.shutdown('benchmark finished');
    setImmediate(() => process.exit(0));
    return null;
  },
});
process.send?.({ ready: true, url: running.url, pid: process.pid });
