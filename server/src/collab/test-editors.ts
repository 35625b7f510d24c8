/**
 * Test support for collaborative documents: real socket.io-client sockets,
 * each with a `Y.Doc` kept by the same provider the web client uses
 * (shared/collab-provider.ts), watching the document's discussion first as
 * the discussion page does, and reconnecting (and re-watching) on their own.
 */
import { io as connect } from 'socket.io-client';
import * as Y from 'yjs';
import { CollabProvider } from '../../../shared/collab-provider.js';
import { FRAGMENT, textOf, toMarkdown } from '../../../shared/collab-markdown.js';
import type { Client } from '../realtime/test-clients.js';

export interface Editor {
  socket: Client;
  provider: CollabProvider;
  doc: Y.Doc;
  /** The paragraph text the editor sees (one Y.XmlText in one paragraph, for simple edits). */
  text(): string;
  markdown(): string;
  close(): void;
}

/** The XmlText of the document's first paragraph, created when the document is empty. */
export function paragraphText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment(FRAGMENT);
  let paragraph = fragment.get(0) as Y.XmlElement | undefined;
  if (!paragraph) {
    doc.transact(() => {
      paragraph = new Y.XmlElement('paragraph');
      fragment.insert(0, [paragraph]);
      paragraph.insert(0, [new Y.XmlText()]);
    });
  }
  return (paragraph as Y.XmlElement).get(0) as Y.XmlText;
}

export function watchFirst(socket: Client, discussionId: string): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) =>
      socket.emit('discussion:watch', { discussionId }, (reply) =>
        'data' in reply ? resolve() : reject(new Error(reply.error.id)),
      ),
    );
}

/** An editor (or reader) of `key` for a token (or a visitor), on the server at `url`. */
export async function openEditor(props: {
  url: string;
  token: string | null;
  discussionId: string;
  key: string;
  reconnection?: boolean;
}): Promise<Editor> {
  const socket: Client = connect(props.url, {
    transports: ['websocket'],
    auth: props.token ? { token: props.token } : {},
    reconnection: props.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  const doc = new Y.Doc();
  const provider = new CollabProvider(socket, props.key, doc, {
    beforeOpen: watchFirst(socket, props.discussionId),
  });
  await until(() => provider.status === 'synced' || provider.status === 'closed', 10_000);
  return {
    socket,
    provider,
    doc,
    text: () => textOf(paragraphText(doc)),
    markdown: () => toMarkdown(doc),
    close: () => {
      provider.destroy();
      socket.disconnect();
    },
  };
}

/** Polls until `check` holds, or rejects after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A y-protocols sync update message (type 2). */
export function syncMessage(update: Uint8Array): Uint8Array {
  const header = [2];
  let length = update.length;
  const varint: number[] = [];
  do {
    let byte = length & 0x7f;
    length >>>= 7;
    if (length > 0) byte |= 0x80;
    varint.push(byte);
  } while (length > 0);
  return new Uint8Array([...header, ...varint, ...update]);
}
