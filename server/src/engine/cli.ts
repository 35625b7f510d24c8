/**
 * `npm run engine -- --port 27017 --data ./data`: the engine on its own, so
 * several Quorum processes can share one database. Prints the URI to use as
 * MONGODB_URI and shuts down cleanly on SIGINT/SIGTERM.
 *
 * On loopback (the default) it needs nothing else. Any other `--host` requires
 * a user (QUORUM_ENGINE_USER and QUORUM_ENGINE_PASSWORD, or `--auth-file` with a
 * `user:password` line) and TLS (`--tls-cert`, `--tls-key`); without them it
 * refuses to start and says what is missing. There is no default password.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEngine } from './index.js';
import { ExposureError } from './exposure.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: './data' },
    memory: { type: 'boolean', default: false },
    'retention-hours': { type: 'string', default: '24' },
    'auth-file': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const port = Number(values.port);
const retention = Number(values['retention-hours']);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be an integer between 0 and 65535, got '${values.port}'`);
if (!Number.isFinite(retention) || retention <= 0)
  fail(`--retention-hours must be a positive number, got '${values['retention-hours']}'`);

/** The one user, from the environment or from a file only its owner can read. */
function readUsers(): Array<{ user: string; password: string }> | undefined {
  const file = values['auth-file'];
  const envUser = process.env.QUORUM_ENGINE_USER;
  const envPassword = process.env.QUORUM_ENGINE_PASSWORD;
  if (file) {
    let text: string;
    try {
      if ((statSync(file).mode & 0o077) !== 0)
        fail(`--auth-file ${file} is readable by others: chmod 600 it first`);
      text = readFileSync(file, 'utf8');
    } catch (err) {
      fail(`--auth-file ${file} cannot be read: ${(err as Error).message}`);
    }
    const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0) fail(`--auth-file ${file} must hold one "user:password" line`);
    return [{ user: line.slice(0, colon), password: line.slice(colon + 1) }];
  }
  if (envUser || envPassword) {
    if (!envUser || !envPassword)
      fail('QUORUM_ENGINE_USER and QUORUM_ENGINE_PASSWORD must be set together');
    return [{ user: envUser, password: envPassword }];
  }
  return undefined;
}

function readTls(): { cert: Buffer; key: Buffer } | undefined {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) fail('--tls-cert and --tls-key must be given together');
  try {
    return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch (err) {
    fail(`TLS certificate or key cannot be read: ${(err as Error).message}`);
  }
}

let engine;
try {
  engine = await startEngine({
    host: values.host,
    port,
    dataDir: values.memory ? null : values.data,
    historyRetentionHours: retention,
    users: readUsers(),
    tls: readTls(),
  });
} catch (err) {
  if (err instanceof ExposureError) fail(`quorum engine: ${err.message}`);
  throw err;
}
console.log(engine.uri);

const running = engine;
const stop = () => {
  running.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
