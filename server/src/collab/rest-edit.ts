/**
 * REST edits of a collaborative field (a discussion's context, a poll's
 * details) go into the document, not around it: written around it, the next
 * compaction after further typing would derive the text from the document
 * and overwrite the REST edit. Here the new Markdown becomes one Yjs update
 * replacing the document's content, appended to the durable log like any
 * editor's update, in the caller's transaction (with the record's text and
 * the version history). Every process's change feed then applies it to the
 * open copies and broadcasts it, so open editors see it live.
 */
import { Types, type ClientSession } from 'mongoose';
import * as Y from 'yjs';
import { DocSnapshotModel } from '../models/doc-snapshot.js';
import { DocUpdateModel } from '../models/doc-update.js';
import { DocVersionModel } from '../models/doc-version.js';
import { replaceWithMarkdown, toMarkdown } from '../../../shared/collab-markdown.js';
import { parseDocKey, recordField, type DocRef } from './documents.js';
import { REST_PROCESS_ID, bytesOf, editorsOf, loadState } from './persistence.js';

export { REST_PROCESS_ID };

/** The document of a record's collaborative field. */
export function docRefOf(record: DocRef['record'], id: Types.ObjectId | string, field: string) {
  return parseDocKey(`${record}:${String(id)}:${field}`);
}

/**
 * Makes sure the document has a stored state (seeded from the record's
 * current text) before a transaction replaces it, so a process opening the
 * document meanwhile cannot seed it from a text the edit already replaced.
 */
export async function prepareDocument(ref: DocRef): Promise<void> {
  await loadState(ref);
}

/**
 * Replaces the document's text with `markdown` inside `session`, writing the
 * record's field (the text as the document now derives it) and a settled
 * version naming everyone whose updates it includes. Resolves the new text,
 * or null when `markdown` is what the document or the record already says
 * (a form re-sending an unchanged field must not revert live typing).
 */
export async function replaceDocumentText(props: {
  ref: DocRef;
  markdown: string;
  recordText: string;
  userId: Types.ObjectId;
  session: ClientSession;
}): Promise<string | null> {
  const { ref, session } = props;
  if (props.markdown === props.recordText) return null;
  const logged = await DocUpdateModel.find({ doc: ref.key }, { update: 1, userId: 1, processId: 1 })
    .sort({ _id: 1 })
    .session(session)
    .lean();
  const snapshot = await DocSnapshotModel.findById(ref.key, { state: 1 }).session(session).lean();
  const ydoc = new Y.Doc({ gc: true });
  try {
    for (const state of [
      ...(snapshot ? [bytesOf(snapshot.state)] : []),
      ...logged.map((e) => bytesOf(e.update)),
    ])
      Y.applyUpdate(ydoc, state);
    if (toMarkdown(ydoc) === props.markdown) return null;
    const before = Y.encodeStateVector(ydoc);
    replaceWithMarkdown(ydoc, props.markdown);
    const update = Y.encodeStateAsUpdate(ydoc, before);
    const text = toMarkdown(ydoc);
    await DocUpdateModel.create(
      [
        {
          doc: ref.key,
          update: Buffer.from(update),
          userId: props.userId,
          processId: REST_PROCESS_ID,
        },
      ],
      { session },
    );
    await recordField(ref)?.write(text, session);
    const editorIds = new Set([String(props.userId), ...editorsOf(logged)]);
    await DocVersionModel.create(
      [{ doc: ref.key, text, editorIds: [...editorIds].map((id) => new Types.ObjectId(id)) }],
      { session },
    );
    return text;
  } finally {
    ydoc.destroy();
  }
}
