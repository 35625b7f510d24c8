/**
 * Quorum as the fan-out benchmark runs it: `startServer` (the composition
 * root `npm start` uses) in a child process, answering the benchmark over IPC.
 * Why a wrapper and not main.ts: it counts the database commands this process
 * sends (where the driver sends them, see below, so no production file needs a
 * bench hook), reports its CPU and memory, and seeds the meeting (one open
 * group, one discussion, one poll, N people) through the app's own models in
 * this process.
 *
 * Environment: what loadConfig reads (the launcher sets NODE_ENV=development,
 * DATA_DIR=:memory: or MONGODB_URI, JWT_SECRET, SEED_DEMO=false, WEB_CLIENT=none).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/logger.js';
import { startServer } from '../../../server/src/server.js';
import { collectGarbage, serve, serverSampler } from './ipc.js';
import { seedMeeting, type SeedRequest } from './seed.js';

/**
 * Commands are counted where the driver sends them (its connections'
 * `command`), not through its command monitoring: with monitoring on, the
 * driver decodes every reply a second time to hand it to the event (a find of
 * 300 ballots, a batch of changes): about a fifth of this process's CPU per
 * vote, measured in pairs of runs. The handshake's and the topology monitor's
 * own commands are not the app's and are left out.
 */
const NOT_THE_APPS = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'saslStart',
  'saslContinue',
  'endSessions',
  'buildInfo',
]);
const commands = new Map<string, number>();
function countCommand(command: Record<string, unknown>): void {
  const name = Object.keys(command)[0];
  if (name === undefined || NOT_THE_APPS.has(name)) return;
  const target = command[name];
  const key = typeof target === 'string' ? `${name} ${target}` : name;
  commands.set(key, (commands.get(key) ?? 0) + 1);
}
type Command = (
  this: unknown,
  ns: unknown,
  command: Record<string, unknown>,
  ...rest: unknown[]
) => unknown;
// The driver's internal module, by its file (its package exports do not name it).
const require = createRequire(import.meta.url);
const { Connection } = require(
  path.join(path.dirname(require.resolve('mongodb')), 'cmap', 'connection.js'),
) as { Connection: { prototype: { command: Command } } };
const send = Connection.prototype.command;
Connection.prototype.command = function (ns, command, ...rest) {
  countCommand(command);
  return send.call(this, ns, command, ...rest);
};

const config = loadConfig();
const logger = createLogger(config.logLevel);
const running = await startServer(config, logger);
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
