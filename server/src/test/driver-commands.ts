/**
 * Counts the commands this process's MongoDB driver sends, where it sends
 * them (its connections' `command`), by name and collection: `find votes`,
 * `getMore votes`, `getMore $cmd.aggregate` (a change stream's), or the name
 * alone. Not through the driver's command monitoring: with monitoring on, the
 * driver decodes every reply a second time to hand it to the event, which the
 * fan-out benchmark measured at about a fifth of its CPU per vote. The
 * handshake's and the topology monitor's commands are left out, and with them
 * any `ping`, `buildInfo` or `endSessions` (the health check's ping among them).
 * Test and benchmark support: installed once per process, by the first call.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

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

const counts = new Map<string, number>();
let installed = false;

function keyOf(command: Record<string, unknown>): string | null {
  const name = Object.keys(command)[0];
  if (name === undefined || NOT_THE_APPS.has(name)) return null;
  const target = name === 'getMore' ? command.collection : command[name];
  return typeof target === 'string' ? `${name} ${target}` : name;
}

type Command = (
  this: unknown,
  ns: unknown,
  command: Record<string, unknown>,
  ...rest: unknown[]
) => unknown;

function install(): void {
  if (installed) return;
  installed = true;
  // The driver's internal module, by its file (its package exports do not name it).
  const require = createRequire(import.meta.url);
  const { Connection } = require(
    path.join(path.dirname(require.resolve('mongodb')), 'cmap', 'connection.js'),
  ) as { Connection: { prototype: { command: Command } } };
  const send = Connection.prototype.command;
  Connection.prototype.command = function (ns, command, ...rest) {
    const key = keyOf(command);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    return send.call(this, ns, command, ...rest);
  };
}

/** The commands sent since counting began (the first call), by `name collection`. */
export function driverCommands(): Record<string, number> {
  install();
  return Object.fromEntries(counts);
}

/** The commands `run` sent (and whatever else this process sent meanwhile). */
export async function commandsOf<T>(
  run: () => Promise<T>,
): Promise<{ result: T; commands: Record<string, number> }> {
  const before = driverCommands();
  const result = await run();
  const commands: Record<string, number> = {};
  for (const [key, n] of Object.entries(driverCommands()))
    if (n > (before[key] ?? 0)) commands[key] = n - (before[key] ?? 0);
  return { result, commands };
}
