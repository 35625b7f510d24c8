import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { connectDatabase, databaseHealth, type Database, type DatabaseMode } from './db/connect.js';
import type { Logger } from './logger.js';
import path from 'node:path';
import mongoose from 'mongoose';
import { Outbox } from './mail/mailer.js';
import { startPollCloser } from './jobs/poll-closer.js';
import { releaseSecretHandles } from './commands/groups/secret-handles.js';
import { dropAvatarPaths } from './commands/accounts/avatar.js';
import { lowerDuplicateWaitingHands } from './meetings/waiting-hands.js';
import { startMailJobs } from './jobs/mail-jobs.js';
import { createMailer, describeMailTransport } from './mail/transport.js';
import { startRealtime, type Realtime } from './realtime/index.js';
import { startCollab, type Collab } from './collab/index.js';
import { createGracefulShutdown, type GracefulShutdown } from './shutdown.js';
import { seedDemo } from '../../scripts/seed.js';
import { startWebClient } from './web/client.js';
import { openAccessLog } from './http/access-log.js';
import { startAccessLogRetention } from './jobs/access-log-retention.js';
import { registerPolicyVersion, startPolicyNotices } from './privacy/policy-notice.js';

/** A listening Quorum server and the handle that stops it. */
export interface RunningServer {
  /** Where this process listens, e.g. `http://localhost:3000`. */
  url: string;
  port: number;
  databaseMode: DatabaseMode;
  httpServer: Server;
  /** Socket.IO and this process's change feed. */
  realtime: Realtime;
  /** Collaborative documents (Yjs over this process's Socket.IO). */
  collab: Collab;
  /** Where mail goes in development and tests (stays empty when SMTP is configured). */
  mailer: Outbox;
  /** Graceful stop: drain HTTP, then close Socket.IO, jobs and the database (engine last). */
  graceful: GracefulShutdown;
}

/** A URL for people: a wildcard bind address is shown as localhost. */
function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/**
 * The composition root: config -> database -> HTTP server -> Express
 * (Socket.IO, collaboration and jobs attach here as they are built) -> listen.
 * Tests and `main` both use it, so what is tested is what runs.
 */
export async function startServer(
  config: Readonly<Config>,
  logger: Logger,
): Promise<RunningServer> {
  const db = await connectDatabase(config);
  // What start-up has opened so far. A failed start closes it all, newest first, so nothing
  // keeps the process alive and the caller (a test) may start again: mongoose's default
  // connection is free once more.
  const opened: Array<() => unknown> = [() => db.close()];
  try {
    return await startOn(db, config, logger, opened);
  } catch (error) {
    for (const close of opened.reverse()) {
      await Promise.resolve()
        .then(close)
        .catch((closeError: unknown) => logger.error('failed start: cleanup failed', closeError));
    }
    throw error;
  }
}

/** Where email goes, for the start-up log: sent through SMTP, or kept where it can be read. */
function mailLine(config: Readonly<Config>): string {
  if (config.smtp) return `email: sent through ${describeMailTransport(config)}`;
  return config.nodeEnv === 'development'
    ? `email: not sent (no SMTP settings); read it at ${config.publicUrl}/api/dev/outbox`
    : 'email: not sent (no SMTP settings); kept in DATA_DIR/outbox';
}

/** Everything after the database; each thing started is added to `opened`. */
async function startOn(
  db: Database,
  config: Readonly<Config>,
  logger: Logger,
  opened: Array<() => unknown>,
): Promise<RunningServer> {
  logger.info(
    db.mode === 'external'
      ? 'database: MongoDB at MONGODB_URI'
      : config.dataDir === null
        ? 'database: built in, in memory (nothing is kept once Quorum stops)'
        : `database: built in, data kept in ${config.dataDir}`,
  );
  // Before the indexes: a database from before secret groups lost their handles is brought up to date.
  await releaseSecretHandles();
  // Profiles from before photo uploads lose the image path they held (never served by Quorum).
  await dropAvatarPaths();
  // Two waiting hands of one person on one item (two raises at once, before an index forbade it).
  await lowerDuplicateWaitingHands();
  // Build every model's indexes before serving, so unique constraints hold from the first request.
  await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
  // Development: an empty database gets the demo, and its accounts are logged (SEED_DEMO).
  if (config.seedDemo && config.nodeEnv !== 'test') {
    await seedDemo({ logger }).catch((error: unknown) =>
      logger.error('demo seeding failed; starting without it', error),
    );
  }
  // Works from the database each tick, so polls due while no server ran close right away.
  const pollCloser = startPollCloser({ intervalMs: config.pollCloserIntervalMs, logger });
  opened.push(() => pollCloser.stop());

  const outbox = new Outbox(config.dataDir === null ? null : path.join(config.dataDir, 'outbox'));
  const mailer = createMailer(config, outbox);
  opened.push(() => mailer.close?.());
  logger.info(mailLine(config));
  // Notification emails, poll reminders and digests; like the closer, they work from the database.
  const mailJobs = startMailJobs({
    mailer,
    settings: config,
    intervalMs: config.mailIntervalMs,
    batchWindowMs: config.mailBatchWindowMs,
    digestHourUtc: config.digestHourUtc,
    logger,
  });
  opened.push(() => mailJobs.stop());
  // Raw addresses only in the day's access log, deleted after the retention (P4).
  const accessLog = config.accessLogDir === null ? null : openAccessLog(config.accessLogDir);
  opened.push(() => accessLog?.close());
  const accessLogRetention =
    config.accessLogDir === null
      ? null
      : startAccessLogRetention({
          dir: config.accessLogDir,
          retentionDays: config.accessLogRetentionDays,
          logger,
        });
  opened.push(() => accessLogRetention?.stop());
  // A new policy version is announced: a notice on the next visit and one email (P16).
  await registerPolicyVersion(config.policyVersion);
  const policyNotices = startPolicyNotices({
    mailer,
    version: config.policyVersion,
    publicUrl: config.publicUrl,
    intervalMs: config.mailIntervalMs,
    logger,
  });
  opened.push(() => policyNotices.stop());
  const closePrivacyJobs = async () => {
    await policyNotices.stop();
    await accessLogRetention?.stop();
    await accessLog?.close();
  };
  const httpServer = createServer();
  const web = await startWebClient(config.webClient, httpServer);
  opened.push(() => web?.close());
  const app = createApp({
    config,
    health: () => databaseHealth(db),
    logger,
    mailer,
    web: web?.handler,
    accessLog: accessLog ?? undefined,
  });
  httpServer.on('request', app);
  const realtime = await startRealtime({
    httpServer,
    config,
    logger,
    maxAwaitTimeMS: config.nodeEnv === 'test' ? 50 : undefined,
  });
  opened.push(() => realtime.close());
  const collab = await startCollab({
    io: realtime.io,
    extendClientEvents: realtime.extendClientEvents,
    logger,
    settings: config.collab,
    port: config.port,
    maxAwaitTimeMS: config.nodeEnv === 'test' ? 50 : undefined,
  });
  opened.push(() => collab.close());

  const graceful = createGracefulShutdown({
    server: httpServer,
    timeoutMs: config.shutdownTimeoutMs,
    logger,
    closeConnections: () => realtime.disconnectClients(),
    closeResources: async () => {
      await web?.close();
      // Before Socket.IO: documents with unsettled updates are compacted into their records.
      await collab.close();
      await realtime.close();
      await pollCloser.stop();
      await mailJobs.stop();
      await closePrivacyJobs();
      mailer.close?.();
      await db.close();
    },
  });

  httpServer.listen(config.port, config.host);
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: displayUrl(config.host, port),
    port,
    databaseMode: db.mode,
    httpServer,
    mailer: outbox,
    realtime,
    collab,
    graceful,
  };
}
