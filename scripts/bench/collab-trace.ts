/**
 * Where a slow keystroke of the collaboration benchmark spent its time
 * (`--trace`): a timeline per keystroke, from the editor's insert to the
 * update leaving its socket, reaching the server's hub, being stored and
 * broadcast, acknowledged, and received by the probes; next to what either
 * process was doing meanwhile (event-loop stalls, GC pauses, compactions).
 * Times are epoch milliseconds (`timeOrigin + now`), comparable across the
 * processes of one machine.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import * as Y from 'yjs';

export const epochMs = () => performance.timeOrigin + performance.now();

/** A span of time something took: a stall, a pause, a compaction. */
export interface Span {
  at: number;
  ms: number;
  what: string;
  /** CPU time this process used during the span (a loop stall), in ms: near `ms` when it was busy, near 0 when it waited for a core. */
  cpuMs?: number;
}

/**
 * Records this process's event-loop stalls (a 5 ms timer that fired late by
 * more than `minMs`) and GC pauses, as spans.
 */
export function recordStalls(minMs = 20): { spans: Span[]; stop(): void } {
  const spans: Span[] = [];
  let expected = epochMs() + 5;
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = epochMs();
    const late = now - expected;
    const used = process.cpuUsage(cpu);
    if (late > minMs)
      spans.push({ at: expected, ms: late, what: 'loop', cpuMs: (used.user + used.system) / 1000 });
    expected = now + 5;
    cpu = process.cpuUsage();
  }, 5);
  timer.unref();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.duration > 2)
        spans.push({
          at: performance.timeOrigin + entry.startTime,
          ms: entry.duration,
          what: `gc${(entry as { detail?: { kind?: number } }).detail?.kind ?? ''}`,
        });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    spans,
    stop() {
      clearInterval(timer);
      observer.disconnect();
    },
  };
}

/** The keystrokes (`client:clock`) an update carries. */
export function keysOf(update: Uint8Array): string[] {
  const keys: string[] = [];
  for (const struct of Y.decodeUpdate(update).structs)
    for (let i = 0; i < struct.length; i += 1)
      keys.push(`${struct.id.client}:${struct.id.clock + i}`);
  return keys;
}

/** The server's view of a keystroke: its update reached the hub (`in`) and was stored and broadcast (`stored`). */
export interface ServerMarks {
  in?: number;
  stored?: number;
}

/** The client's view of one keystroke. */
export interface KeystrokeTrace {
  key: string;
  editor: number;
  typed: number;
  emitted?: number;
  acked?: number;
  /** Receipt at each probe that received it. */
  received: number[];
}

/** Collects the client side of a traced run. */
export class ClientTrace {
  readonly keystrokes = new Map<string, KeystrokeTrace>();
  private readonly stalls = recordStalls();

  typed(key: string, editor: number): void {
    this.keystrokes.set(key, { key, editor, typed: epochMs(), received: [] });
  }

  /** Wraps a Quorum editor's socket: its `collab:sync` emits and their acknowledgements are timed. */
  watchSocket(target: { emit: (...args: never[]) => unknown }): void {
    const socket = target as unknown as { emit: (...args: unknown[]) => unknown };
    const emit = socket.emit.bind(socket);
    socket.emit = (event: unknown, ...args: unknown[]) => {
      if (event !== 'collab:sync') return emit(event, ...args);
      const now = epochMs();
      const payload = args[0] as { sync: Uint8Array };
      const ack = args[1] as (reply: unknown) => void;
      const keys = keysOf(payloadOf(payload.sync));
      for (const key of keys) {
        const trace = this.keystrokes.get(key);
        if (trace) trace.emitted ??= now;
      }
      return emit(event, payload, (reply: unknown) => {
        const at = epochMs();
        for (const key of keys) {
          const trace = this.keystrokes.get(key);
          if (trace) trace.acked ??= at;
        }
        ack(reply);
      });
    };
  }

  received(update: Uint8Array): void {
    const now = epochMs();
    for (const key of keysOf(update)) this.keystrokes.get(key)?.received.push(now);
  }

  /** Prints the slowest keystrokes' timelines beside what each process was doing then. */
  report(server: { marks: Record<string, ServerMarks>; spans: Span[] }, slowest = 12): string {
    this.stalls.stop();
    const rows = [...this.keystrokes.values()].filter((k) => k.received.length > 0);
    const worst = (k: KeystrokeTrace) => Math.max(...k.received) - k.typed;
    rows.sort((a, b) => worst(b) - worst(a));
    const lines: string[] = [];
    const rel = (t: number | undefined, from: number) =>
      t === undefined ? '   -   ' : `${(t - from).toFixed(0).padStart(6)}`;
    lines.push(
      'keystroke            editor  typed->emit  ->hub  ->stored  ->ack  ->first  ->last (ms from typed)',
    );
    for (const k of rows.slice(0, slowest)) {
      const marks = server.marks[k.key] ?? {};
      lines.push(
        `${k.key.padEnd(20)} ${String(k.editor).padStart(6)} ${rel(k.emitted, k.typed)} ${rel(marks.in, k.typed)} ${rel(marks.stored, k.typed)} ${rel(k.acked, k.typed)} ${rel(Math.min(...k.received), k.typed)} ${rel(Math.max(...k.received), k.typed)}`,
      );
      const to = Math.max(...k.received);
      const awareness = server.spans.filter(
        (s) => s.what === 'awareness' && s.at >= k.typed && s.at <= to,
      ).length;
      const during = (spans: Span[], who: string) =>
        spans
          .filter((s) => s.what !== 'awareness' && s.at < to && s.at + s.ms > k.typed)
          .map(
            (s) =>
              `${who} ${s.what} +${(s.at - k.typed).toFixed(0)} ${s.ms.toFixed(0)}ms${s.cpuMs === undefined ? '' : ` (cpu ${s.cpuMs.toFixed(0)})`}`,
          );
      const overlapping = [
        ...during(server.spans, 'server'),
        ...during(this.stalls.spans, 'client'),
      ];
      if (awareness > 0) overlapping.unshift(`server took ${awareness} awareness updates`);
      if (overlapping.length > 0) lines.push(`    ${overlapping.slice(0, 10).join('; ')}`);
    }
    const total = (spans: Span[], what: string) =>
      spans.filter((s) => s.what.startsWith(what)).reduce((sum, s) => sum + s.ms, 0);
    const busy = (spans: Span[]) => spans.reduce((sum, s) => sum + (s.cpuMs ?? 0), 0).toFixed(0);
    lines.push(
      `client: loop stalls ${this.stalls.spans.filter((s) => s.what === 'loop').length} (${total(this.stalls.spans, 'loop').toFixed(0)} ms, cpu ${busy(this.stalls.spans)}), gc ${total(this.stalls.spans, 'gc').toFixed(0)} ms; ` +
        `server: loop stalls ${server.spans.filter((s) => s.what === 'loop').length} (${total(server.spans, 'loop').toFixed(0)} ms, cpu ${busy(server.spans)}), gc ${total(server.spans, 'gc').toFixed(0)} ms, compactions ${server.spans.filter((s) => s.what === 'compact').length}, awareness updates ${server.spans.filter((s) => s.what === 'awareness').length}`,
    );
    return lines.join('\n');
  }
}

/** The update inside a `collab:sync` message (a y-protocols sync message: type, then the bytes). */
function payloadOf(message: Uint8Array): Uint8Array {
  let offset = 0;
  const varUint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = message[offset++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  varUint();
  const length = varUint();
  return message.subarray(offset, offset + length);
}
