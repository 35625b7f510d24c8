/**
 * Quorum as the fan-out benchmark runs it: `startServer` (the composition
 * root `npm start` uses) in a child process, answering the benchmark over IPC.
 * Why a wrapper and not main.ts: it counts the database commands this process
 * sends (where the driver sends them, server/src/test/driver-commands.ts, so
 * no production file needs a bench hook), reports its CPU and memory, and
 * seeds the meeting (one open group, one discussion, one poll, N people)
 * through the app's own models in this process.
 *
 * Environment: what loadConfig reads (the launcher sets NODE_ENV=development,
 * DATA_DIR=:memory: or MONGODB_URI, JWT_SECRET, SEED_DEMO=false, WEB_CLIENT=none).
 */
import { loadConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/logger.js';
import { startServer } from '../../../server/src/server.js';
import { driverCommands } from '../../../server/src/test/driver-commands.js';
import { collectGarbage, serve, serverSampler } from './ipc.js';
import { seedMeeting, type SeedRequest } from './seed.js';

// Counting begins before the app's first command (see driver-commands.ts for where and why).
driverCommands();

const config = loadConfig();
const logger = createLogger(config.logLevel);
const running = await startServer(config, logger);
await running.realtime.ready;

const sample = serverSampler(() => ({
  commands: driverCommands(),
  sockets: running.realtime.io.engine.clientsCount,
}));

serve({
  sample: () => sample(),
  gc: () => {
    collectGarbage();
    return sample();
  },
  seed: async (request: SeedRequest) => {
    const meeting = await seedMeeting(request, running.url, config.jwtSecret);
    // The seeding's changes (a history's thousands of comments) are through this process's feed
    // before the run (with --processes, the others' feeds may still be reading them: use one).
    await running.realtime.barrier();
    return meeting;
  },
  stop: async () => {
    await running.graceful.shutdown('benchmark finished');
    setImmediate(() => process.exit(0));
    return null;
  },
});
process.send?.({ ready: true, url: running.url, pid: process.pid });
