/**
 * The meeting bench's client side apart from the meeting: connecting many
 * sockets, waiting, summarising latencies, and the bare Socket.IO baseline
 * (a child process broadcasting one payload) that the meeting is compared with.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import { freePort } from '../../server/src/realtime/test-process.js';
import { cpuSecondsOf } from './engine-process.js';
import { percentile } from './stats.js';
import { REPO_ROOT } from './target.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** p50, p99 and max of latencies (ms), rounded. */
export const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: Math.round(percentile(sorted, 50)),
    p99: Math.round(percentile(sorted, 99)),
    max: Math.round(sorted.at(-1) ?? NaN),
  };
};

/** Connects a socket per auth, 25 at a time, each on a connection of its own. */
export async function connectAll(
  url: string,
  auths: Array<Record<string, string>>,
): Promise<Client[]> {
  const sockets: Client[] = [];
  for (let i = 0; i < auths.length; i += 25) {
    const batch = auths.slice(i, i + 25).map(async (auth) => {
      const socket: Client = connect(url, {
        transports: ['websocket'],
        auth,
        reconnection: false,
        forceNew: true,
      });
      await once(socket as never, 'connect');
      return socket;
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Waits until `done()` or throws after `ms`. */
export async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * The bare broadcast, `count` sockets, `payload` each time: either one
 * broadcast after another (each sent once the previous reached everyone, 50 ms
 * apart), or at the given moments (ms from the start: the meeting's own pace,
 * so bursts of raises meet bursts of broadcasts).
 */
export async function baseline(count: number, payload: unknown, schedule: number | number[]) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/bench/bare-broadcast.ts'), String(port)],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await once(child.stdout, 'data');
  const url = `http://127.0.0.1:${port}`;
  const sockets = await connectAll(
    url,
    Array.from({ length: count + 1 }, () => ({})),
  );
  const [trigger, ...receivers] = sockets as unknown as Socket[];
  const latencies: number[] = [];
  let received = 0;
  for (const socket of receivers)
    socket.on(
      'payload' as never,
      ((p: { sentAt: number }) => {
        latencies.push(Date.now() - p.sentAt);
        received++;
      }) as never,
    );
  const cpu0 = cpuSecondsOf(child.pid!);
  const t0 = Date.now();
  const send = () => trigger.emit('broadcast', { payload, sentAt: Date.now() }, () => undefined);
  if (typeof schedule === 'number') {
    for (let i = 0; i < schedule; i++) {
      const before = received;
      send();
      await until(() => received - before >= receivers.length, 30_000, 'baseline broadcast');
      await sleep(50);
    }
  } else {
    for (const at of schedule) {
      await sleep(t0 + at - Date.now());
      send();
    }
    const all = schedule.length * receivers.length;
    await until(() => received >= all, 60_000, 'baseline broadcasts');
  }
  const wall = (Date.now() - t0) / 1000;
  const cpu = cpuSecondsOf(child.pid!) - cpu0;
  for (const socket of sockets) socket.disconnect();
  child.kill();
  return { ...summary(latencies), cpuSeconds: cpu, cpuPercent: Math.round((100 * cpu) / wall) };
}

/** A vote through REST, as the web client casts it; resolves once it is stored. */
export async function restVote(url: string, token: string, pollId: string, optionId: string) {
  const res = await fetch(`${url}/api/polls/${pollId}/vote`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ choices: [{ optionId, value: 1 }] }),
  });
  if (res.status >= 300) throw new Error(`vote refused: ${res.status} ${await res.text()}`);
}
