import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './logger.js';
import type { SmtpConfig } from './mail/transport.js';

/**
 * Quorum's whole runtime configuration, read from the environment once at
 * start-up. Everything else receives this object instead of reading
 * `process.env`, so configuration is validated in one place and tests can
 * build any configuration they need.
 */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  /**
   * The listening address. Loopback (127.0.0.1) by default, so a developer's
   * Quorum, its demo accounts and its dev tools are not on the network;
   * `0.0.0.0` in production, where a server is meant to be reached.
   */
  host: string;
  /** 0 asks the OS for a free port (tests). */
  port: number;
  /** The externally visible base URL, without a trailing slash (links in mail, CORS). */
  publicUrl: string;
  /** An external MongoDB; null means: start the embedded engine. */
  mongodbUri: string | null;
  /** Absolute path of the embedded engine's data; null keeps it in memory. */
  dataDir: string | null;
  dbName: string;
  jwtSecret: string;
  /** Where the JWT secret came from, so start-up can warn about non-env secrets. */
  jwtSecretSource: 'env' | 'data-dir' | 'ephemeral';
  logLevel: LogLevel;
  engineHistoryRetentionHours: number;
  shutdownTimeoutMs: number;
  /** Passed to Express's `trust proxy` setting unchanged. */
  trustProxy: boolean | number | string;
  /** How often the job closing due polls looks for them. */
  pollCloserIntervalMs: number;
  /** Limits and timings of collaborative documents (collab/). */
  collab: CollabSettings;
  /** Whether start-up fills an empty database with the demo (scripts/seed.ts); never in tests. */
  seedDemo: boolean;
  /** How the web client is served: the built `web/dist`, Vite's dev middleware (`npm run dev`), or not at all. */
  webClient: 'dist' | 'vite' | 'none';
  /** Accounts (by email) holding the Data Protection Officer role: may redact a person's content (P9). */
  dpoEmails: string[];
  /** Where email goes: an SMTP server, or null for the local outbox (DATA_DIR/outbox). */
  smtp: SmtpConfig | null;
  /** The From of every email. */
  mailFrom: string;
  /** How often the mail jobs (notification emails, poll reminders, digests) look for work. */
  mailIntervalMs: number;
  /**
   * How long group activity waits for more to one person before it is emailed, all
   * together (mentions, replies and meetings going live do not wait).
   */
  mailBatchWindowMs: number;
  /** The hour (UTC) from which each day's digest is sent. */
  digestHourUtc: number;
  /** Where the access log (the only place raw IPs are kept, P4) is written; null: no access log. */
  accessLogDir: string | null;
  /** Days an access-log file is kept before the retention job deletes it. */
  accessLogRetentionDays: number;
  /** The privacy policy (Markdown) served at /privacy; null: the bundled policy (server/src/privacy/policy.md). */
  policyFile: string | null;
  /** The policy's version; when it changes, users see a notice and get one email (P16). */
  policyVersion: string;
}

/**
 * Collaborative documents: the largest Yjs update a client may send and the
 * largest a document may grow (bytes), how long after the last update its log
 * is compacted and its text written to the record, and how long an unused
 * document stays in memory.
 */
export interface CollabSettings {
  maxUpdateBytes: number;
  maxDocumentBytes: number;
  compactAfterMs: number;
  releaseAfterMs: number;
}

/** One invalid environment variable and why it is invalid. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/**
 * Thrown by {@link loadConfig} when the environment is invalid. Its message
 * lists every bad variable at once, so an operator fixes them in one go;
 * `main` prints it and exits 1.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.variable}: ${i.message}`);
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** `DATA_DIR` value that keeps the embedded engine's data in memory only. */
export const IN_MEMORY_DATA_DIR = ':memory:';

/** Three minutes: long enough to gather a burst of activity, short enough to stay news. */
export const DEFAULT_MAIL_BATCH_WINDOW_MS = 180_000;

/** The version of the bundled privacy policy (server/src/privacy/policy.md). */
export const DEFAULT_POLICY_VERSION = '2026-12-06';

/** File inside DATA_DIR holding the generated development JWT secret. */
export const JWT_SECRET_FILE = 'jwt-secret';

const MIN_SECRET_LENGTH = 32;

/** Variables whose values must never be echoed into an error message. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'MONGODB_URI', 'SMTP_URL', 'SMTP_PASS']);

/** Treats an empty or blank variable as unset, as docker-compose and .env files produce them. */
function unsetIfBlank(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(unsetIfBlank, schema.optional());
}

function integer(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
}

function boolean() {
  return z
    .string()
    .trim()
    .refine((v) => v === 'true' || v === 'false', 'must be true or false')
    .transform((v) => v === 'true');
}

const HOSTNAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i;
const DB_NAME = /^[^/\\. "$*<>:|?\0]{1,63}$/;
const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Accepts what Express's `trust proxy` accepts for strings: names, IPs, CIDRs. */
function isProxyRange(entry: string): boolean {
  if (NAMED_PROXY_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d+$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(prefix) === 4;
}

function parseTrustProxy(raw: string): boolean | number | string | undefined {
  const value = raw.trim();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  return entries.every(isProxyRange) ? entries.join(',') : undefined;
}

/** Per-variable schemas; cross-variable rules live in {@link crossChecks}. */
const schema = z.object({
  NODE_ENV: optional(
    z.enum(['development', 'production', 'test'], 'must be development, production or test'),
  ),
  PORT: optional(integer(0, 65535)),
  HOST: optional(
    z
      .string()
      .trim()
      .refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), 'must be an IP address or a hostname'),
  ),
  MONGODB_URI: optional(
    z
      .string()
      .trim()
      .regex(
        /^mongodb(\+srv)?:\/\/\S+$/,
        'must be a mongodb:// or mongodb+srv:// connection string',
      ),
  ),
  DATA_DIR: optional(z.string()),
  DB_NAME: optional(
    z
      .string()
      .trim()
      .regex(DB_NAME, 'must be 1-63 characters without spaces or any of / \\ . " $ * < > : | ?'),
  ),
  PUBLIC_URL: optional(
    z
      .string()
      .trim()
      .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
        error: 'must be an absolute http:// or https:// URL',
      }),
  ),
  JWT_SECRET: optional(
    z.string().min(MIN_SECRET_LENGTH, {
      error: `must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -base64 48)`,
    }),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`)),
  ENGINE_HISTORY_RETENTION_HOURS: optional(
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, 'must be a positive number of hours')
      .transform(Number)
      .refine((h) => h > 0 && h <= 24 * 366, 'must be a positive number of hours, at most 8784'),
  ),
  SHUTDOWN_TIMEOUT_MS: optional(integer(0, 600_000)),
  POLL_CLOSER_INTERVAL_MS: optional(integer(50, 3_600_000)),
  // Below Socket.IO's 64 KiB frame limit (realtime/io.ts), which would drop the connection instead.
  COLLAB_MAX_UPDATE_BYTES: optional(integer(256, 60_000)),
  COLLAB_MAX_DOCUMENT_BYTES: optional(integer(1024, 64 * 1024 * 1024)),
  COLLAB_COMPACT_AFTER_MS: optional(integer(10, 60_000)),
  COLLAB_RELEASE_AFTER_MS: optional(integer(0, 3_600_000)),
  WEB_CLIENT: optional(z.enum(['dist', 'vite', 'none'], 'must be dist, vite or none')),
  DPO_EMAILS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .refine(
        (list) => list.every((e) => /^[^\s@]+@[^\s@]+$/.test(e)),
        'must be email addresses separated by commas',
      ),
  ),
  SEED_DEMO: optional(
    z
      .string()
      .trim()
      .refine((v) => v === 'true' || v === 'false', 'must be true or false')
      .transform((v) => v === 'true'),
  ),
  SMTP_URL: optional(
    z
      .string()
      .trim()
      .refine((u) => URL.canParse(u) && /^smtps?:$/.test(new URL(u).protocol), {
        error: 'must be an smtp:// or smtps:// URL',
      }),
  ),
  SMTP_HOST: optional(
    z
      .string()
      .trim()
      .refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), 'must be an IP address or a hostname'),
  ),
  SMTP_PORT: optional(integer(1, 65535)),
  SMTP_SECURE: optional(boolean()),
  SMTP_USER: optional(z.string()),
  SMTP_PASS: optional(z.string()),
  MAIL_FROM: optional(
    z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address, like "Quorum <quorum@example.org>"'),
  ),
  MAIL_INTERVAL_MS: optional(integer(50, 3_600_000)),
  MAIL_BATCH_WINDOW_MS: optional(integer(0, 3_600_000)),
  DIGEST_HOUR_UTC: optional(integer(0, 23)),
  ACCESS_LOG_DIR: optional(z.string()),
  ACCESS_LOG_RETENTION_DAYS: optional(integer(1, 3650)),
  POLICY_FILE: optional(z.string()),
  POLICY_VERSION: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be 1-40 letters, digits, dots, dashes'),
  ),
  TRUST_PROXY: optional(
    z
      .string()
      .transform(parseTrustProxy)
      .refine((v) => v !== undefined, {
        error: 'must be true, false, a hop count, or a comma-separated list of IPs/CIDRs',
      }),
  ),
});

/** Rules spanning variables; they run even when other variables are invalid. */
function crossChecks(env: NodeJS.ProcessEnv): ConfigIssue[] {
  return [...smtpChecks(env), ...productionChecks(env)];
}

/** SMTP is one URL or separate settings, and a user needs a password. */
function smtpChecks(env: NodeJS.ProcessEnv): ConfigIssue[] {
  const set = (name: string) => unsetIfBlank(env[name]) !== undefined;
  const issues: ConfigIssue[] = [];
  const parts = ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASS'].filter(set);
  if (set('SMTP_URL') && parts.length > 0) {
    issues.push({ variable: 'SMTP_URL', message: `set either SMTP_URL or ${parts.join(', ')}` });
  } else if (!set('SMTP_HOST') && parts.length > 0) {
    issues.push({ variable: 'SMTP_HOST', message: `is required with ${parts.join(', ')}` });
  }
  if (set('SMTP_USER') !== set('SMTP_PASS')) {
    issues.push({ variable: 'SMTP_PASS', message: 'SMTP_USER and SMTP_PASS go together' });
  }
  return issues;
}

function productionChecks(env: NodeJS.ProcessEnv): ConfigIssue[] {
  const nodeEnv = schema.shape.NODE_ENV.safeParse(env.NODE_ENV);
  if (!nodeEnv.success || nodeEnv.data !== 'production') return [];
  const issues: ConfigIssue[] = [];
  if (unsetIfBlank(env.JWT_SECRET) === undefined) {
    issues.push({ variable: 'JWT_SECRET', message: 'is required when NODE_ENV=production' });
  }
  if (env.DATA_DIR?.trim() === IN_MEMORY_DATA_DIR) {
    issues.push({
      variable: 'DATA_DIR',
      message: `${IN_MEMORY_DATA_DIR} loses all data on restart and is not allowed when NODE_ENV=production`,
    });
  }
  return issues;
}

function describeIssue(env: NodeJS.ProcessEnv, variable: string, message: string): ConfigIssue {
  const raw = env[variable];
  const shown = raw !== undefined && !SECRET_VARIABLES.has(variable);
  return { variable, message: shown ? `${message} (got ${JSON.stringify(raw)})` : message };
}

/**
 * The development secret lives in DATA_DIR so tokens survive restarts without
 * any setup; it is created once, readable only by its owner. Creation uses
 * `wx` so two processes starting together agree on one secret.
 */
function dataDirSecret(dataDir: string): string {
  const file = path.join(dataDir, JWT_SECRET_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_SECRET_LENGTH)
      throw new Error(`${file} holds a secret that is too short`);
    return secret;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([
      {
        variable: 'JWT_SECRET',
        message: `is not set and the development secret could not be used: ${reason}`,
      },
    ]);
  }
}

function smtpConfig(v: z.infer<typeof schema>): SmtpConfig | null {
  if (v.SMTP_URL !== undefined) return { url: v.SMTP_URL };
  if (v.SMTP_HOST === undefined) return null;
  const secure = v.SMTP_SECURE ?? v.SMTP_PORT === 465;
  return {
    host: v.SMTP_HOST,
    port: v.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    auth:
      v.SMTP_USER !== undefined && v.SMTP_PASS !== undefined
        ? { user: v.SMTP_USER, pass: v.SMTP_PASS }
        : null,
  };
}

/**
 * Parses and validates the environment into a frozen {@link Config}.
 *
 * JWT_SECRET is required in production. Elsewhere, when it is unset, a secret
 * is generated: in development it is persisted in DATA_DIR/jwt-secret so
 * sessions survive restarts (this is the only file this function may write);
 * in tests, or with DATA_DIR=:memory:, it is random per process.
 *
 * @throws ConfigError naming every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  const issues: ConfigIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push(describeIssue(env, String(issue.path[0]), issue.message));
    }
  }
  issues.push(...crossChecks(env));
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);

  const v = parsed.data;
  const nodeEnv = v.NODE_ENV ?? 'development';
  const port = v.PORT ?? 3000;
  const rawDataDir = v.DATA_DIR ?? './data';
  const dataDir = rawDataDir.trim() === IN_MEMORY_DATA_DIR ? null : path.resolve(rawDataDir);

  const publicUrl = (v.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');

  let jwtSecret: string;
  let jwtSecretSource: Config['jwtSecretSource'];
  if (v.JWT_SECRET !== undefined) {
    [jwtSecret, jwtSecretSource] = [v.JWT_SECRET, 'env'];
  } else if (nodeEnv === 'development' && dataDir !== null) {
    [jwtSecret, jwtSecretSource] = [dataDirSecret(dataDir), 'data-dir'];
  } else {
    [jwtSecret, jwtSecretSource] = [randomBytes(48).toString('base64url'), 'ephemeral'];
  }

  return Object.freeze({
    nodeEnv,
    host: v.HOST ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port,
    publicUrl,
    mongodbUri: v.MONGODB_URI ?? null,
    dataDir,
    dbName: v.DB_NAME ?? 'quorum',
    jwtSecret,
    jwtSecretSource,
    logLevel: v.LOG_LEVEL ?? 'info',
    engineHistoryRetentionHours: v.ENGINE_HISTORY_RETENTION_HOURS ?? 24,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    trustProxy: v.TRUST_PROXY ?? false,
    pollCloserIntervalMs: v.POLL_CLOSER_INTERVAL_MS ?? 15_000,
    collab: {
      maxUpdateBytes: v.COLLAB_MAX_UPDATE_BYTES ?? 48 * 1024,
      maxDocumentBytes: v.COLLAB_MAX_DOCUMENT_BYTES ?? 4 * 1024 * 1024,
      compactAfterMs: v.COLLAB_COMPACT_AFTER_MS ?? 2_000,
      releaseAfterMs: v.COLLAB_RELEASE_AFTER_MS ?? 10_000,
    },
    seedDemo: v.SEED_DEMO ?? nodeEnv === 'development',
    webClient: v.WEB_CLIENT ?? 'dist',
    dpoEmails: v.DPO_EMAILS ?? [],
    smtp: smtpConfig(v),
    mailFrom: v.MAIL_FROM ?? `Quorum <no-reply@${new URL(publicUrl).hostname}>`,
    mailIntervalMs: v.MAIL_INTERVAL_MS ?? 30_000,
    mailBatchWindowMs: v.MAIL_BATCH_WINDOW_MS ?? DEFAULT_MAIL_BATCH_WINDOW_MS,
    digestHourUtc: v.DIGEST_HOUR_UTC ?? 7,
    accessLogDir:
      v.ACCESS_LOG_DIR !== undefined
        ? path.resolve(v.ACCESS_LOG_DIR)
        : dataDir === null
          ? null
          : path.join(dataDir, 'logs'),
    accessLogRetentionDays: v.ACCESS_LOG_RETENTION_DAYS ?? 14,
    policyFile: v.POLICY_FILE === undefined ? null : path.resolve(v.POLICY_FILE),
    policyVersion: v.POLICY_VERSION ?? DEFAULT_POLICY_VERSION,
  });
}
