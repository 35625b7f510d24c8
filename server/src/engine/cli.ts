/**
 * `npm run engine -- --port 27017 --data ./data`: the engine on its own, so
 * several Quorum processes can share one database. Prints the URI to use as
 * MONGODB_URI and shuts down cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEngine } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: './data' },
    memory: { type: 'boolean', default: false },
    'retention-hours': { type: 'string', default: '24' },
  },
});

const port = Number(values.port);
const retention = Number(values['retention-hours']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer between 0 and 65535, got '${values.port}'`);
  process.exit(1);
}
if (!Number.isFinite(retention) || retention <= 0) {
  console.error(`--retention-hours must be a positive number, got '${values['retention-hours']}'`);
  process.exit(1);
}

const engine = await startEngine({
  host: values.host,
  port,
  dataDir: values.memory ? null : values.data,
  historyRetentionHours: retention,
});
console.log(engine.uri);

const stop = () => {
  engine.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
