import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshness, writeStamp, type BuildTarget } from './stamps.js';
import { SERVER, WEB } from './targets.js';

/** A build target in a scratch folder: sources under src/, the output out/app.js. */
const TARGET: BuildTarget = {
  name: 'app',
  inputs: ['src', 'config.json'],
  ignore: (file) => file.endsWith('.test.ts'),
  output: 'out/app.js',
  stamp: 'out/.build/app.json',
};

describe('building only what changed (scripts/build)', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  /** What a build does: writes the output, then the stamp of what it read before starting. */
  const build = async () => {
    const state = await freshness(root, TARGET);
    write('out/app.js', 'built');
    await writeStamp(root, TARGET, state.fingerprint);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'quorum-build-'));
    write('src/a.ts', 'export const a = 1;');
    write('src/deep/b.ts', 'export const b = 2;');
    write('config.json', '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds the first time, saying there is no earlier build', async () => {
    expect(await freshness(root, TARGET)).to.deep.include({
      fresh: false,
      reason: 'no earlier build',
    });
  });

  it('skips the build when nothing changed since the last one', async () => {
    await build();
    expect((await freshness(root, TARGET)).fresh).to.equal(true);
  });

  it('builds again when a source changes, naming it', async () => {
    await build();
    write('src/deep/b.ts', 'export const b = 3;');
    expect(await freshness(root, TARGET)).to.deep.include({
      fresh: false,
      reason: 'changed since the last build: src/deep/b.ts',
    });
  });

  it('builds again when a source is added or removed, or the output is gone', async () => {
    await build();
    write('src/c.ts', 'export const c = 1;');
    expect(await freshness(root, TARGET)).to.deep.include({
      reason: 'changed since the last build: src/c.ts',
    });
    await build();
    rmSync(path.join(root, 'src/a.ts'));
    expect(await freshness(root, TARGET)).to.deep.include({
      reason: 'removed since the last build: src/a.ts',
    });
    await build();
    rmSync(path.join(root, 'out/app.js'));
    expect(await freshness(root, TARGET)).to.deep.include({ reason: 'no earlier build' });
  });

  it('does not build for a file touched but not changed, nor for an ignored one', async () => {
    await build();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'src/a.ts'), later, later);
    write('src/a.test.ts', 'it()');
    expect((await freshness(root, TARGET)).fresh).to.equal(true);
  });

  it('counts a change made while building for the next start', async () => {
    const before = await freshness(root, TARGET);
    write('src/a.ts', 'export const a = 2;'); // saved while the build runs
    write('out/app.js', 'built');
    await writeStamp(root, TARGET, before.fingerprint);
    expect(await freshness(root, TARGET)).to.deep.include({
      reason: 'changed since the last build: src/a.ts',
    });
  });

  it('leaves tests and benchmarks out of the server and web builds, but not shared code', () => {
    for (const file of [
      'server/src/app.test.ts',
      'server/src/test/harness.ts',
      'scripts/bench/fanout.ts',
    ])
      expect(SERVER.ignore!(file), file).to.equal(true);
    expect(SERVER.ignore!('shared/markdown/blocks.ts')).to.equal(false);
    expect(WEB.ignore!('web/src/lib/formatting.test.ts')).to.equal(true);
    expect(WEB.ignore!('web/src/styles.css')).to.equal(false);
    expect(WEB.inputs).to.include('shared');
  });
});
