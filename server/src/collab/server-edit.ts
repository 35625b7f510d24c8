/**
 * The server's own writes to a collaborative document (the blocks it inserts
 * into meeting minutes) and its reads of the stored text (publishing them).
 * A write is a Yjs transaction on the document as stored, encoded as one
 * update and appended to the durable log in the caller's transaction, like a
 * REST edit (rest-edit.ts): every process's change feed then applies it to
 * its open copy and broadcasts it, so it merges with what people are typing
 * and is persisted, compacted and versioned like any other update.
 */
import type { ClientSession } from 'mongoose';
import * as Y from 'yjs';
import { toMarkdown } from '../../../shared/collab-markdown.js';
import { DocSnapshotModel } from '../models/doc-snapshot.js';
import { DocUpdateModel } from '../models/doc-update.js';
import type { DocRef } from './documents.js';
import { bytesOf, loadState, REST_PROCESS_ID } from './persistence.js';

/** The document as stored (snapshot, then the log), read in `session`; destroy it after use. */
async function storedDoc(ref: DocRef, session: ClientSession): Promise<Y.Doc> {
  const logged = await DocUpdateModel.find({ doc: ref.key }, { update: 1 })
    .sort({ _id: 1 })
    .session(session)
    .lean();
  const snapshot = await DocSnapshotModel.findById(ref.key, { state: 1 }).session(session).lean();
  const ydoc = new Y.Doc({ gc: true });
  for (const state of [
    ...(snapshot ? [bytesOf(snapshot.state)] : []),
    ...logged.map((e) => bytesOf(e.update)),
  ])
    Y.applyUpdate(ydoc, state);
  return ydoc;
}

/**
 * Makes sure the document has a stored state before a transaction edits it,
 * so a process opening it meanwhile cannot seed it over the edit.
 */
export async function prepareServerEdit(ref: DocRef): Promise<void> {
  await loadState(ref);
}

/**
 * Applies `edit` to the stored document in one Yjs transaction and appends
 * what it changed to the log, in `session`. `edit` returns false to change
 * nothing. Resolves whether an update was written.
 */
export async function editStoredDocument(props: {
  ref: DocRef;
  session: ClientSession;
  edit: (doc: Y.Doc) => boolean;
}): Promise<boolean> {
  const ydoc = await storedDoc(props.ref, props.session);
  try {
    const before = Y.encodeStateVector(ydoc);
    if (!ydoc.transact(() => props.edit(ydoc))) return false;
    const update = Y.encodeStateAsUpdate(ydoc, before);
    await DocUpdateModel.create(
      [
        {
          doc: props.ref.key,
          update: Buffer.from(update),
          userId: null,
          processId: REST_PROCESS_ID,
        },
      ],
      { session: props.session },
    );
    return true;
  } finally {
    ydoc.destroy();
  }
}

/** The stored document's text as Markdown, read in `session`. */
export async function storedMarkdown(ref: DocRef, session: ClientSession): Promise<string> {
  const ydoc = await storedDoc(ref, session);
  try {
    return toMarkdown(ydoc);
  } finally {
    ydoc.destroy();
  }
}
