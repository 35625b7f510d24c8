/**
 * Watching a discussion from where this client stands: the server answers with
 * every event and comment after the last sequence held, presented for this
 * client's view. Too much missed, or history gone: reload from the API.
 */
import type { AckResponse, DiscussionCatchUp } from '../../../shared/events.js';
import type { ClientSocket } from './socket.js';
import { loadDiscussion, reloadPolls } from '../data/discussions.js';
import { useStore } from '../store/index.js';

export async function catchUp(
  socket: ClientSocket,
  discussionId: string,
  options: { reconnect: boolean },
  attempt = 1,
): Promise<void> {
  const afterSequence = useStore.getState().lastSequence[discussionId] ?? 0;
  const answer = await new Promise<AckResponse<DiscussionCatchUp> | null>((resolve) => {
    socket
      .timeout(10_000)
      .emit('discussion:watch', { discussionId, afterSequence }, (error, reply) =>
        resolve(error ? null : reply),
      );
  });
  if (!answer) return;
  if ('error' in answer) {
    const { id, retryAfterMs } = answer.error;
    if (id === 'not_found') useStore.getState().markRevoked(discussionId);
    // Too many events on this connection for now: try again when the server says, a few times.
    if (id === 'rate_limited' && attempt < 3) {
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs ?? 1000));
      if (socket.connected) await catchUp(socket, discussionId, options, attempt + 1);
    }
    return;
  }
  const { data } = answer;
  const store = useStore.getState();
  if (data.truncated) {
    await loadDiscussion(discussionId).catch(() => undefined);
    return;
  }
  store.upsertComments(data.comments);
  store.addEvents(discussionId, data.events, data.lastSequence);
  // Tallies move without timeline entries of their own: refresh polls after a gap.
  if (options.reconnect) await reloadPolls(discussionId).catch(() => undefined);
}

/** The server's history could not cover a gap: reload every open discussion. */
export async function resyncAll(discussionIds: string[]): Promise<void> {
  await Promise.all(discussionIds.map((id) => loadDiscussion(id).catch(() => undefined)));
}
