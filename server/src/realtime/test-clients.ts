/**
 * Test support for live updates: typed socket.io clients against a test app,
 * disconnected together after each test.
 */
import { io as connect, type Socket } from 'socket.io-client';
import type { CommentDto, PollDto } from '../../../shared/dto.js';
import type {
  AckResponse,
  ClientToServerEvents,
  DiscussionCatchUp,
  DiscussionPresence,
  GroupWatch,
  LiveTimelineEvent,
  ServerToClientEvents,
} from '../../../shared/events.js';
import { applyPresenceDiff } from '../../../shared/presence.js';
import type { UserDocument } from '../models/user.js';
import type { TestApp } from '../test/harness.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const pictures = new WeakMap<Client, Map<string, DiscussionPresence>>();

/**
 * Who a client currently sees viewing a discussion: its last whole picture
 * with every diff since applied, as the web client keeps it.
 */
export function presenceOf(socket: Client, discussionId: string): DiscussionPresence | undefined {
  return pictures.get(socket)?.get(discussionId);
}

/** Keeps the client's presence picture (listeners added first, so later ones see it updated). */
function trackPresence(socket: Client): void {
  const seen = new Map<string, DiscussionPresence>();
  pictures.set(socket, seen);
  socket.on('presence:changed', (p) => seen.set(p.discussionId, p));
  socket.on('presence:diff', (d) =>
    seen.set(d.discussionId, applyPresenceDiff(seen.get(d.discussionId), d)),
  );
}

export class TestClients {
  private readonly open: Client[] = [];

  constructor(private readonly app: TestApp) {}

  /** A connected socket for a user (Bearer token in the handshake) or a visitor; rejects if refused. */
  async connect(
    user: UserDocument | null,
    options: { headers?: Record<string, string> } = {},
  ): Promise<Client> {
    const socket: Client = connect(this.app.url, {
      transports: ['websocket'],
      auth: user ? { token: this.app.tokenFor(user) } : {},
      extraHeaders: options.headers,
      reconnection: false,
    });
    this.open.push(socket);
    trackPresence(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  /** A connected socket for `user`, already watching a discussion it may read (throws otherwise). */
  async watching(user: UserDocument, discussionId: string): Promise<Client> {
    const socket = await this.connect(user);
    const reply = await watch(socket, discussionId);
    if (!('data' in reply)) throw new Error(`watch refused: ${reply.error.id}`);
    return socket;
  }

  closeAll(): void {
    for (const socket of this.open.splice(0)) socket.disconnect();
  }
}

export function watch(
  socket: Client,
  discussionId: string,
  afterSequence?: number,
): Promise<AckResponse<DiscussionCatchUp>> {
  return new Promise((resolve) =>
    socket.emit('discussion:watch', { discussionId, afterSequence }, resolve),
  );
}

/** The next payload of one event, or a rejection after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  ms = 3000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}

/** The comment a delivery brings, if any: a `comment:upserted`, or a new one on its `timeline:event`. */
export function commentIn(event: string, payload: unknown): CommentDto | null {
  if (event === 'comment:upserted') return payload as CommentDto;
  if (event === 'timeline:event') return (payload as LiveTimelineEvent).comment ?? null;
  return null;
}

/** The poll a delivery brings, if any: a `poll:upserted`, or a vote's tally on its `timeline:event`. */
export function pollIn(event: string, payload: unknown): PollDto | null {
  if (event === 'poll:upserted') return payload as PollDto;
  if (event === 'timeline:event') return (payload as LiveTimelineEvent).poll ?? null;
  return null;
}

/** The next record `pick` finds in what a socket receives (matching `test`); a rejection after `ms`. */
function nextIn<T>(
  socket: Client,
  pick: (event: string, payload: unknown) => T | null,
  test: (record: T) => boolean,
  what: string,
  ms: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (event: string, payload: unknown) => {
      const found = pick(event, payload);
      if (!found || !test(found)) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(found);
    };
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    socket.onAny(listener);
  });
}

/** The next comment (matching `test`) a socket receives, whichever event brings it; a rejection after `ms`. */
export const nextComment = (
  socket: Client,
  test: (comment: CommentDto) => boolean = () => true,
  ms = 3000,
) => nextIn(socket, commentIn, test, 'comment', ms);

/** The next poll (matching `test`) a socket receives, alone or on a vote's entry; a rejection after `ms`. */
export const nextPoll = (socket: Client, test: (poll: PollDto) => boolean, ms = 3000) =>
  nextIn(socket, pollIn, test, 'poll', ms);

export function watchGroup(socket: Client, groupId: string): Promise<AckResponse<GroupWatch>> {
  return new Promise((resolve) => socket.emit('group:watch', { groupId }, resolve));
}

/** Everything a socket receives from now on, in order, as `[event, payload]`. */
export function record(socket: Client): Array<[string, unknown]> {
  const seen: Array<[string, unknown]> = [];
  socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
  return seen;
}

/** Resolves with the first recorded delivery matching `test` (polling), or rejects after `ms`. */
export async function arrival(
  seen: Array<[string, unknown]>,
  test: (event: string, payload: Record<string, unknown>) => boolean,
  ms = 3000,
): Promise<[string, Record<string, unknown>]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = seen.find(([event, payload]) => test(event, payload as Record<string, unknown>));
    if (found) return found as [string, Record<string, unknown>];
    if (Date.now() > deadline) throw new Error(`no matching delivery within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
