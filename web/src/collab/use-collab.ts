/**
 * A collaborative document for as long as a component shows it: a `Y.Doc`
 * and its provider over the app's one socket (opened once the socket watches
 * the document's discussion, or meeting), the provider's status as React state, and who
 * else is editing (from awareness: names and colours only).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { CollabProvider } from '../../../shared/collab-provider.js';
import { connectRealtime, whenWatching } from '../realtime/socket.js';

export interface CollabPeer {
  clientId: number;
  name: string;
  color: string;
}

/**
 * The provider of a document, opened once the socket watches its discussion
 * (`discussionId`) or whatever else it belongs to (`beforeOpen`, e.g. a meeting).
 */
export function useCollab(
  docKey: string,
  scope: { discussionId: string } | { beforeOpen: () => Promise<void> },
): CollabProvider {
  const [provider] = useState(
    () =>
      new CollabProvider(connectRealtime(), docKey, new Y.Doc(), {
        beforeOpen:
          'beforeOpen' in scope ? scope.beforeOpen : () => whenWatching(scope.discussionId),
      }),
  );
  useEffect(() => () => provider.destroy(), [provider]);
  return provider;
}

/** Re-renders on every status, rights or saving change of the provider. */
export function useCollabStatus(provider: CollabProvider) {
  return useSyncExternalStore(
    (listener) => provider.subscribe(listener),
    () => `${provider.status}|${provider.canEdit}|${provider.saved}`,
  );
}

/** The other people in the document now, one entry per person and tab. */
export function useCollabPeers(provider: CollabProvider): CollabPeer[] {
  const [peers, setPeers] = useState<CollabPeer[]>([]);
  useEffect(() => {
    const read = () => {
      const list: CollabPeer[] = [];
      for (const [clientId, state] of provider.awareness.getStates()) {
        const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
        if (clientId === provider.doc.clientID || typeof user?.name !== 'string') continue;
        list.push({ clientId, name: user.name, color: String(user.color) });
      }
      setPeers(list.sort((a, b) => a.name.localeCompare(b.name)));
    };
    read();
    provider.awareness.on('change', read);
    return () => provider.awareness.off('change', read);
  }, [provider]);
  return peers;
}
