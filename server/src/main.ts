/**
 * Entry point of a Quorum process: reads the configuration, starts the server
 * and exits cleanly on SIGTERM or SIGINT. A bad configuration or a failed
 * start prints why and exits 1, so supervisors see the failure.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { exitOnSignals } from './shutdown.js';
import { demoExposureWarning } from './http/loopback.js';

function readConfig(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  if (config.jwtSecretSource === 'data-dir') {
    // Development's own arrangement, not a problem: production requires JWT_SECRET.
    logger.info('sessions: signed with a development secret kept in DATA_DIR/jwt-secret');
  } else if (config.jwtSecretSource === 'ephemeral') {
    logger.warn(
      'JWT_SECRET is not set; using a random secret, sessions end when this process stops',
    );
  }

  const exposed = demoExposureWarning(config);
  if (exposed !== null) logger.warn(exposed);

  const running = await startServer(config, logger);
  exitOnSignals({ shutdown: running.graceful, logger });
  logger.info(
    `Quorum is ready at ${config.publicUrl} (listening on ${running.url}, ${config.nodeEnv})`,
  );
}

main().catch((error: unknown) => {
  console.error('Quorum failed to start:', error);
  process.exit(1);
});
