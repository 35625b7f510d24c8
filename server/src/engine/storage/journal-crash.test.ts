import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from './journal.js';
import { childRecord, recoveredCount } from './testdata/journal-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const childScript = path.join(here, 'testdata', 'journal-child.ts');
const b = (s: string) => Buffer.from(s);

type Outcome = { snapshot: string | null; records: string[] };
function recoverAndCheck(dir: string): Outcome {
  const { journal, recovered } = Journal.open({ dir });
  const out = {
    snapshot: recovered.snapshot?.toString() ?? null,
    records: recovered.records.map(String),
  };
  // Whatever state it came from, the directory is now clean and usable.
  const names = fs.readdirSync(dir).sort();
  expect(names.filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
  expect(names.filter((n) => n.endsWith('.log'))).to.have.length(1);
  expect(names.filter((n) => n.endsWith('.snap')).length).to.be.at.most(1);
  journal.append(b('post-crash'));
  journal.close();
  const again = Journal.open({ dir });
  again.journal.close();
  expect(again.recovered.records.map(String)).to.deep.equal([...out.records, 'post-crash']);
  return out;
}

/**
 * Runs `fn` and copies `dir` just before every file-system mutation it makes:
 * each copy is what a kill -9 at that instant would leave behind.
 */
function crashStatesDuring(dir: string, into: string, fn: () => void): string[] {
  const mutators = [
    'openSync',
    'writeSync',
    'fsyncSync',
    'fdatasyncSync',
    'renameSync',
    'rmSync',
    'unlinkSync',
    'closeSync',
    'ftruncateSync',
  ];
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map(mutators.map((m) => [m, target[m]]));
  const states: string[] = [];
  let copying = false;
  const copy = () => {
    copying = true;
    try {
      const to = path.join(into, `state-${states.length}`);
      fs.mkdirSync(to);
      for (const n of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, n), path.join(to, n));
      states.push(to);
    } finally {
      copying = false;
    }
  };
  for (const [name, original] of originals) {
    target[name] = (...args: unknown[]) => {
      if (!copying) copy();
      return original.apply(fs, args);
    };
  }
  try {
    fn();
  } finally {
    for (const [name, original] of originals) target[name] = original;
  }
  copy();
  return states;
}

describe('storage/journal crash safety', () => {
  let dirs: string[] = [];
  const tmpDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'quorum-journal-crash-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  it('recovers old or new state from a crash before any step of compact()', () => {
    const dir = tmpDir();
    const { journal } = Journal.open({ dir });
    journal.append(b('a'));
    journal.compact(b('S1'));
    journal.appendMany([b('b'), b('c')]);
    const states = crashStatesDuring(dir, tmpDir(), () => journal.compact(b('S2')));
    journal.close();
    const before: Outcome = { snapshot: 'S1', records: ['b', 'c'] };
    const after: Outcome = { snapshot: 'S2', records: [] };
    const outcomes = states.map(recoverAndCheck);
    expect(outcomes.length).to.be.greaterThan(8);
    const firstNew = outcomes.findIndex((o) => o.snapshot === 'S2');
    expect(firstNew).to.be.greaterThan(0);
    outcomes.forEach((o, i) =>
      expect(o, `crash state ${i}`).to.deep.equal(i < firstNew ? before : after),
    );
  });

  it('ignores a torn temp snapshot left by a crash', () => {
    const dir = tmpDir();
    const { journal } = Journal.open({ dir });
    journal.appendMany([b('a'), b('b')]);
    journal.close();
    fs.writeFileSync(path.join(dir, 'snapshot-0000000001.snap.tmp'), 'QJSN partial');
    expect(recoverAndCheck(dir)).to.deep.equal({ snapshot: null, records: ['a', 'b'] });
  });

  it('uses a new snapshot whose segment never appeared, dropping the old log', () => {
    const dir = tmpDir();
    const { journal } = Journal.open({ dir });
    journal.appendMany([b('a'), b('b')]);
    const oldLog = fs.readFileSync(path.join(dir, 'log-0000000000.log'));
    journal.compact(b('S1'));
    journal.close();
    fs.rmSync(path.join(dir, 'log-0000000001.log'));
    fs.writeFileSync(path.join(dir, 'log-0000000000.log'), oldLog);
    expect(recoverAndCheck(dir)).to.deep.equal({ snapshot: 'S1', records: [] });
  });

  it('refuses a segment with records whose snapshot is missing', () => {
    const dir = tmpDir();
    const { journal } = Journal.open({ dir });
    journal.compact(b('S1'));
    journal.append(b('x'));
    journal.close();
    fs.renameSync(path.join(dir, 'snapshot-0000000001.snap'), path.join(dir, 'elsewhere'));
    expect(() => Journal.open({ dir })).to.throw(/snapshot is missing/);
  });

  describe('real kill -9', function () {
    this.timeout(60_000);

    /** Starts the child appender, SIGKILLs it after `killAfter` acks; returns the highest acked index. */
    function runAndKill(dir: string, killAfter: number, interval: number): Promise<number> {
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', childScript, 'flood', dir, String(interval)],
          {
            cwd: repoRoot,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let acked = -1;
        let seen = 0;
        let pending = '';
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          const lines = (pending + d.toString()).split('\n');
          pending = lines.pop()!;
          for (const line of lines) {
            const n = Number(line);
            if (n !== acked + 1 && acked >= 0)
              reject(new Error(`acks out of order: ${acked} then ${n}`));
            acked = n;
            if (++seen === killAfter) child.kill('SIGKILL');
          }
        });
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          if (signal !== 'SIGKILL')
            reject(new Error(`child exited early (code ${code}): ${stderr}`));
          else resolve(acked);
        });
      });
    }

    it('recovers every acknowledged record, in order, after SIGKILL mid-stream', async () => {
      const dir = tmpDir();
      const rounds: Array<[number, number]> = [
        [1500, 100],
        [900, 0],
        [2200, 5],
      ];
      for (const [killAfter, interval] of rounds) {
        const acked = await runAndKill(dir, killAfter, interval);
        const { journal, recovered } = Journal.open({ dir }); // also takes over the dead child's LOCK
        journal.close();
        const base = recoveredCount(recovered.snapshot);
        const total = base + recovered.records.length;
        expect(
          total,
          `recovered ${total} records, child acknowledged up to ${acked}`,
        ).to.be.greaterThan(acked);
        recovered.records.forEach((r, i) => {
          if (!r.equals(childRecord(base + i)))
            expect.fail(`record ${base + i} differs after recovery`);
        });
      }
    });

    it('does not keep a process alive when close() is never called', async () => {
      const dir = tmpDir();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', childScript, 'no-close', dir, '10'],
        { cwd: repoRoot },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) =>
        child.on('exit', (c) => resolve(c)),
      );
      expect(code).to.equal(0);
      expect(out).to.equal('appended\n');
      expect(recoverAndCheck(dir).records).to.deep.equal(['left open']);
    });
  });
});
