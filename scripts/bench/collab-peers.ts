/**
 * The clients of the collaboration benchmark: a peer of either server keeps a
 * `Y.Doc` in step with one document, as an editor's or a reader's browser
 * would (Quorum's own provider over Socket.IO, watching the discussion first;
 * Hocuspocus's provider over its WebSocket).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { io as connect } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CollabProvider } from '../../shared/collab-provider.js';

export type Kind = 'quorum' | 'hocuspocus';

/** A client of either server: a Y.Doc kept in step, and a way to leave. */
export interface Peer {
  doc: Y.Doc;
  synced: Promise<void>;
  close(): void;
  /** A Quorum peer's socket (traced runs time its updates' emits and acknowledgements). */
  socket?: { emit: (...args: never[]) => unknown };
}

/** Which document a peer opens, on which server, as whom (Quorum) or under which name (Hocuspocus). */
export interface PeerSpec {
  kind: Kind;
  url: string;
  token: string;
  discussionId: string;
  /** Quorum's document key. */
  key: string;
  /** Hocuspocus's document name. */
  name: string;
}

export function quorumPeer(url: string, token: string, discussionId: string, key: string): Peer {
  const socket = connect(url, { transports: ['websocket'], auth: { token } });
  const doc = new Y.Doc();
  const provider = new CollabProvider(socket, key, doc, {
    beforeOpen: () =>
      new Promise((resolve) => socket.emit('discussion:watch', { discussionId }, () => resolve())),
  });
  const synced = new Promise<void>((resolve) => {
    const check = () => provider.status === 'synced' && resolve();
    provider.subscribe(check);
  });
  return { doc, synced, close: () => (provider.destroy(), socket.disconnect()), socket };
}

export function hocuspocusPeer(url: string, name: string): Peer {
  const doc = new Y.Doc();
  const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider, name, document: doc });
  const synced = new Promise<void>((resolve) => provider.on('synced', () => resolve()));
  // A websocket passed in is shared, not managed: the provider attaches to it explicitly.
  provider.attach();
  return { doc, synced, close: () => (provider.destroy(), websocketProvider.destroy()) };
}

export const openPeer = (spec: PeerSpec): Peer =>
  spec.kind === 'quorum'
    ? quorumPeer(spec.url, spec.token, spec.discussionId, spec.key)
    : hocuspocusPeer(spec.url, spec.name);
