/**
 * The one door through which client events enter the server. Every event of
 * `ClientToServerEvents` has a handler here (the type requires one per event,
 * so a new event does not compile until it is handled), and each incoming
 * packet goes through the same steps, whatever its name:
 *
 * 1. the socket's allowance (socket-limits.ts): past it, `rate_limited` with
 *    `retryAfterMs`, and a socket that keeps on is disconnected with a reason;
 * 2. an unknown event name is refused (`invalid_request`);
 * 3. the payload is validated with the handler's zod schema
 *    (`validation_error` naming the field), so handlers only see valid input;
 * 4. a watching event is refused past the socket's watch cap (`watch_limit`);
 * 5. the handler runs and its acknowledgement answers `{ data }` or a
 *    client-safe `{ error }`.
 *
 * It is a Socket.IO socket middleware that never passes packets on: a
 * `socket.on(...)` for a client event elsewhere would never fire, so nothing
 * can skip these steps.
 */
import { z } from 'zod';
import type { Ack, AckResponse, ClientToServerEvents } from '../../../shared/events.js';
import { HttpError, isHttpError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import {
  DEFAULT_SOCKET_LIMITS,
  SocketGuard,
  type ClientEvent,
  type SocketLimits,
} from './socket-limits.js';

type RequestOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type ReplyOf<E extends ClientEvent> =
  Parameters<ClientToServerEvents[E]>[1] extends Ack<infer T> ? T : never;

/** What a watching event watches, so the socket's cap applies before the handler runs. */
export interface Watched {
  kind: 'discussion' | 'group';
  id: string;
}

/** How one client event is handled. */
export interface ClientEventHandler<E extends ClientEvent> {
  /** Validates the payload; the handler only ever sees what it accepts. */
  schema: z.ZodType<RequestOf<E>>;
  handle: (socket: QuorumSocket, request: RequestOf<E>) => Promise<ReplyOf<E>>;
  /** For events that start watching something. */
  watches?: (request: RequestOf<E>) => Watched;
}

/** A handler for every client event of the contract. */
export type ClientEventHandlers = { [E in ClientEvent]: ClientEventHandler<E> };

/** A 24-hex id in a socket event (anything else is a validation error, never a query). */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'Must be an id');

/** Validates a socket event's payload like REST input: a ValidationError naming the field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw ValidationError(issue.path.join('.') || 'request', issue.message);
}

/** The socket already watches as many discussions (or groups) as one connection may. */
export function WatchLimitError(kind: Watched['kind'], max: number): HttpError {
  return new HttpError(
    'watch_limit',
    409,
    `This connection already watches ${max} ${kind}s; stop watching one first`,
  );
}

type Reply = (response: AckResponse<unknown>) => void;

/** Runs a handler and answers with `{ data }` or a client-safe `{ error }` (internal text never leaves). */
async function answer(reply: Reply, run: () => Promise<unknown>): Promise<void> {
  try {
    reply({ data: await run() });
  } catch (error) {
    const known = isHttpError(error)
      ? error
      : new HttpError('internal_error', 500, 'Something went wrong');
    reply({
      error: {
        id: known.id,
        message: known.message,
        ...(known.field ? { field: known.field } : {}),
        ...(known.until ? { until: known.until.toISOString() } : {}),
      },
    });
  }
}

const WATCH_ROOM = /^(discussion|group):([0-9a-f]{24}):/;

/** Refuses a new watch past the cap; watching again what is already watched is always fine. */
function checkWatchCap(socket: QuorumSocket, guard: SocketGuard, watched: Watched): void {
  const key = `${watched.kind}:${watched.id}`;
  const current = new Set<string>();
  for (const room of socket.rooms) {
    const match = WATCH_ROOM.exec(room);
    if (match?.[1] === watched.kind) current.add(`${match[1]}:${match[2]}`);
  }
  for (const pending of guard.pendingWatches)
    if (pending.startsWith(`${watched.kind}:`)) current.add(pending);
  if (current.has(key)) return;
  const max =
    watched.kind === 'discussion'
      ? guard.limits.maxWatchedDiscussions
      : guard.limits.maxWatchedGroups;
  if (current.size >= max) throw WatchLimitError(watched.kind, max);
}

/** Adds the handlers of a capability that starts after realtime (collaboration). */
export type ExtendClientEvents = <E extends ClientEvent>(
  handlers: Pick<ClientEventHandlers, E>,
) => void;

/**
 * Handles every client event of every socket through `handlers`, within
 * `limits` (see the module comment). Call once, before any socket connects.
 * Capabilities started later add theirs with the returned function; until
 * then their events are refused as unknown.
 */
export function registerClientEvents(
  io: QuorumServer,
  handlers: Partial<ClientEventHandlers>,
  options: { logger: Logger; limits?: Readonly<SocketLimits> },
): ExtendClientEvents {
  const limits = options.limits ?? DEFAULT_SOCKET_LIMITS;
  const table: Record<string, ClientEventHandler<ClientEvent> | undefined> = {
    ...(handlers as Record<string, ClientEventHandler<ClientEvent>>),
  };
  io.on('connection', (socket) => {
    const guard = new SocketGuard(limits);
    socket.use((packet, _next) => {
      const [event, ...args] = packet as [unknown, ...unknown[]];
      const last = args.at(-1);
      const reply: Reply = typeof last === 'function' ? (last as Reply) : () => undefined;
      const name = typeof event === 'string' ? event : '';
      const admission = guard.admit(name);
      if (!admission.admitted) {
        if (admission.flooding) return flooded(socket, limits, options.logger);
        return reply({
          error: {
            id: 'rate_limited',
            message: 'Too many events on this connection, slow down',
            retryAfterMs: admission.retryAfterMs,
          },
        });
      }
      const handler = Object.hasOwn(table, name) ? table[name] : undefined;
      const request = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
      void answer(reply, async () => {
        if (!handler)
          throw new HttpError('invalid_request', 400, `Unknown event ${name.slice(0, 40)}`);
        const valid = parse(handler.schema, request);
        const watched = handler.watches?.(valid);
        if (!watched) return handler.handle(socket, valid);
        checkWatchCap(socket, guard, watched);
        const key = `${watched.kind}:${watched.id}`;
        guard.pendingWatches.add(key);
        try {
          return await handler.handle(socket, valid);
        } finally {
          guard.pendingWatches.delete(key);
        }
      }).finally(() => {
        guard.done(admission.counted);
        // A handler that joined rooms after its socket went away would leave it in them for good.
        if (socket.disconnected) for (const room of socket.rooms) void socket.leave(room);
      });
    });
  });
  return (more) => Object.assign(table, more);
}

/** Tells a socket that kept flooding why, then disconnects it (Socket.IO: `io server disconnect`). */
function flooded(socket: QuorumSocket, limits: Readonly<SocketLimits>, logger: Logger): void {
  if (socket.disconnected) return;
  logger.warn(`socket ${socket.id} disconnected: it kept sending events past its rate limit`);
  socket.emit('connection:closing', {
    reason: 'rate_limited',
    retryAfterMs: Math.ceil((limits.burst / limits.perSecond) * 1000),
  });
  socket.disconnect(true);
}
