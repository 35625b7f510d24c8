/**
 * The client side of a collaborative document over the app's Socket.IO
 * connection (the `collab:*` events of events.ts), used by the web editor and
 * by the server's tests alike: keeps a `Y.Doc` and an `Awareness` in step with
 * the server, sends local changes (counting those not yet acknowledged, which
 * is what "saved" means), and after any reconnect resynchronises both ways,
 * so edits made offline merge when the connection returns.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'socket.io-client';
import {
  applyAwarenessUpdate,
  Awareness,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { ClientToServerEvents, CollabOpened, ServerToClientEvents } from './events.js';

type CollabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** offline: not connected; syncing: opening; synced: in step, nothing unsent; saving: changes not yet acknowledged; closed: no access. */
export type CollabStatus = 'offline' | 'syncing' | 'synced' | 'saving' | 'closed';

const STEP1 = 0;
const STEP2 = 1;

function message(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function payloadOf(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  const decoder = decoding.createDecoder(
    bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes),
  );
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

export interface CollabProviderOptions {
  /** Awaited before each open: e.g. until the socket watches the document's discussion again. */
  beforeOpen?: () => Promise<void>;
}

export class CollabProvider {
  readonly awareness: Awareness;
  status: CollabStatus = 'offline';
  canEdit = false;
  /** Updates sent and not yet acknowledged. */
  pending = 0;
  /** Local changes made while not in step with the server (sent at the next open). */
  private dirty = false;
  private opened = false;
  /** Counts connections, so an acknowledgement from an earlier one is ignored. */
  private connection = 0;
  private destroyed = false;
  private readonly listeners = new Set<() => void>();
  private readonly off: Array<() => void> = [];

  constructor(
    private readonly socket: CollabSocket,
    readonly key: string,
    readonly doc: Y.Doc = new Y.Doc(),
    private readonly options: CollabProviderOptions = {},
  ) {
    this.awareness = new Awareness(doc);
    const onDocUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      if (this.opened && this.socket.connected && this.canEdit) this.send(update);
      else this.dirty = true;
    };
    doc.on('update', onDocUpdate);
    this.off.push(() => doc.off('update', onDocUpdate));
    const onAwareness = (
      changes: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      const mine = [...changes.added, ...changes.updated, ...changes.removed].includes(
        doc.clientID,
      );
      if (origin === 'local' && mine) this.sendAwareness();
    };
    this.awareness.on('update', onAwareness);
    this.on(socket, 'connect', () => {
      this.connection += 1;
      void this.open();
    });
    this.on(socket, 'disconnect', () => {
      this.opened = false;
      // Acknowledgements of a lost connection never come: the next open resends whatever the server lacks.
      if (this.pending > 0) this.dirty = true;
      this.pending = 0;
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== doc.clientID);
      removeAwarenessStates(this.awareness, others, this);
      this.setStatus('offline');
    });
    this.on(socket, 'collab:sync', ({ doc: key, sync }) => {
      if (key === this.key) Y.applyUpdate(this.doc, payloadOf(sync), this);
    });
    this.on(socket, 'collab:awareness', ({ doc: key, awareness }) => {
      if (key === this.key) applyAwarenessUpdate(this.awareness, new Uint8Array(awareness), this);
    });
    this.on(socket, 'collab:rights', ({ doc: key, canEdit, closed }) => {
      if (key !== this.key) return;
      this.canEdit = canEdit;
      if (closed) {
        this.opened = false;
        this.setStatus('closed');
      } else this.emitChange();
    });
    if (socket.connected) void this.open();
  }

  private on<E extends keyof ServerToClientEvents | 'connect' | 'disconnect'>(
    socket: CollabSocket,
    event: E,
    handler: (...args: never[]) => void,
  ): void {
    (socket as unknown as { on(e: string, h: unknown): void }).on(event, handler);
    this.off.push(() =>
      (socket as unknown as { off(e: string, h: unknown): void }).off(event, handler),
    );
  }

  /** Called on every change of status, rights or pending count (e.g. to re-render). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitChange(): void {
    for (const listener of this.listeners) listener();
  }

  private setStatus(status: CollabStatus): void {
    if (this.status === 'closed' && status !== 'syncing') return;
    this.status = status;
    this.emitChange();
  }

  /** Opens (or re-opens after a reconnect) the document: both sides send what the other lacks. */
  async open(): Promise<void> {
    if (this.destroyed) return;
    this.setStatus('syncing');
    try {
      await this.options.beforeOpen?.();
    } catch {
      this.retry();
      return;
    }
    const dirty = this.dirty;
    this.dirty = false;
    const reply = await new Promise<
      Parameters<Parameters<ClientToServerEvents['collab:open']>[1]>[0]
    >((resolve) =>
      this.socket.emit(
        'collab:open',
        { doc: this.key, sync: message(STEP1, Y.encodeStateVector(this.doc)) },
        resolve,
      ),
    );
    if (this.destroyed) return;
    if ('error' in reply) {
      this.dirty ||= dirty;
      if (reply.error.id === 'not_found') this.setStatus('closed');
      else this.retry();
      return;
    }
    this.apply(reply.data);
    this.opened = true;
    this.setStatus(this.pending > 0 ? 'saving' : 'synced');
  }

  private apply(opened: CollabOpened): void {
    this.canEdit = opened.canEdit;
    Y.applyUpdate(this.doc, payloadOf(opened.sync), this);
    applyAwarenessUpdate(this.awareness, new Uint8Array(opened.awareness), this);
    if (!opened.canEdit) return;
    // What this side has that the server lacks: offline edits, or ones whose ack was lost.
    const missing = Y.encodeStateAsUpdate(this.doc, payloadOf(opened.serverSync));
    if (Y.decodeUpdate(missing).structs.length > 0 || Y.decodeUpdate(missing).ds.clients.size > 0)
      this.send(missing);
    if (this.awareness.getLocalState() !== null) this.sendAwareness();
  }

  private send(update: Uint8Array): void {
    this.pending += 1;
    this.setStatus('saving');
    const connection = this.connection;
    this.socket.emit('collab:sync', { doc: this.key, sync: message(STEP2, update) }, (reply) => {
      if (connection !== this.connection) return;
      this.pending = Math.max(0, this.pending - 1);
      if ('error' in reply) {
        // Refused for now (a flood, a restart): the next open sends it again.
        this.dirty = true;
        this.retry();
      } else if (this.status === 'saving' && this.pending === 0) this.setStatus('synced');
    });
  }

  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  /** Opens again a little later (while connected), which sends whatever the server lacks. */
  private retry(): void {
    if (this.retryTimer || this.destroyed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket.connected && this.status !== 'closed') void this.open();
    }, 300);
  }

  private sendAwareness(): void {
    if (!this.opened || !this.canEdit || !this.socket.connected) return;
    const awareness = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.socket.emit('collab:awareness', { doc: this.key, awareness }, () => undefined);
  }

  /** Whether everything typed here has been stored by the server. */
  get saved(): boolean {
    return this.opened && this.pending === 0 && !this.dirty;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.socket.connected) this.socket.emit('collab:close', { doc: this.key }, () => undefined);
    for (const off of this.off) off();
    this.awareness.destroy();
    this.listeners.clear();
  }
}
