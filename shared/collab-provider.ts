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

/** Updates in flight at once; local changes made meanwhile wait and are merged into one. */
const MAX_IN_FLIGHT = 2;
/** Queued updates are merged up to about this size per message (the server takes 48 KiB). */
const MERGE_BYTES = 16 * 1024;
/** The first delay before opening again after a failure; it doubles up to `MAX_RETRY_MS`. */
const RETRY_MS = 300;
const MAX_RETRY_MS = 5000;

type Refusal = { id: string; retryAfterMs?: number };

export class CollabProvider {
  readonly awareness: Awareness;
  status: CollabStatus = 'offline';
  canEdit = false;
  /** Updates sent and not yet acknowledged. */
  pending = 0;
  /**
   * Local changes the server may lack that neither the queue nor an update in
   * flight carries (made while not open, or refused): the next open sends
   * them, as the difference from the server's state vector.
   */
  private dirty = false;
  /** Local updates made while open, not yet sent (merged when sent). */
  private queue: Uint8Array[] = [];
  private opened = false;
  /** Counts connections, so an answer to an earlier one is ignored. */
  private connection = 0;
  private destroyed = false;
  /** No update is sent before this time (`Date.now()`): a `rate_limited` answer's advice. */
  private pausedUntil = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryAt = 0;
  private retryDelay = RETRY_MS;
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
      if (this.opened && this.socket.connected && this.canEdit) {
        this.queue.push(update);
        this.flush();
      } else this.dirty = true;
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
      this.connection += 1;
      this.opened = false;
      // Acknowledgements of a lost connection never come: the next open resends whatever the server lacks.
      if (this.pending > 0 || this.queue.length > 0) this.dirty = true;
      this.pending = 0;
      this.queue = [];
      this.pausedUntil = 0;
      this.clearTimers();
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
      } else {
        // Allowed to write again: what was typed meanwhile is sent by opening again.
        if (canEdit && this.dirty) this.retry();
        this.emitChange();
      }
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

  /** While open: `saving` with anything unacknowledged or unsent, else `synced`. */
  private settle(): void {
    if (!this.opened || this.status === 'closed') return;
    const busy = this.pending > 0 || this.queue.length > 0 || (this.dirty && this.canEdit);
    this.setStatus(busy ? 'saving' : 'synced');
  }

  /** Opens (or re-opens after a reconnect or a refusal) the document: both sides send what the other lacks. */
  async open(): Promise<void> {
    if (this.destroyed || !this.socket.connected) return;
    const connection = this.connection;
    if (!this.opened) this.setStatus('syncing');
    try {
      await this.options.beforeOpen?.();
    } catch {
      if (connection === this.connection) this.retry();
      return;
    }
    // Disconnected meanwhile: the next connection opens again (an emit now would be buffered
    // and sent before that connection's beforeOpen).
    if (this.destroyed || connection !== this.connection || !this.socket.connected) return;
    const reply = await new Promise<
      Parameters<Parameters<ClientToServerEvents['collab:open']>[1]>[0]
    >((resolve) =>
      this.socket.emit(
        'collab:open',
        { doc: this.key, sync: message(STEP1, Y.encodeStateVector(this.doc)) },
        resolve,
      ),
    );
    if (this.destroyed || connection !== this.connection) return;
    if ('error' in reply) {
      if (reply.error.id === 'not_found') {
        this.opened = false;
        this.setStatus('closed');
      } else this.retry(reply.error);
      return;
    }
    this.retryDelay = RETRY_MS;
    this.apply(reply.data);
    this.settle();
  }

  private apply(opened: CollabOpened): void {
    this.canEdit = opened.canEdit;
    Y.applyUpdate(this.doc, payloadOf(opened.sync), this);
    applyAwarenessUpdate(this.awareness, new Uint8Array(opened.awareness), this);
    this.opened = true;
    if (!opened.canEdit) return;
    // What this side has that the server lacks: offline edits, refused ones or ones whose ack
    // was lost, and whatever is queued. Computed and marked sent at once, so that no local
    // change can fall between the two (a change made while the open was on its way is in it).
    const missing = Y.encodeStateAsUpdate(this.doc, payloadOf(opened.serverSync));
    this.dirty = false;
    this.queue = [];
    const decoded = Y.decodeUpdate(missing);
    if (decoded.structs.length > 0 || decoded.ds.clients.size > 0) {
      this.queue.push(missing);
      this.flush();
    }
    if (this.awareness.getLocalState() !== null) this.sendAwareness();
  }

  /** Sends queued updates, merged, keeping at most `MAX_IN_FLIGHT` unacknowledged. */
  private flush(): void {
    if (!this.opened || !this.socket.connected || !this.canEdit) return;
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, wait);
      return;
    }
    while (this.pending < MAX_IN_FLIGHT && this.queue.length > 0) {
      let count = 1;
      let bytes = this.queue[0].length;
      while (count < this.queue.length && bytes + this.queue[count].length <= MERGE_BYTES)
        bytes += this.queue[count++].length;
      const batch = this.queue.splice(0, count);
      this.send(batch.length === 1 ? batch[0] : Y.mergeUpdates(batch));
    }
    this.settle();
  }

  private send(update: Uint8Array): void {
    this.pending += 1;
    const connection = this.connection;
    this.socket.emit('collab:sync', { doc: this.key, sync: message(STEP2, update) }, (reply) => {
      if (connection !== this.connection || this.destroyed) return;
      this.pending = Math.max(0, this.pending - 1);
      if ('error' in reply) this.refused(update, reply.error);
      this.flush();
      this.settle();
    });
  }

  /** An update the server did not take. */
  private refused(update: Uint8Array, error: Refusal): void {
    if (error.id === 'rate_limited') {
      // Sent again, first, once the server's advice is up (sooner would count as a strike).
      this.queue.unshift(update);
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + (error.retryAfterMs ?? 1000));
    } else {
      // Refused for now (a restart, a session lost, a failing database): the next open
      // sends whatever the server lacks.
      this.dirty = true;
      this.retry(error);
    }
  }

  /**
   * Opens again a little later (while connected), which sends whatever the
   * server lacks: after the advice of a `rate_limited` answer, else after a
   * delay that doubles with each failure in a row.
   */
  private retry(error?: Refusal): void {
    if (this.destroyed) return;
    let delay = this.retryDelay;
    this.retryDelay = Math.min(MAX_RETRY_MS, this.retryDelay * 2);
    if (error?.id === 'rate_limited') delay = Math.max(delay, error.retryAfterMs ?? 1000);
    const at = Date.now() + delay;
    if (this.retryTimer) {
      if (at <= this.retryAt) return;
      clearTimeout(this.retryTimer);
    }
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket.connected && this.status !== 'closed') void this.open();
    }, delay);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.retryTimer = null;
    this.flushTimer = null;
  }

  private sendAwareness(): void {
    if (!this.opened || !this.canEdit || !this.socket.connected) return;
    const awareness = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.socket.emit('collab:awareness', { doc: this.key, awareness }, () => undefined);
  }

  /** Whether everything typed here has been stored by the server. */
  get saved(): boolean {
    return this.opened && this.pending === 0 && this.queue.length === 0 && !this.dirty;
  }

  destroy(): void {
    this.destroyed = true;
    this.clearTimers();
    if (this.socket.connected) this.socket.emit('collab:close', { doc: this.key }, () => undefined);
    for (const off of this.off) off();
    this.awareness.destroy();
    this.listeners.clear();
  }
}
