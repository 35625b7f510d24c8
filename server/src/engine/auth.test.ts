import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, type Document } from 'mongodb';
import { startEngine, type RunningEngine } from './index.js';
import { errorOf } from './testing.js';
import { makeTestCertificate, type TestCertificate } from './tls-test-support.js';
import { startLossyProxy, type LossyProxy } from './retry-test-support.js';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const USER = 'operator';
const PASSWORD = 'correct horse battery staple';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  kill(): void;
}

/** Runs the standalone engine; resolves once it printed its URI or exited. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--memory', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const run: CliRun = { code: null, stdout: '', stderr: '', kill: () => child.kill('SIGTERM') };
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString();
      if (run.stdout.includes('mongodb://')) resolve(run);
    });
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    child.once('exit', (code) => {
      run.code = code;
      resolve(run);
    });
  });
}

function clientFor(port: number, cert: TestCertificate, auth = true): MongoClient {
  const credentials = auth ? `${USER}:${encodeURIComponent(PASSWORD)}@` : '';
  return new MongoClient(`mongodb://${credentials}127.0.0.1:${port}/?replicaSet=rs0`, {
    tls: true,
    tlsCAFile: cert.certFile,
    serverSelectionTimeoutMS: 3000,
  });
}

describe('engine: authentication (SCRAM-SHA-256) and TLS', function () {
  this.timeout(60_000);
  let cert: TestCertificate;

  before(() => {
    cert = makeTestCertificate();
  });
  after(() => cert.remove());

  describe('with a user and a certificate', () => {
    let engine: RunningEngine;
    before(async () => {
      engine = await startEngine({
        dataDir: null,
        users: [{ user: USER, password: PASSWORD }],
        tls: { cert: cert.cert, key: cert.key },
      });
    });
    after(() => engine.close());

    it('lets the right password in over TLS, with SCRAM-SHA-256', async () => {
      const client = clientFor(engine.port, cert);
      try {
        await client.connect();
        await client.db('app').collection('things').insertOne({ ok: true });
        expect(await client.db('app').collection('things').countDocuments()).to.equal(1);
        const status = await client.db('admin').command({ connectionStatus: 1 });
        expect(status.ok).to.equal(1);
        const { users } = await client.db('admin').command({ usersInfo: USER });
        expect(users[0].user).to.equal(USER);
        expect(users[0].mechanisms).to.deep.equal(['SCRAM-SHA-256']);
      } finally {
        await client.close();
      }
    });

    it('refuses a wrong password with AuthenticationFailed', async () => {
      const client = new MongoClient(
        `mongodb://${USER}:wrong-password-123@127.0.0.1:${engine.port}/`,
        {
          tls: true,
          tlsCAFile: cert.certFile,
          directConnection: true,
          serverSelectionTimeoutMS: 3000,
        },
      );
      try {
        const err = await errorOf(client.connect());
        expect(err.code).to.equal(18);
      } finally {
        await client.close();
      }
    });

    it('refuses commands from a connection that did not authenticate', async () => {
      const client = clientFor(engine.port, cert, false);
      try {
        await client.connect();
        const err = await errorOf(client.db('app').collection('things').findOne({}));
        expect(err.code).to.equal(13);
        expect(err.codeName).to.equal('Unauthorized');
      } finally {
        await client.close();
      }
    });

    it('does not speak plain TCP once TLS is on', async () => {
      const client = new MongoClient(`mongodb://127.0.0.1:${engine.port}/`, {
        directConnection: true,
        serverSelectionTimeoutMS: 1500,
      });
      try {
        const err = await errorOf(client.db('admin').command({ ping: 1 }));
        expect(String(err.name)).to.match(/MongoServerSelectionError|MongoNetworkError/);
      } finally {
        await client.close();
      }
    });
  });

  describe('speculative authentication in the handshake', () => {
    let engine: RunningEngine;
    let proxy: LossyProxy;
    before(async () => {
      engine = await startEngine({ dataDir: null, users: [{ user: USER, password: PASSWORD }] });
      proxy = await startLossyProxy(engine.port);
    });
    after(async () => {
      await proxy.close();
      await engine.close();
    });

    /** A client through the counting proxy; returns the commands its connections sent. */
    async function connectAs(user: string, password: string) {
      const before = proxy.commands.length;
      const port = new URL(proxy.uri).port;
      const client = new MongoClient(
        `mongodb://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/?directConnection=true`,
        { serverSelectionTimeoutMS: 3000 },
      );
      try {
        await client.db('app').collection('things').insertOne({ by: user });
        return { error: null, sent: proxy.commands.slice(before) };
      } catch (err) {
        return { error: err as Record<string, unknown>, sent: proxy.commands.slice(before) };
      } finally {
        await client.close();
      }
    }

    it('authenticates the driver within hello: saslContinue follows, no saslStart round trip', async () => {
      const { error, sent } = await connectAs(USER, PASSWORD);
      expect(error).to.equal(null);
      expect(sent).to.include('saslContinue').and.not.include('saslStart');
      expect(sent).to.include('insert');
    });

    it('counts authentications in serverStatus security.authentication, speculative ones apart', async () => {
      const mechanism = async () => {
        const client = new MongoClient(
          `mongodb://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${engine.port}/?directConnection=true`,
        );
        try {
          const status = await client.db('admin').command({ serverStatus: 1 });
          return status.security.authentication.mechanisms['SCRAM-SHA-256'] as Document;
        } finally {
          await client.close();
        }
      };
      const count = (c: Document) => ({
        received: Number(c.received),
        successful: Number(c.successful),
      });
      const first = await mechanism();
      const wrong = await connectAs(USER, 'not the right password');
      expect(wrong.error).to.include({ code: 18 });
      const second = await mechanism();
      // Each connection authenticates speculatively; the wrong password is received, not successful.
      // The client asking counts too: its own authentication happened before it asked.
      expect(count(second.authenticate)).to.deep.equal({
        received: count(first.authenticate).received + 2,
        successful: count(first.authenticate).successful + 1,
      });
      expect(count(second.speculativeAuthenticate)).to.deep.equal({
        received: count(first.speculativeAuthenticate).received + 2,
        successful: count(first.speculativeAuthenticate).successful + 1,
      });
      expect(count(first.speculativeAuthenticate).successful).to.be.greaterThan(0);
    });

    it('still refuses a wrong password and an unknown user', async () => {
      const wrong = await connectAs(USER, 'not the right password');
      expect(wrong.error).to.include({ code: 18, codeName: 'AuthenticationFailed' });
      expect(wrong.sent).to.not.include('insert');
      // An unknown user gets a plausible challenge too (nothing tells which users exist), then fails.
      const stranger = await connectAs('stranger', PASSWORD);
      expect(stranger.error).to.include({ code: 18, codeName: 'AuthenticationFailed' });
      expect(stranger.sent).to.not.include('insert');
    });

    it("answers hello's speculativeAuthenticate with the server's first message, and leaves out one it cannot take", async () => {
      const client = new MongoClient(`mongodb://127.0.0.1:${engine.port}/?directConnection=true`);
      try {
        const admin = client.db('admin');
        const start = {
          saslStart: 1,
          mechanism: 'SCRAM-SHA-256',
          payload: Buffer.from(`n,,n=${USER},r=clientnonce0123456789`),
          options: { skipEmptyExchange: true },
          db: 'admin',
        };
        const reply = await admin.command({ hello: 1, speculativeAuthenticate: start });
        expect(reply.speculativeAuthenticate).to.include({ conversationId: 1, done: false });
        const serverFirst = Buffer.from(reply.speculativeAuthenticate.payload.buffer).toString();
        expect(serverFirst).to.match(/^r=clientnonce0123456789[^,]+,s=[^,]+,i=\d+$/);
        for (const refused of [
          { ...start, mechanism: 'SCRAM-SHA-1' },
          { ...start, payload: Buffer.from('p=tls-unique,,n=operator,r=abc') },
          { authenticate: 1, mechanism: 'MONGODB-X509' },
        ]) {
          const other = await admin.command({ hello: 1, speculativeAuthenticate: refused });
          expect(other).to.include({ ok: 1 }).and.not.have.property('speculativeAuthenticate');
        }
      } finally {
        await client.close();
      }
    });
  });

  it('startEngine refuses a non-loopback host without credentials and TLS, saying why', async () => {
    const err = await errorOf(startEngine({ dataDir: null, host: '0.0.0.0', port: 0 }));
    expect(String(err.message)).to.match(/not a loopback address/);
    expect(String(err.message)).to.match(/QUORUM_ENGINE_USER/);
    expect(String(err.message)).to.match(/--tls-cert/);
    const noTls = await errorOf(
      startEngine({ dataDir: null, host: '0.0.0.0', users: [{ user: USER, password: PASSWORD }] }),
    );
    expect(String(noTls.message)).to.match(/TLS certificate/);
    expect(String(noTls.message)).not.to.match(/QUORUM_ENGINE_USER/);
  });

  it('refuses a password shorter than 12 characters', async () => {
    const err = await errorOf(
      startEngine({ dataDir: null, users: [{ user: USER, password: 'short' }] }),
    );
    expect(String(err.message)).to.match(/shorter than 12/);
  });

  it('npm run engine --host 0.0.0.0 without credentials exits with the reason', async () => {
    const run = await runCli(['--host', '0.0.0.0', '--port', '0']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/refusing to listen on 0\.0\.0\.0/);
    expect(run.stdout).not.to.include('mongodb://');
  });

  it('npm run engine --host 0.0.0.0 with a user (env) and TLS serves authenticated clients', async () => {
    const run = await runCli(
      ['--host', '0.0.0.0', '--port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile],
      { QUORUM_ENGINE_USER: USER, QUORUM_ENGINE_PASSWORD: PASSWORD },
    );
    try {
      expect(run.code, run.stderr).to.equal(null);
      const port = Number(/:(\d+)\//.exec(run.stdout)![1]);
      expect(run.stdout).to.include('tls=true');
      // Reached over loopback: the test sends nothing to any other address.
      const client = new MongoClient(
        `mongodb://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/`,
        { tls: true, tlsCAFile: cert.certFile, directConnection: true },
      );
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
      } finally {
        await client.close();
      }
    } finally {
      run.kill();
    }
  });

  it('reads the user from --auth-file and refuses a file others can read', async () => {
    const file = path.join(cert.dir, 'engine-user');
    writeFileSync(file, `${USER}:${PASSWORD}\n`);
    chmodSync(file, 0o644);
    const open = await runCli(['--port', '0', '--auth-file', file]);
    expect(open.code).to.equal(1);
    expect(open.stderr).to.match(/chmod 600/);
    chmodSync(file, 0o600);
    const run = await runCli(['--port', '0', '--auth-file', file]);
    try {
      const port = Number(/:(\d+)\//.exec(run.stdout)![1]);
      const anonymous = new MongoClient(`mongodb://127.0.0.1:${port}/`, { directConnection: true });
      const authed = new MongoClient(
        `mongodb://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/`,
        { directConnection: true },
      );
      try {
        const err = await errorOf(anonymous.db('x').collection('y').findOne({}));
        expect(err.code).to.equal(13);
        expect(await authed.db('x').collection('y').findOne({})).to.equal(null);
      } finally {
        await anonymous.close();
        await authed.close();
      }
    } finally {
      run.kill();
    }
  });
});
