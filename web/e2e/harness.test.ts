import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../server/src/web/client.js';

interface Run {
  code: number | null;
  output: string;
}

/** Runs mocha on two browser suites in a child process, without a browser to find. */
function runWithoutChromium(env: Record<string, string>): Promise<Run> {
  const root = repoRoot();
  const specs = ['web/e2e/shell.test.ts', 'web/e2e/resync.test.ts'];
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/mocha/bin/mocha.js'), ...specs],
    {
      cwd: root,
      env: { ...process.env, CI: '', CHROMIUM_PATH: '/nonexistent/chromium', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('browser test harness without Chromium', function () {
  this.timeout(120_000);

  it('reports the browser suites as pending, says once how to get Chromium, and exits 0', async () => {
    const run = await runWithoutChromium({});
    expect(run.code, run.output).to.equal(0);
    expect(run.output)
      .to.match(/0 passing/)
      .and.match(/\d+ pending/);
    expect(run.output).not.to.match(/failing|openUri/);
    const hints = run.output
      .split('\n')
      .filter((line) => line.includes('apt-get install chromium'));
    expect(hints, run.output).to.have.length(1);
    expect(hints[0]).to.include('CHROMIUM_PATH').and.include('/nonexistent/chromium');
  });

  it('fails the run under CI=true, where the browser tests must run', async () => {
    const run = await runWithoutChromium({ CI: 'true' });
    expect(run.code, run.output).to.equal(2);
    expect(run.output)
      .to.match(/2 failing/)
      .and.include('CI=true runs the browser tests');
    expect(run.output).not.to.include('openUri');
  });
});
