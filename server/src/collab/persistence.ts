/**
 * Where collaborative documents live in the database, with no loss:
 *
 * - `appendUpdate` writes one update to the log (`docupdates`) and resolves
 *   once it is stored; callers acknowledge and broadcast only after it.
 * - `loadState` reads the log first and the snapshot second: a compaction
 *   that deletes updates between the two reads has put them in the snapshot,
 *   so nothing can fall between them. A document with no state at all is
 *   seeded once from its record's text (deterministically, see markdown.ts).
 * - `compact` folds the log into the snapshot in one transaction that also
 *   deletes what it folded in, writes the derived Markdown to the record and
 *   appends the settled version to the history. The snapshot's version guards
 *   it, so concurrent compactions on two processes cannot lose updates.
 */
import mongoose, { Types } from 'mongoose';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import { DocSnapshotModel } from '../models/doc-snapshot.js';
import { DocUpdateModel } from '../models/doc-update.js';
import { DocVersionModel } from '../models/doc-version.js';
import { recordField, recordText, type DocRef } from './documents.js';
import { seedFromMarkdown, toMarkdown } from '../../../shared/collab-markdown.js';

/** Binary data as the driver or mongoose hands it back (a Buffer, or a BSON Binary). */
export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as { buffer?: unknown; value?: () => Uint8Array } | null;
  if (binary && binary.buffer instanceof Uint8Array) return binary.buffer;
  throw new TypeError('not binary data');
}

/** The process id of updates written by REST: no hub has applied them, so every hub's feed applies them. */
export const REST_PROCESS_ID = 'rest';

/**
 * Who took part in a log's updates since the last settled version: a REST
 * edit's author already has the version their edit made.
 */
export function editorsOf(logged: Array<{ userId: Types.ObjectId | null; processId?: string }>) {
  return logged.flatMap((e) =>
    e.userId && e.processId !== REST_PROCESS_ID ? [String(e.userId)] : [],
  );
}

/** One accepted update, as appended to the log. */
export interface LoggedUpdate {
  doc: string;
  update: Uint8Array;
  userId: Types.ObjectId | null;
  processId: string;
}

/** Stores one accepted update durably; resolves once it is written. */
export async function appendUpdate(props: LoggedUpdate): Promise<void> {
  await appendUpdates([props]);
}

async function appendUpdates(rows: LoggedUpdate[]): Promise<void> {
  // One command, in order (the driver assigns ascending ids): the log keeps the accepted order.
  // Straight to the driver: the rows are built here in the schema's shape, so casting each
  // into a mongoose document only to write it out again cost more than the write.
  const createdAt = new Date();
  await DocUpdateModel.collection.insertMany(
    rows.map((row) => ({
      doc: row.doc,
      update: Buffer.from(row.update.buffer, row.update.byteOffset, row.update.byteLength),
      userId: row.userId,
      processId: row.processId,
      createdAt,
    })),
    { ordered: true },
  );
}

interface Batch {
  rows: LoggedUpdate[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of a process's appends, per document: while one write of a
 * document is in flight, the updates that arrive meanwhile wait and go
 * together in the next `insertMany`. Each caller still resolves only once its
 * own update is stored, so acknowledging after `append` stays lossless; under
 * load a document costs one round trip per batch instead of per keystroke.
 */
export class UpdateLog {
  private readonly waiting = new Map<string, Batch>();
  private readonly writing = new Set<string>();

  /** Stores the update (batched with others of its document); resolves once it is written. */
  append(row: LoggedUpdate): Promise<void> {
    let batch = this.waiting.get(row.doc);
    if (!batch) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
      batch = { rows: [], done, resolve, reject };
      this.waiting.set(row.doc, batch);
    }
    batch.rows.push(row);
    if (!this.writing.has(row.doc)) void this.flush(row.doc);
    return batch.done;
  }

  private async flush(doc: string): Promise<void> {
    const batch = this.waiting.get(doc);
    if (!batch) return;
    this.waiting.delete(doc);
    this.writing.add(doc);
    try {
      await appendUpdates(batch.rows);
      batch.resolve();
    } catch (error) {
      batch.reject(error);
    } finally {
      this.writing.delete(doc);
      if (this.waiting.has(doc)) void this.flush(doc);
    }
  }
}

/** Applies updates one by one, skipping (and logging) any that Yjs cannot read, so one bad entry never blocks a document. */
export function applyAll(
  ydoc: Y.Doc,
  updates: Uint8Array[],
  logger: Logger,
  origin: unknown,
): void {
  for (const update of updates) {
    try {
      Y.applyUpdate(ydoc, update, origin);
    } catch (error) {
      logger.error('collab: skipped an unreadable stored update', error);
    }
  }
}

/** The stored state of a document as a list of updates (snapshot first), seeding it from the record if it has none. */
export async function loadState(ref: DocRef): Promise<{ updates: Uint8Array[]; logged: number }> {
  const logged = await DocUpdateModel.find({ doc: ref.key }, { update: 1 }).sort({ _id: 1 }).lean();
  let snapshot = await DocSnapshotModel.findById(ref.key, { state: 1 }).lean();
  if (!snapshot && logged.length === 0) {
    const state = Buffer.from(seedFromMarkdown(await recordText(ref)));
    try {
      await DocSnapshotModel.create({ _id: ref.key, state, version: 0 });
    } catch (error) {
      // Another process seeded it first (the same items: seeds are deterministic).
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    snapshot = await DocSnapshotModel.findById(ref.key, { state: 1 }).lean();
  }
  const updates = logged.map((entry) => bytesOf(entry.update));
  return {
    updates: snapshot ? [bytesOf(snapshot.state), ...updates] : updates,
    logged: logged.length,
  };
}

/** What a compaction settled: the Markdown now in the record and whether it changed. */
export interface Compaction {
  folded: number;
  text: string;
  changed: boolean;
}

class StaleSnapshot extends Error {}

/**
 * Folds the whole log of a document into its snapshot (see the module
 * comment). Resolves null when there was nothing to fold, or when another
 * process compacted at the same time (its compaction holds the updates).
 */
export async function compact(ref: DocRef, logger: Logger): Promise<Compaction | null> {
  try {
    return await mongoose.connection.transaction(async (session) => {
      const logged = await DocUpdateModel.find({ doc: ref.key })
        .sort({ _id: 1 })
        .session(session)
        .lean();
      if (logged.length === 0) return null;
      const snapshot = await DocSnapshotModel.findById(ref.key).session(session).lean();
      const ydoc = new Y.Doc({ gc: true });
      const states = logged.map((entry) => bytesOf(entry.update));
      applyAll(ydoc, snapshot ? [bytesOf(snapshot.state), ...states] : states, logger, null);
      const state = Buffer.from(Y.encodeStateAsUpdate(ydoc));
      const text = toMarkdown(ydoc);
      ydoc.destroy();
      if (snapshot) {
        const written = await DocSnapshotModel.updateOne(
          { _id: ref.key, version: snapshot.version },
          { $set: { state, version: snapshot.version + 1, updatedAt: new Date() } },
          { session },
        );
        if (written.matchedCount !== 1) throw new StaleSnapshot();
      } else {
        await DocSnapshotModel.create([{ _id: ref.key, state, version: 1 }], { session });
      }
      await DocUpdateModel.deleteMany({ _id: { $in: logged.map((e) => e._id) } }, { session });
      const changed = await settleText(ref, text, logged, session);
      return { folded: logged.length, text, changed };
    });
  } catch (error) {
    if (error instanceof StaleSnapshot) return null;
    throw error;
  }
}

/** Writes the text to the record and the version history when it differs from the record's. */
async function settleText(
  ref: DocRef,
  text: string,
  logged: Array<{ userId: Types.ObjectId | null; processId?: string }>,
  session: mongoose.ClientSession,
): Promise<boolean> {
  const field = recordField(ref);
  if (field) {
    const current = await field.read(session);
    if (current === null || current === text) return false;
    await field.write(text, session);
  } else {
    const last = await DocVersionModel.findOne({ doc: ref.key }, { text: 1 })
      .sort({ createdAt: -1 })
      .session(session)
      .lean();
    if ((last?.text ?? '') === text) return false;
  }
  const editorIds = [...new Set(editorsOf(logged))];
  await DocVersionModel.create(
    [{ doc: ref.key, text, editorIds: editorIds.map((id) => new Types.ObjectId(id)) }],
    { session },
  );
  return true;
}
