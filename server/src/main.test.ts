import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface MainProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the URL once the process prints that it is listening. */
  listening: Promise<string>;
  exited: Promise<number | null>;
}

/** Runs `server/src/main.ts` as a real process, the way `npm run dev` does. */
function runMain(env: NodeJS.ProcessEnv): MainProcess {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...env,
  };
  for (const [key, value] of Object.entries(childEnv))
    if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: childEnv,
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s,)]+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`main exited with ${code} before listening:\n${output}`)),
    );
  });
  listening.catch(() => undefined);
  return { child, output: () => output, listening, exited };
}

describe('main (as a child process)', function () {
  this.timeout(30_000);
  let dataDir: string;
  let main: MainProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-main-'));
  });
  afterEach(async () => {
    if (main?.child.exitCode === null) {
      main.child.kill('SIGKILL');
      await main.exited;
    }
    main = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 1 naming the variable when the configuration is invalid', async () => {
    main = runMain({ PORT: 'abc', DATA_DIR: dataDir });
    expect(await main.exited).to.equal(1);
    expect(main.output()).to.match(/PORT: must be an integer/);
  });

  it('exits 1 when the external database cannot be reached', async () => {
    main = runMain({
      MONGODB_URI: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300',
      DATA_DIR: dataDir,
    });
    expect(await main.exited).to.equal(1);
    expect(main.output()).to.include('Quorum failed to start');
  });

  describe('on the embedded engine', () => {
    it('serves health from the embedded engine', async () => {
      main = runMain({ MONGODB_URI: undefined, DATA_DIR: dataDir });
      const url = await main.listening;
      const res = await fetch(`${url}/api/health`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.include({ status: 'ok' });
      main.child.kill('SIGTERM');
      expect(await main.exited).to.equal(0);
    });

    it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
      main = runMain({ MONGODB_URI: undefined, DATA_DIR: dataDir, SHUTDOWN_TIMEOUT_MS: '10000' });
      const url = await main.listening;
      const order: string[] = [];
      const exited = main.exited.then((code) => (order.push('exit'), code));
      // Headers arrive at once; the body only after 1.5 s: the request is in flight.
      const res = await fetch(`${url}/api/test/slow?ms=1500`);
      expect(res.status).to.equal(200);
      main.child.kill('SIGTERM');
      const body = (await res.json()) as { sleptMs: number };
      order.push('response');
      expect(body).to.deep.equal({ sleptMs: 1500 });
      expect(await exited).to.equal(0);
      expect(order).to.deep.equal(['response', 'exit']);
      expect(main.output()).to.include('stopped in');
    });

    it('exits 0 promptly on SIGINT when idle', async () => {
      main = runMain({ MONGODB_URI: undefined, DATA_DIR: dataDir });
      await main.listening;
      const started = Date.now();
      main.child.kill('SIGINT');
      expect(await main.exited).to.equal(0);
      expect(Date.now() - started).to.be.lessThan(5000);
    });
  });
});
