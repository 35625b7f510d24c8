/**
 * Test support for meetings: a meeting with an agenda in a group, socket
 * helpers (watch, act, wait for a state matching a test) and clock samples.
 */
import { randomBytes } from 'node:crypto';
import type { AckResponse } from '../../../shared/events.js';
import { applyMeetingPatch } from '../../../shared/meeting-patch.js';
import { clockOffset, type MeetingAction, type MeetingDto } from '../../../shared/meetings.js';
import { loadDiscussion } from '../commands/discussions/load.js';
import type { DiscussionDocument } from '../models/discussion.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { MeetingModel } from '../models/meeting.js';
import type { UserDocument } from '../models/user.js';
import type { Client, TestClients } from '../realtime/test-clients.js';
import type { TestApp } from '../test/harness.js';

export const clientId = () => randomBytes(8).toString('hex');

/** A quick vote on a proposal, results hidden until revealed, open until closed. */
export const hiddenQuickVote = (title = 'Adopt?'): MeetingAction => ({
  type: 'vote.open',
  clientId: clientId(),
  kind: 'proposal',
  title,
  durationSeconds: null,
  hidden: true,
});

/** Where a LiveMeetingCache under test reads groups, meetings and discussions: as stored now. */
export const storedRecords = {
  group: (id: unknown) => GroupModel.findById(id).exec(),
  meeting: (id: unknown) => MeetingModel.findById(id).exec(),
  discussion: (id: string) => loadDiscussion(id),
};

/** Schedules a meeting (as `as`) linked to `discussion`, with one agenda item per title. */
export async function buildMeeting(
  app: TestApp,
  props: {
    group: GroupDocument;
    as: UserDocument;
    discussion?: DiscussionDocument;
    items?: string[];
    timeboxSeconds?: number;
  },
): Promise<MeetingDto> {
  const created = await app.post<{ meeting: MeetingDto }>(
    `/api/groups/${String(props.group._id)}/meetings`,
    {
      title: 'Board meeting',
      scheduledAt: new Date().toISOString(),
      expectedMinutes: 45,
      discussionIds: props.discussion ? [String(props.discussion._id)] : [],
    },
    { as: props.as },
  );
  if (created.status !== 201)
    throw new Error(`meeting not created: ${JSON.stringify(created.body)}`);
  let meeting = created.body.meeting;
  for (const title of props.items ?? [])
    meeting = await actOverRest(app, meeting.id, props.as, {
      type: 'agenda.add',
      clientId: clientId(),
      title,
      timeboxSeconds: props.timeboxSeconds ?? 300,
    });
  return meeting;
}

/** One action through `POST /api/meetings/:id/actions` (as `as`); the meeting after it, or throws with the refusal. */
export async function actOverRest(
  app: TestApp,
  meetingId: string,
  as: UserDocument,
  action: MeetingAction,
): Promise<MeetingDto> {
  const res = await app.post<{ meeting: MeetingDto }>(
    `/api/meetings/${meetingId}/actions`,
    { action },
    { as },
  );
  if (res.status !== 200) throw new Error(`${action.type} refused: ${JSON.stringify(res.body)}`);
  return res.body.meeting;
}

/** The states `states(socket)` collects, per socket: watch replies join them. */
const collected = new WeakMap<Client, MeetingDto[]>();

/** Watches a meeting; the whole state in the reply joins the socket's `states` (as in the web client). */
export function watchMeeting(socket: Client, meetingId: string): Promise<AckResponse<MeetingDto>> {
  return new Promise((resolve) =>
    socket.emit('meeting:watch', { meetingId }, (reply) => {
      if ('data' in reply) collected.get(socket)?.push(reply.data);
      resolve(reply);
    }),
  );
}

/** Sends one action over the socket; rejects with the error id if refused. */
export function act(socket: Client, meetingId: string, action: MeetingAction): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.emit('meeting:act', { meetingId, action }, (reply) =>
      'error' in reply
        ? reject(new Error(`${reply.error.id}: ${reply.error.field ?? ''} ${reply.error.message}`))
        : resolve(),
    ),
  );
}

/**
 * Every meeting state a socket holds from now on, in order: whole states as
 * received, and each patch applied to the state before it (as the web client
 * does). A patch that does not apply (a new view's stream) waits for the
 * whole state that follows it; `gaps` counts them.
 */
export function states(socket: Client): MeetingDto[] & { gaps: number } {
  const seen = [] as unknown as MeetingDto[] & { gaps: number };
  Object.defineProperty(seen, 'gaps', { value: 0, writable: true, enumerable: false });
  collected.set(socket, seen);
  socket.on('meeting:state', (state) => seen.push(state));
  socket.on('meeting:patch', (patch) => {
    const last = seen.findLast((state) => state.id === patch.meetingId);
    const next = last ? applyMeetingPatch(last, patch) : null;
    if (next) seen.push(next);
    else seen.gaps++;
  });
  return seen;
}

/** A socket of `user` watching the meeting, with the states it receives (see `states`). */
export async function joinMeeting(clients: TestClients, user: UserDocument, meetingId: string) {
  const socket = await clients.connect(user);
  const seen = states(socket);
  const reply = await watchMeeting(socket, meetingId);
  if (!('data' in reply)) throw new Error(`watch refused: ${reply.error.id}`);
  return { socket, seen };
}

/** The first state (already received or coming) that passes `test`, or a rejection after `ms`. */
export async function stateWhere(
  seen: MeetingDto[],
  test: (state: MeetingDto) => boolean,
  ms = 5000,
): Promise<MeetingDto> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = seen.findLast(test);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no matching meeting state within ${ms} ms; last: ${JSON.stringify(seen.at(-1))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/**
 * The server's clock offset as a client with a clock `skewMs` off would
 * estimate it, from `n` samples (its own clock is `Date.now() + skewMs`).
 */
export async function sampleOffset(socket: Client, skewMs = 0, n = 5): Promise<number> {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const sent = Date.now() + skewMs;
    const reply = await new Promise<AckResponse<{ clientTime: number; serverTime: number }>>(
      (resolve) => socket.emit('clock:sync', { clientTime: sent }, resolve),
    );
    if ('error' in reply) throw new Error(reply.error.id);
    samples.push({ sent, received: Date.now() + skewMs, serverTime: reply.data.serverTime });
  }
  return clockOffset(samples);
}
