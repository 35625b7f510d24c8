/**
 * The demo: eight people (one under a pseudonym), an open, a closed and a
 * secret group, six discussions with threaded comments, and open and closed
 * polls of every kind, spread over the past weeks. It is written through the
 * API's own commands and checked against its policies (seed/actions.ts), so
 * it looks like real use, timelines and counters included.
 *
 * `npm start` calls {@link seedDemo} after the database is up when SEED_DEMO
 * allows (by default in development only) and prints the accounts. It can also
 * be run on its own, against MONGODB_URI or the embedded engine in DATA_DIR
 * (stop Quorum first: the engine locks its directory), with the same rule:
 *
 *     npx tsx scripts/seed.ts
 *
 * Either way it seeds only a database without accounts, so it never touches
 * real data and a second run does nothing.
 */
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { loadConfig } from '../server/src/config.js';
import { connectDatabase } from '../server/src/db/connect.js';
import { createLogger, type Logger } from '../server/src/logger.js';
import { UserModel } from '../server/src/models/user.js';
import { holdMailBefore } from '../server/src/jobs/mail-collect.js';
import { remindClosingPolls } from '../server/src/jobs/mail-poll-reminders.js';
import { backdateFoundations, backdateScene, readUpToOwnActivity } from './seed/backdate.js';
import { coopStory } from './seed/coop.js';
import { financeStory } from './seed/finance.js';
import { gardenStory } from './seed/garden.js';
import { createGroups } from './seed/groups.js';
import { DEMO_PASSWORD, createPeople, demoAccounts, type DemoAccount } from './seed/people.js';

export { DEMO_PASSWORD, type DemoAccount };

export interface SeedResult {
  /** False when the database already had accounts and nothing was written. */
  seeded: boolean;
  /** The demo accounts created (empty when nothing was seeded). */
  accounts: DemoAccount[];
}

/** Logs the accounts, one line each, so they can be copied from the start-up output. */
export function logDemoAccounts(logger: Logger, accounts: DemoAccount[]): void {
  logger.info(`demo accounts (every password: ${DEMO_PASSWORD}):`);
  const width = Math.max(...accounts.map((a) => a.email.length));
  for (const a of accounts) {
    logger.info(`  ${a.email.padEnd(width)}  ${a.password}  ${a.name}: ${a.role}`);
  }
}

/**
 * Fills an empty database with the demo and logs its accounts; on a database
 * that has any account it does nothing. Needs mongoose connected, with the
 * models' indexes built (the unique ones keep two racing seeders from both
 * succeeding: the second fails on a duplicate email).
 */
export async function seedDemo({ logger }: { logger: Logger }): Promise<SeedResult> {
  if (await UserModel.exists({})) {
    logger.debug('demo: the database already has accounts, so no demo was seeded');
    return { seeded: false, accounts: [] };
  }
  const started = performance.now();
  const cast = await createPeople();
  const groups = await createGroups(cast);
  const scenes = [
    ...(await gardenStory(cast, groups)),
    ...(await coopStory(cast, groups)),
    ...(await financeStory(cast, groups)),
  ];
  const now = Date.now();
  for (const scene of scenes) {
    await backdateScene(scene, now);
    await readUpToOwnActivity(scene);
  }
  await backdateFoundations(now);
  // The story is back-dated, not news: its notifications stay in the inboxes (with the
  // "closing soon" reminders already due), and none of it is emailed.
  await remindClosingPolls(new Date());
  await holdMailBefore(new Date());

  const accounts = demoAccounts();
  const ms = Math.round(performance.now() - started);
  logger.info(
    `demo: the database was empty, so it now holds the demo (${accounts.length} people, ` +
      `${Object.keys(groups).length} groups, ${scenes.length} discussions) [${ms} ms]`,
  );
  logDemoAccounts(logger, accounts);
  return { seeded: true, accounts };
}

/** `npx tsx scripts/seed.ts`: connects as the server would, seeds if allowed and empty, disconnects. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.seedDemo) {
    logger.error('SEED_DEMO is false (the default outside development): nothing was seeded');
    process.exitCode = 1;
    return;
  }
  const db = await connectDatabase(config);
  try {
    await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
    const { seeded } = await seedDemo({ logger });
    if (!seeded) logger.warn('the database already has accounts: nothing was seeded');
  } finally {
    await db.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('seeding failed:', error);
    process.exit(1);
  });
}
