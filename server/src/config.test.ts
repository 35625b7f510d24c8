import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, JWT_SECRET_FILE, loadConfig } from './config.js';

const SECRET = 'x'.repeat(40);

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.collab).to.deep.equal({
      maxUpdateBytes: 48 * 1024,
      maxDocumentBytes: 4 * 1024 * 1024,
      compactAfterMs: 2000,
      releaseAfterMs: 10_000,
    });
    expect(config).to.include({
      nodeEnv: 'test',
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      mongodbUri: null,
      dataDir: path.resolve('./data'),
      dbName: 'quorum',
      logLevel: 'info',
      engineHistoryRetentionHours: 24,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
      pollCloserIntervalMs: 15_000,
      seedDemo: false,
      jwtSecretSource: 'ephemeral',
    });
    expect(config.jwtSecret).to.have.length.greaterThan(31);
  });

  it('defaults NODE_ENV to development', () => {
    expect(loadConfig({ DATA_DIR: ':memory:' }).nodeEnv).to.equal('development');
  });

  it('listens on loopback by default, except in production', () => {
    expect(loadConfig({ DATA_DIR: ':memory:' }).host).to.equal('127.0.0.1');
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, MONGODB_URI: 'mongodb://db/' }).host,
    ).to.equal('0.0.0.0');
    expect(loadConfig({ DATA_DIR: ':memory:', HOST: '0.0.0.0' }).host).to.equal('0.0.0.0');
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({ NODE_ENV: 'test' }))).to.equal(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      MONGODB_URI: 'mongodb://db1:27017,db2:27017/?replicaSet=rs0',
      DATA_DIR: '/var/lib/quorum',
      DB_NAME: 'quorum_prod',
      PUBLIC_URL: 'https://quorum.example.org/',
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      ENGINE_HISTORY_RETENTION_HOURS: '48',
      SHUTDOWN_TIMEOUT_MS: '2500',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      POLL_CLOSER_INTERVAL_MS: '60000',
      COLLAB_MAX_UPDATE_BYTES: '32768',
      COLLAB_MAX_DOCUMENT_BYTES: '1048576',
      COLLAB_COMPACT_AFTER_MS: '1000',
      COLLAB_RELEASE_AFTER_MS: '5000',
      SEED_DEMO: 'true',
      SMTP_URL: 'smtps://quorum:secret@smtp.example.org:465',
      MAIL_FROM: 'Quorum <quorum@example.org>',
      MAIL_INTERVAL_MS: '5000',
      MAIL_BATCH_WINDOW_MS: '60000',
      DIGEST_HOUR_UTC: '6',
      ACCESS_LOG_DIR: '/var/log/quorum',
      ACCESS_LOG_RETENTION_DAYS: '7',
      POLICY_FILE: '/etc/quorum/policy.md',
      POLICY_VERSION: '2027-03-01',
      WEB_CLIENT: 'none',
      DPO_EMAILS: 'dpo@example.org, Privacy@Example.org',
    });
    expect(config).to.deep.equal({
      nodeEnv: 'production',
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'https://quorum.example.org',
      mongodbUri: 'mongodb://db1:27017,db2:27017/?replicaSet=rs0',
      dataDir: '/var/lib/quorum',
      dbName: 'quorum_prod',
      jwtSecret: SECRET,
      jwtSecretSource: 'env',
      logLevel: 'warn',
      engineHistoryRetentionHours: 48,
      shutdownTimeoutMs: 2500,
      trustProxy: 'loopback,10.0.0.0/8',
      pollCloserIntervalMs: 60_000,
      collab: {
        maxUpdateBytes: 32768,
        maxDocumentBytes: 1048576,
        compactAfterMs: 1000,
        releaseAfterMs: 5000,
      },
      seedDemo: true,
      smtp: { url: 'smtps://quorum:secret@smtp.example.org:465' },
      mailFrom: 'Quorum <quorum@example.org>',
      mailIntervalMs: 5000,
      mailBatchWindowMs: 60_000,
      digestHourUtc: 6,
      accessLogDir: '/var/log/quorum',
      accessLogRetentionDays: 7,
      policyFile: '/etc/quorum/policy.md',
      policyVersion: '2027-03-01',
      webClient: 'none',
      dpoEmails: ['dpo@example.org', 'privacy@example.org'],
    });
  });

  it('derives PUBLIC_URL from PORT', () => {
    expect(loadConfig({ NODE_ENV: 'test', PORT: '4000' }).publicUrl).to.equal(
      'http://localhost:4000',
    );
  });

  it('seeds the demo by default in development only; SEED_DEMO overrides', () => {
    const seed = (env: NodeJS.ProcessEnv) => loadConfig({ DATA_DIR: ':memory:', ...env }).seedDemo;
    expect(seed({ NODE_ENV: 'development' })).to.equal(true);
    expect(seed({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATA_DIR: '/srv/q' })).to.equal(
      false,
    );
    expect(seed({ NODE_ENV: 'test' })).to.equal(false);
    expect(seed({ NODE_ENV: 'development', SEED_DEMO: 'false' })).to.equal(false);
    expect(seed({ NODE_ENV: 'test', SEED_DEMO: ' true ' })).to.equal(true);
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '', MONGODB_URI: '  ' });
    expect(config.port).to.equal(3000);
    expect(config.mongodbUri).to.equal(null);
  });

  it('keeps the engine in memory with DATA_DIR=:memory:', () => {
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' }).dataDir).to.equal(null);
  });

  it('parses TRUST_PROXY as boolean, hop count or address list', () => {
    const trust = (value: string) =>
      loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).trustProxy;
    expect(trust('true')).to.equal(true);
    expect(trust('false')).to.equal(false);
    expect(trust('2')).to.equal(2);
    expect(trust('192.168.0.1,fe80::/10')).to.equal('192.168.0.1,fe80::/10');
  });

  const invalid: Array<[string, string]> = [
    ['NODE_ENV', 'staging'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['HOST', 'not a host'],
    ['MONGODB_URI', 'http://localhost:27017'],
    ['DB_NAME', 'my.db'],
    ['PUBLIC_URL', 'quorum.example.org'],
    ['PUBLIC_URL', 'ftp://quorum.example.org'],
    ['JWT_SECRET', 'short'],
    ['LOG_LEVEL', 'verbose'],
    ['ENGINE_HISTORY_RETENTION_HOURS', '0'],
    ['ENGINE_HISTORY_RETENTION_HOURS', 'a day'],
    ['SHUTDOWN_TIMEOUT_MS', '1.5'],
    ['TRUST_PROXY', 'sometimes'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['POLL_CLOSER_INTERVAL_MS', '10'],
    ['POLL_CLOSER_INTERVAL_MS', 'soon'],
    ['SEED_DEMO', 'yes'],
  ];
  for (const [variable, value] of invalid) {
    it(`names ${variable} when it is ${JSON.stringify(value)}`, () => {
      const error = configError({ NODE_ENV: 'test', [variable]: value });
      expect(error.issues.map((i) => i.variable)).to.deep.equal([variable]);
      expect(error.message).to.include(`${variable}: `);
    });
  }

  it('names every bad variable at once', () => {
    const error = configError({ NODE_ENV: 'production', PORT: 'x', LOG_LEVEL: 'loud' });
    expect(error.issues.map((i) => i.variable)).to.have.members([
      'PORT',
      'LOG_LEVEL',
      'JWT_SECRET',
    ]);
    expect(error.message).to.match(/PORT: .*"x"/);
  });

  it('requires JWT_SECRET in production', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.message).to.include('JWT_SECRET: is required when NODE_ENV=production');
  });

  it('refuses an in-memory engine in production', () => {
    const error = configError({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATA_DIR: ':memory:' });
    expect(error.issues.map((i) => i.variable)).to.deep.equal(['DATA_DIR']);
  });

  it('never echoes secret values', () => {
    const error = configError({
      NODE_ENV: 'test',
      JWT_SECRET: 'hunter2',
      MONGODB_URI: 'pg://u:pw@h',
    });
    expect(error.message).not.to.include('hunter2');
    expect(error.message).not.to.include('pw@h');
  });

  describe('development JWT secret', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'quorum-config-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('is generated once per DATA_DIR, private, and reused on restart', () => {
      const dataDir = path.join(dir, 'data');
      const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
      const second = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
      const file = path.join(dataDir, JWT_SECRET_FILE);
      expect(first.jwtSecretSource).to.equal('data-dir');
      expect(second.jwtSecret).to.equal(first.jwtSecret);
      expect(readFileSync(file, 'utf8').trim()).to.equal(first.jwtSecret);
      expect(statSync(file).mode & 0o077).to.equal(0);
    });

    it('differs between data directories', () => {
      const a = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(dir, 'a') });
      const b = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(dir, 'b') });
      expect(a.jwtSecret).not.to.equal(b.jwtSecret);
    });
  });
});
