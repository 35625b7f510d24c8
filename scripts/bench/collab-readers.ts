/**
 * The collaboration benchmark's readers that are not probes, in a process of
 * their own: each keeps its document in step (decoding and applying every
 * keystroke, as a browser would), but a few hundred of them in the process
 * that also types and times the probes stalled its event loop, so keystrokes
 * were timed late by the harness rather than by the server.
 *
 *   (forked by collab.ts) IPC: { open: PeerSpec, count } -> 'synced'; 'close' -> 'closed'
 */
import { openPeer, type Peer, type PeerSpec } from './collab-peers.js';

let peers: Peer[] = [];

process.on('message', (message: { open: PeerSpec; count: number } | 'close') => {
  void (async () => {
    if (message === 'close') {
      for (const peer of peers) peer.close();
      peers = [];
      process.send?.('closed');
      return;
    }
    peers = Array.from({ length: message.count }, () => openPeer(message.open));
    await Promise.all(peers.map((peer) => peer.synced));
    process.send?.('synced');
  })();
});
process.send?.('ready');
