/**
 * Request/response over Node's IPC channel between the fan-out benchmark and
 * its child processes (servers and client workers). Why: the numbers that
 * matter (CPU, heap, database commands, arrival times) live in the children,
 * and IPC keeps them off the sockets being measured.
 */
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';

interface Request {
  id: number;
  type: string;
  payload: unknown;
}

interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const isResponse = (m: unknown): m is Response =>
  typeof m === 'object' && m !== null && 'id' in m && 'ok' in m;

/** The parent's side: `call(type, payload)` resolves with the child's answer. */
export class ChildChannel {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: unknown) => {
      if (!isResponse(message)) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(message.error ?? 'child failed'));
    });
    child.once('exit', (code, signal) => {
      for (const { reject } of this.pending.values())
        reject(new Error(`child exited (${code ?? signal}) during a call`));
      this.pending.clear();
    });
  }

  call<T>(type: string, payload: unknown = null): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, type, payload } satisfies Request);
    });
  }
}

export type Handlers = Record<string, (payload: never) => unknown>;

/** The child's side: answers each request with its handler's (awaited) result. */
export function serve(handlers: Handlers): void {
  if (!process.send) throw new Error('this script runs as a child of the fan-out benchmark');
  process.on('message', (message: Request) => {
    const handler = handlers[message.type];
    const reply = (response: Omit<Response, 'id'>) =>
      process.send?.({ id: message.id, ...response });
    if (!handler) return void reply({ ok: false, error: `unknown request ${message.type}` });
    Promise.resolve()
      .then(() => handler(message.payload as never))
      .then(
        (result) => reply({ ok: true, result }),
        (error: unknown) => reply({ ok: false, error: String((error as Error)?.stack ?? error) }),
      );
  });
  // The parent going away ends the child too.
  process.on('disconnect', () => process.exit(0));
}

/** CPU seconds, memory and event-loop numbers every server child reports. */
export interface ProcessSample {
  /** user + system CPU in ms since start. */
  cpuMs: number;
  heapUsed: number;
  /**
   * Of `heapUsed`, what V8's code spaces hold (machine code; bytecode too
   * where V8 keeps it in trusted space, as on Node 24): compiled once per
   * process as code first runs, whatever the number of connections.
   */
  compiledUsed: number;
  rss: number;
  /** Wall clock (ms since epoch, sub-ms) when sampled. */
  at: number;
}

const CODE_SPACES = new Set([
  'code_space',
  'code_large_object_space',
  'trusted_space',
  'trusted_large_object_space',
]);

function compiledBytes(): number {
  let bytes = 0;
  for (const space of v8.getHeapSpaceStatistics())
    if (CODE_SPACES.has(space.space_name)) bytes += space.space_used_size;
  return bytes;
}

export function sampleProcess(): ProcessSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapUsed: memory.heapUsed,
    compiledUsed: compiledBytes(),
    rss: memory.rss,
    at: performance.timeOrigin + performance.now(),
  };
}

/** Forces a full GC when the child runs with --expose-gc (heap per connection needs it). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** What a server child answers to `sample`: the process plus its commands, sockets and worst loop delay since the last sample. */
export interface ServerSample extends ProcessSample {
  commands: Record<string, number>;
  sockets: number;
  loopMaxMs: number;
  loopP99Ms: number;
}

/** A sampler for a server child; each sample resets the event-loop delay histogram (stalls per phase). */
export function serverSampler(
  extra: () => { commands: Record<string, number>; sockets: number },
): () => ServerSample {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  return () => {
    const reading = {
      ...sampleProcess(),
      ...extra(),
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
    };
    loop.reset();
    return reading;
  };
}
