/**
 * Collaborative editing under load, Quorum against Hocuspocus 3.4.4 (the Yjs
 * server behind Tiptap), with the same client harness: editors type into one
 * document at 5 keystrokes per second each while readers watch. Measures
 * keystroke-to-peer latency (p50, p99, over a sample of peers), server CPU per
 * keystroke (and while nobody types), bytes written to the database per
 * keystroke, and memory per open document (the JS heap and the buffers it
 * holds, once each server's deferred work, Hocuspocus's debounced stores and
 * Quorum's compactions, is done; and 3 s after the edits, while it runs). Quorum stores every update before acknowledging it; Hocuspocus
 * stores the whole document after its default debounce (2 s, at most 10 s).
 * The readers are members who may read the document but not edit it (in Quorum they
 * then share no caret; Hocuspocus, by default, has every connection edit and share one);
 * `--readers-edit` gives Quorum's readers the editors' rights instead.
 * Each server runs in a child process (scripts/bench/collab-server.ts) on one
 * engine in a process of its own, whose CPU per keystroke is reported too.
 *
 *   npx tsx scripts/bench/collab.ts [--editors 2,10,50] [--readers 200] [--seconds 10] [--docs 100]
 *     [--servers hocuspocus,quorum] [--cpu-prof <dir>] [--heap-snapshot <dir>]
 *     [--count-commands] [--skip-memory] [--readers-edit] [--trace]
 *
 * Prints a table and writes bench-results/collab-<timestamp>.json (and -latest.json).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { BSON } from 'mongodb';
import mongoose from 'mongoose';
import { io as connect } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CollabProvider } from '../../shared/collab-provider.js';
import { signSession } from '../../server/src/auth/session-token.js';
import { freePort, sharedSecret } from '../../server/src/realtime/test-process.js';
import { addMember, buildDiscussion, buildGroup } from '../../server/src/test/factories.js';
import { openPeer, type Kind, type Peer, type PeerSpec } from './collab-peers.js';
import { ClientTrace, type ServerMarks, type Span } from './collab-trace.js';
import { startEngineProcess } from './engine-process.js';
import { commandsPer, cpuMs, percentile, type Row, type Stats } from './collab-measures.js';
import { REPO_ROOT } from './target.js';

const { values } = parseArgs({
  options: {
    editors: { type: 'string', default: '2,10,50' },
    readers: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    docs: { type: 'string', default: '100' },
    out: { type: 'string', default: 'bench-results' },
    servers: { type: 'string', default: 'hocuspocus,quorum' },
    /** Writes a V8 CPU profile of each server's typing windows (and of the engine) into this directory. */
    'cpu-prof': { type: 'string' },
    /** Writes heap snapshots of each server, idle and with the documents open, into this directory. */
    'heap-snapshot': { type: 'string' },
    /** Measures latency and CPU only (no memory per document, which takes a minute per server). */
    'skip-memory': { type: 'boolean', default: false },
    /** Counts the servers' database commands per keystroke (monitoring costs a little CPU). */
    'count-commands': { type: 'boolean', default: false },
    /**
     * Quorum's readers may edit too (the coordinator, as the editors), so each also shares a
     * caret like Hocuspocus's connections do; by default they are members who may only read.
     */
    'readers-edit': { type: 'boolean', default: false },
    /** Prints the timelines of the slowest keystrokes (collab-trace.ts). */
    trace: { type: 'boolean', default: false },
  },
});
const EDITORS = values.editors.split(',').map(Number);
const READERS = Number(values.readers);
const SECONDS = Number(values.seconds);
const DOCS = Number(values.docs);
const PROBES = 6;
/** Editors type this long before the measured window (the first keystrokes compile each side's code paths). */
const WARMUP_MS = 1000;
const DOCS_PER_CONNECTION = 10;
/** After this, Hocuspocus has stored every document (its debounce waits 10 s at most). */
const SETTLE_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface MemoryRow {
  server: Kind;
  /** 1: the first documents this process opened so many of at once; 2: the next ones. */
  round: number;
  docs: number;
  connections: number;
  /** heapUsed + arrayBuffers per document, once the deferred work is done. */
  bytesPerDoc: number;
  heapUsedPerDoc: number;
  arrayBuffersPerDoc: number;
  /** heapUsed + all of external (the figure before), which the runtime's own memory swings. */
  heapPlusExternalPerDoc: number;
  /** The same 3 s after the edits, while the deferred work (stores, compactions) runs. */
  bytesPerDocAt3s: number;
}

class ServerChild {
  private child!: ChildProcess;
  constructor(
    readonly kind: Kind,
    readonly port: number,
  ) {}
  async start(uri: string, secret: string): Promise<void> {
    this.child = fork(
      path.join(REPO_ROOT, 'scripts/bench/collab-server.ts'),
      [this.kind, String(this.port), uri, secret],
      {
        execArgv: ['--expose-gc', '--import', 'tsx'],
        env: {
          ...process.env,
          BENCH_COUNT_COMMANDS: values['count-commands'] ? '1' : '0',
          BENCH_TRACE: values.trace ? '1' : '0',
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    const [message] = (await once(this.child, 'message')) as [unknown];
    if (message !== 'ready') throw new Error(`${this.kind} did not start`);
  }
  private async ask<T>(command: unknown): Promise<T> {
    this.child.send(command as string);
    const [reply] = (await once(this.child, 'message')) as [T];
    return reply;
  }
  /** CPU so far (memory figures without a collection first). */
  stats(): Promise<Stats> {
    return this.ask<Stats>('stats');
  }
  /** CPU so far and memory after a full collection. */
  memory(): Promise<Stats> {
    return this.ask<Stats>('memory');
  }
  /** The server's keystroke marks and spans since the last call (traced runs). */
  trace(): Promise<{ marks: Record<string, ServerMarks>; spans: Span[] }> {
    return this.ask('trace');
  }
  /** Starts a CPU profile when `--cpu-prof` is given. */
  async profileStart(): Promise<void> {
    if (values['cpu-prof']) await this.ask('profile-start');
  }
  async profileStop(name: string): Promise<void> {
    const dir = values['cpu-prof'];
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    await this.ask({ profileStop: path.resolve(dir, `${this.kind}-${name}.cpuprofile`) });
  }
  /** Writes a heap snapshot (after a full GC) when `--heap-snapshot` is given. */
  async heapSnapshot(name: string): Promise<void> {
    const dir = values['heap-snapshot'];
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    await this.ask({ heapSnapshot: path.resolve(dir, `${this.kind}-${name}.heapsnapshot`) });
  }
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}

/** One connection over which several documents are opened (for measuring memory per document). */
interface DocHost {
  /** Opens a document: Quorum's key (its discussion already watched), Hocuspocus's name. */
  open(name: string): Peer;
  close(): void;
}

async function quorumHost(url: string, token: string, discussionIds: string[]): Promise<DocHost> {
  const socket = connect(url, { transports: ['websocket'], auth: { token } });
  await once(socket as never, 'connect');
  const watch = (discussionId: string) =>
    new Promise<void>((resolve) =>
      socket.emit('discussion:watch', { discussionId }, () => resolve()),
    );
  for (const id of discussionIds) await watch(id);
  return {
    open(key) {
      const doc = new Y.Doc();
      const provider = new CollabProvider(socket, key, doc);
      const synced = new Promise<void>((resolve) => {
        const check = () => provider.status === 'synced' && resolve();
        provider.subscribe(check);
        check();
      });
      return { doc, synced, close: () => provider.destroy() };
    },
    close: () => socket.disconnect(),
  };
}

async function hocuspocusHost(url: string): Promise<DocHost> {
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  await sleep(200);
  return {
    open(name) {
      const doc = new Y.Doc();
      const provider = new HocuspocusProvider({ websocketProvider, name, document: doc });
      const synced = new Promise<void>((resolve) => provider.on('synced', () => resolve()));
      provider.attach();
      return { doc, synced, close: () => provider.destroy() };
    },
    close: () => websocketProvider.destroy(),
  };
}

/** The readers that are not probes, in a process of their own (collab-readers.ts). */
class ReadersChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly count: number,
  ) {}
  static async start(spec: PeerSpec, count: number): Promise<ReadersChild> {
    const child = fork(path.join(REPO_ROOT, 'scripts/bench/collab-readers.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await once(child, 'message');
    child.send({ open: spec, count });
    await once(child, 'message');
    return new ReadersChild(child, count);
  }
  async close(): Promise<void> {
    this.child.send('close');
    await once(this.child, 'message');
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}

/** Sums the size of everything written to the database while it runs. */
async function watchWrites(): Promise<{ bytes: () => number; stop: () => Promise<void> }> {
  let bytes = 0;
  const stream = mongoose.connection.db!.watch([], { fullDocument: 'updateLookup' });
  stream.on('change', (change: Record<string, unknown>) => {
    const written =
      (change.updateDescription as { updatedFields?: object } | undefined)?.updatedFields ??
      (change.fullDocument as object | undefined);
    if (written) bytes += BSON.calculateObjectSize(written);
  });
  await sleep(300);
  return { bytes: () => bytes, stop: () => stream.close() };
}

/**
 * Memory per open document, apart from the connections: a few clients
 * connected first (each Quorum socket already watching its documents'
 * discussions), then DOCS documents opened over them, ten per connection,
 * each with a few KiB of text; closed again at the end.
 */
async function measureMemory(
  kind: Kind,
  url: string,
  server: ServerChild,
  group: Awaited<ReturnType<typeof buildGroup>>,
  token: string,
  round: number,
): Promise<MemoryRow> {
  const hosts: DocHost[] = [];
  const names: Array<{ id: string; key: string; name: string }> = [];
  for (let i = 0; i < DOCS; i += 1) {
    const discussion = await buildDiscussion({ group, private: false, context: '' });
    const id = String(discussion._id);
    names.push({ id, key: `discussion:${id}:context`, name: `mem${i}-${id}` });
  }
  for (let i = 0; i < DOCS; i += DOCS_PER_CONNECTION) {
    const mine = names.slice(i, i + DOCS_PER_CONNECTION);
    hosts.push(
      await (kind === 'quorum'
        ? quorumHost(
            url,
            token,
            mine.map((n) => n.id),
          )
        : hocuspocusHost(url)),
    );
  }
  await sleep(3000);
  await server.heapSnapshot(`idle-${round}`);
  const idle = await server.memory();
  const holders: Peer[] = [];
  names.forEach((n, i) => {
    const host = hosts[Math.floor(i / DOCS_PER_CONNECTION)];
    holders.push(host.open(kind === 'quorum' ? n.key : n.name));
  });
  await Promise.all(holders.map((peer) => peer.synced));
  for (const peer of holders) peer.doc.getText('bench').insert(0, 'lorem ipsum '.repeat(200));
  await sleep(3000);
  // Right after the edits each server still runs its deferred work (Hocuspocus its debounced
  // stores, Quorum its compactions); once both are done, what stays is the open documents.
  const busy = await server.memory();
  await sleep(SETTLE_MS);
  const settled = await server.memory();
  await server.heapSnapshot(`loaded-${round}`);
  const perDoc = (to: Stats, field: Exclude<keyof Stats, 'cpu' | 'commands'>) =>
    Math.round((to[field] - idle[field]) / DOCS);
  const row = {
    server: kind,
    round,
    docs: DOCS,
    connections: hosts.length,
    bytesPerDoc: perDoc(settled, 'heap'),
    heapUsedPerDoc: perDoc(settled, 'heapUsed'),
    arrayBuffersPerDoc: perDoc(settled, 'arrayBuffers'),
    heapPlusExternalPerDoc: perDoc(settled, 'heapUsed') + perDoc(settled, 'external'),
    bytesPerDocAt3s: perDoc(busy, 'heap'),
  };
  for (const peer of holders) peer.close();
  for (const host of hosts) host.close();
  return row;
}

async function main(): Promise<void> {
  // The engine in a process of its own: the clients here must not slow the database
  // down (Quorum writes every update; Hocuspocus after its debounce), and its CPU is reported.
  const engine = await startEngineProcess({ cpuProfDir: values['cpu-prof'] });
  const secret = sharedSecret();
  await mongoose.connect(engine.uri, { dbName: 'quorum' });
  const group = await buildGroup({ privacy: 'open' });
  const token = signSession(String(group.coordinator._id), group.coordinator.tokenVersion, secret);
  // The readers: a member of the group, who may read a discussion's context but not edit it
  // (Quorum's provider then shares no caret), unless --readers-edit.
  const member = await addMember(group);
  const readerToken = values['readers-edit']
    ? token
    : signSession(String(member._id), member.tokenVersion, secret);
  const rows: Row[] = [];
  const memory: MemoryRow[] = [];
  for (const kind of values.servers.split(',') as Kind[]) {
    const server = new ServerChild(kind, await freePort());
    console.error(`starting ${kind}`);
    await server.start(engine.uri, secret);
    console.error(`${kind} started`);
    const url =
      kind === 'quorum' ? `http://127.0.0.1:${server.port}` : `ws://127.0.0.1:${server.port}`;
    for (const editors of EDITORS) {
      const discussion = await buildDiscussion({ group, private: false, context: '' });
      const id = String(discussion._id);
      const spec = (as: string): PeerSpec => ({
        kind,
        url,
        token: as,
        discussionId: id,
        key: `discussion:${id}:context`,
        name: `run${editors}-${id}`,
      });
      // Editors and the probing readers here; the other readers in a process of their own.
      const peers = [
        ...Array.from({ length: editors }, () => openPeer(spec(token))),
        ...Array.from({ length: Math.min(PROBES, READERS) }, () => openPeer(spec(readerToken))),
      ];
      const readers = await ReadersChild.start(spec(readerToken), Math.max(0, READERS - PROBES));
      await Promise.all(peers.map((p) => p.synced));
      console.error(
        `${kind}: ${peers.length} peers synced here, ${readers.count} in their own process`,
      );
      // What the server does while the peers' arrival settles and nobody types (profiled apart).
      await server.profileStart();
      const sent = new Map<string, number>();
      const latencies: number[] = [];
      const probes = [
        ...peers.slice(0, Math.min(2, editors)),
        ...peers.slice(editors, editors + PROBES),
      ];
      const trace = values.trace ? new ClientTrace() : null;
      if (trace)
        for (const editor of peers.slice(0, editors))
          if (editor.socket) trace.watchSocket(editor.socket);
      for (const probe of probes)
        probe.doc.on('update', (update: Uint8Array, origin: unknown) => {
          if (origin === null) return;
          trace?.received(update);
          const now = performance.now();
          for (const struct of Y.decodeUpdate(update).structs) {
            const at = sent.get(`${struct.id.client}:${struct.id.clock}`);
            if (at !== undefined) latencies.push(now - at);
          }
        });
      // Idle: once the peers' arrival has settled (Quorum tells each watcher of the others).
      await sleep(3000);
      const idleFrom = await server.stats();
      await sleep(2000);
      const idleTo = await server.stats();
      await server.profileStop(`${editors}-editors-idle`);
      const writes = await watchWrites();
      let keystrokes = 0;
      let measuring = false;
      const typing: NodeJS.Timeout[] = [];
      const starts = peers.slice(0, editors).map((editor, i) => {
        const text = editor.doc.getText('bench');
        return setTimeout(
          () => {
            const timer = setInterval(() => {
              const clock = Y.getState(editor.doc.store, editor.doc.clientID);
              if (measuring) {
                sent.set(`${editor.doc.clientID}:${clock}`, performance.now());
                trace?.typed(`${editor.doc.clientID}:${clock}`, i);
                keystrokes += 1;
              }
              text.insert(Math.floor(Math.random() * (text.length + 1)), 'x');
            }, 200);
            typing.push(timer);
          },
          (200 * i) / editors,
        );
      });
      await sleep(WARMUP_MS);
      if (trace) await server.trace();
      await server.profileStart();
      const before = await server.stats();
      const engineBefore = engine.cpuSeconds();
      const bytesBefore = writes.bytes();
      measuring = true;
      await sleep(SECONDS * 1000);
      for (const timer of [...starts, ...typing]) clearInterval(timer);
      await sleep(1000);
      const after = await server.stats();
      const engineAfter = engine.cpuSeconds();
      await server.profileStop(`${editors}-editors`);
      // Hocuspocus stores after its debounce: wait for it, so its writes are counted too.
      await sleep(kind === 'hocuspocus' ? 3000 : 2500);
      const bytes = writes.bytes() - bytesBefore;
      await writes.stop();
      latencies.sort((a, b) => a - b);
      rows.push({
        server: kind,
        editors,
        readers: READERS,
        keystrokes,
        p50Ms: Number(percentile(latencies, 50).toFixed(1)),
        p99Ms: Number(percentile(latencies, 99).toFixed(1)),
        cpuUsPerKeystroke: Math.round((cpuMs(before, after) * 1000) / keystrokes),
        engineCpuUsPerKeystroke: Math.round(((engineAfter - engineBefore) * 1e6) / keystrokes),
        idleCpuMsPerSecond: Number((cpuMs(idleFrom, idleTo) / 2).toFixed(1)),
        dbCommandsPerKeystroke: Number(
          Object.values(commandsPer(before, after, keystrokes))
            .reduce((sum, n) => sum + n, 0)
            .toFixed(2),
        ),
        bytesWrittenPerKeystroke: Math.round(bytes / keystrokes),
      });
      console.log(JSON.stringify(rows.at(-1)));
      if (trace) console.log(trace.report(await server.trace()));
      if (values['count-commands'])
        console.error(
          `${kind}: database commands per keystroke`,
          commandsPer(before, after, keystrokes),
        );
      for (const peer of peers) peer.close();
      await readers.close();
      await sleep(1500);
    }
    // Memory per open document, measured twice: the first round also pays what a process
    // pays once (code compiled, database connections opened, buffers pooled), the second
    // only what open documents cost. First let the documents of the runs above be released
    // (Quorum keeps one 10 s after its last socket).
    if (!values['skip-memory']) {
      await sleep(12_000);
      memory.push(await measureMemory(kind, url, server, group, token, 1));
      await sleep(12_000);
      memory.push(await measureMemory(kind, url, server, group, token, 2));
    }
    await server.stop();
  }
  console.table(rows);
  console.table(memory);
  const out = path.resolve(REPO_ROOT, values.out);
  fs.mkdirSync(out, { recursive: true });
  const result = JSON.stringify(
    { at: new Date().toISOString(), seconds: SECONDS, rows, memory },
    null,
    2,
  );
  fs.writeFileSync(path.join(out, `collab-${Date.now()}.json`), result);
  fs.writeFileSync(path.join(out, 'collab-latest.json'), result);
  await mongoose.disconnect();
  await engine.stop();
  process.exit(0);
}

await main();
