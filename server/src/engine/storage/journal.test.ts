import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Journal, type JournalOptions } from './journal.js';
import { FILE_HEADER_SIZE, encodeRecords } from './journal-format.js';

const b = (s: string) => Buffer.from(s);
const strs = (bufs: Buffer[]) => bufs.map((x) => x.toString());

/** Opens, closes and returns what was recovered, as strings. */
function recoverStrings(opts: JournalOptions): { snapshot: string | null; records: string[] } {
  const { journal, recovered } = Journal.open(opts);
  journal.close();
  return { snapshot: recovered.snapshot?.toString() ?? null, records: strs(recovered.records) };
}

const logFiles = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.log'));
const logPath = (dir: string) => path.join(dir, logFiles(dir)[0]);

describe('storage/journal', () => {
  let dirs: string[] = [];
  const tmpDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'quorum-journal-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  it('creates a missing directory and round-trips records', () => {
    const dir = path.join(tmpDir(), 'nested', 'data');
    const { journal, recovered } = Journal.open({ dir });
    expect(recovered).to.deep.equal({ snapshot: null, records: [] });
    journal.append(b('one'));
    journal.append(b('two'));
    journal.appendMany([b('three'), b('four')]);
    journal.appendMany([]);
    journal.close();
    journal.close(); // idempotent
    expect(recoverStrings({ dir })).to.deep.equal({
      snapshot: null,
      records: ['one', 'two', 'three', 'four'],
    });
    expect(fs.existsSync(path.join(dir, 'LOCK'))).to.equal(false);
  });

  it('keeps many records of varied size in order and reports logBytes', () => {
    const dir = tmpDir();
    const { journal } = Journal.open({ dir });
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const s = `r${i}:${'x'.repeat(i % 700)}`;
      expected.push(s);
      if (i % 10 === 0) journal.appendMany([b(s)]);
      else journal.append(b(s));
    }
    expect(journal.logBytes).to.equal(fs.statSync(logPath(dir)).size);
    journal.close();
    expect(recoverStrings({ dir }).records).to.deep.equal(expected);
  });

  describe('torn tail', () => {
    const cases: Array<[string, Buffer, string[]]> = [
      ['a partial record header', Buffer.from([9, 0, 0]), []],
      [
        'a length running past the end of file',
        Buffer.concat([Buffer.from([100, 0, 0, 0, 1, 2, 3, 4]), b('short')]),
        [],
      ],
      [
        'a bad checksum in the last record',
        Buffer.from(encodeRecords([b('last')]).map((x, i) => (i === 9 ? x ^ 1 : x))),
        [],
      ],
      ['a zero-filled tail', Buffer.alloc(8192), []],
      ['a batch cut short mid-write', encodeRecords([b('x1'), b('x2')]).subarray(0, -1), ['x1']],
    ];
    for (const [name, garbage, extra] of cases) {
      it(`truncates ${name} and keeps appending after it`, () => {
        const dir = tmpDir();
        const { journal } = Journal.open({ dir });
        journal.appendMany([b('a'), b('bb'), b('ccc')]);
        journal.close();
        const file = logPath(dir);
        fs.appendFileSync(file, garbage);
        const { journal: j2, recovered } = Journal.open({ dir });
        expect(strs(recovered.records)).to.deep.equal(['a', 'bb', 'ccc', ...extra]);
        expect(fs.statSync(file).size).to.equal(j2.logBytes);
        j2.append(b('after'));
        j2.close();
        expect(recoverStrings({ dir }).records).to.deep.equal([
          'a',
          'bb',
          'ccc',
          ...extra,
          'after',
        ]);
      });
    }
  });

  describe('corruption', () => {
    /** Five records; returns the log file and the offset of record 2. */
    function fiveRecords(dir: string): { file: string; offset: number } {
      const { journal } = Journal.open({ dir });
      for (let i = 0; i < 5; i++) journal.append(b(`record-${i}`));
      journal.close();
      return { file: logPath(dir), offset: FILE_HEADER_SIZE + 2 * (8 + 'record-0'.length) };
    }
    const patch = (file: string, offset: number, bytes: number[]) => {
      const buf = fs.readFileSync(file);
      bytes.forEach((v, i) => (buf[offset + i] = v));
      fs.writeFileSync(file, buf);
    };

    it('throws naming file and offset when a bad record is followed by valid ones', () => {
      const dir = tmpDir();
      const { file, offset } = fiveRecords(dir);
      patch(file, offset + 8 + 3, [0x7e]); // a payload byte of record 2
      const expectFail = () =>
        expect(() => Journal.open({ dir })).to.throw(
          Error,
          `Journal log ${file} is corrupt at offset ${offset}`,
        );
      expectFail();
      expectFail(); // the lock was released by the failed open
      expect(fs.statSync(file).size).to.be.greaterThan(offset + 20); // nothing was truncated
    });

    it('throws when a length field in the middle is damaged', () => {
      const dir = tmpDir();
      const { file, offset } = fiveRecords(dir);
      patch(file, offset, [0xff, 0xff]);
      expect(() => Journal.open({ dir })).to.throw(/corrupt at offset/);
    });

    it('rejects a damaged header or snapshot instead of misreading it', () => {
      const dir = tmpDir();
      const { file } = fiveRecords(dir);
      patch(file, 8, [7]);
      expect(() => Journal.open({ dir })).to.throw(/header checksum/);

      const dir2 = tmpDir();
      const { journal } = Journal.open({ dir: dir2 });
      journal.compact(b('state'));
      journal.close();
      const snap = path.join(
        dir2,
        fs.readdirSync(dir2).find((n) => n.endsWith('.snap'))!,
      );
      patch(snap, fs.statSync(snap).size - 1, [0]);
      expect(() => Journal.open({ dir: dir2 })).to.throw(
        Error,
        `Journal snapshot ${snap} is corrupt`,
      );
    });
  });

  describe('compaction', () => {
    it('recovers the snapshot plus only the records appended after it', () => {
      const dir = tmpDir();
      const { journal } = Journal.open({ dir });
      journal.appendMany([b('a'), b('b')]);
      journal.compact(b('S1'));
      expect(journal.logBytes).to.equal(FILE_HEADER_SIZE);
      journal.append(b('c'));
      journal.compact(b('S2'));
      journal.append(b('d'));
      journal.append(b('e'));
      journal.close();
      expect(fs.readdirSync(dir).sort()).to.deep.equal([
        'log-0000000002.log',
        'snapshot-0000000002.snap',
      ]);
      expect(recoverStrings({ dir })).to.deep.equal({ snapshot: 'S2', records: ['d', 'e'] });
      const { journal: j2 } = Journal.open({ dir });
      j2.append(b('f'));
      j2.close();
      expect(recoverStrings({ dir })).to.deep.equal({ snapshot: 'S2', records: ['d', 'e', 'f'] });
    });
  });

  describe('directory lock', () => {
    it('refuses a second open in the same process until the first closes', () => {
      const dir = tmpDir();
      const { journal } = Journal.open({ dir });
      expect(() => Journal.open({ dir })).to.throw(/already open in this process/);
      expect(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).to.equal(String(process.pid));
      journal.close();
      recoverStrings({ dir });
    });

    it('refuses a lock held by another live process', () => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'LOCK'), `${process.ppid}\n`);
      expect(() => Journal.open({ dir })).to.throw(
        Error,
        `is locked by running process ${process.ppid}`,
      );
    });

    it('takes over a stale lock (dead pid, own pid from an earlier life, old empty file)', () => {
      const dir = tmpDir();
      const lock = path.join(dir, 'LOCK');
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
      for (const content of [`${deadPid}\n`, `${process.pid}\n`]) {
        fs.writeFileSync(lock, content);
        recoverStrings({ dir });
        expect(fs.existsSync(lock)).to.equal(false);
      }
      fs.writeFileSync(lock, '');
      expect(() => Journal.open({ dir })).to.throw(/being locked by another process/);
      fs.utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      recoverStrings({ dir });
    });
  });

  describe('fsync policy and lifecycle', () => {
    type Fs = Record<string, (...args: unknown[]) => unknown>;
    function countCalls(name: string): { count: () => number; restore: () => void } {
      const target = fs as unknown as Fs;
      const original = target[name];
      let n = 0;
      target[name] = (...args: unknown[]) => {
        n++;
        return original.apply(fs, args);
      };
      return { count: () => n, restore: () => (target[name] = original) };
    }

    it('fsyncs inside every append when fsyncIntervalMs is 0', () => {
      const { journal } = Journal.open({ dir: tmpDir(), fsyncIntervalMs: 0 });
      const spy = countCalls('fdatasyncSync');
      try {
        journal.append(b('x'));
        journal.appendMany([b('y'), b('z')]);
        expect(spy.count()).to.equal(2);
      } finally {
        spy.restore();
        journal.close();
      }
    });

    it('fsyncs in the background on the interval, only when dirty', async () => {
      const spy = countCalls('fdatasync');
      const { journal } = Journal.open({ dir: tmpDir(), fsyncIntervalMs: 10 });
      try {
        await new Promise((r) => setTimeout(r, 40));
        expect(spy.count()).to.equal(0);
        journal.append(b('x'));
        await new Promise((r) => setTimeout(r, 60));
        expect(spy.count()).to.equal(1);
      } finally {
        spy.restore();
        journal.close();
      }
    });

    it('rejects bad input and use after close', () => {
      expect(() => Journal.open({ dir: tmpDir(), fsyncIntervalMs: -1 })).to.throw(RangeError);
      const { journal } = Journal.open({ dir: tmpDir() });
      expect(() => journal.append(Buffer.alloc(0))).to.throw(RangeError, /empty/);
      journal.flush();
      journal.close();
      expect(() => journal.append(b('late'))).to.throw(/closed/);
      expect(() => journal.compact(b('late'))).to.throw(/closed/);
    });
  });
});
