/**
 * Test support for meeting minutes: a reader or writer of a meeting's minutes
 * on a real socket, watching the meeting first as the meeting page does, with
 * the same provider as the web client; and the minutes' text as people see it.
 */
import { io as connect } from 'socket.io-client';
import * as Y from 'yjs';
import { CollabProvider } from '../../../shared/collab-provider.js';
import { FRAGMENT, MINUTES_BLOCK, toMarkdown } from '../../../shared/collab-markdown.js';
import { minutesDocKey } from '../../../shared/meetings.js';
import type { Client } from '../realtime/test-clients.js';
import { until, type Editor } from '../collab/test-editors.js';

/** Opens a meeting's minutes for a token (or a visitor), after watching the meeting. */
export async function openMinutes(props: {
  url: string;
  token: string | null;
  meetingId: string;
}): Promise<Editor & { received: Uint8Array[] }> {
  const socket: Client = connect(props.url, {
    transports: ['websocket'],
    auth: props.token ? { token: props.token } : {},
    reconnection: false,
  });
  const received: Uint8Array[] = [];
  socket.on('collab:sync', ({ sync }) => received.push(Uint8Array.from(sync)));
  const doc = new Y.Doc();
  const provider = new CollabProvider(socket, minutesDocKey(props.meetingId), doc, {
    beforeOpen: () =>
      new Promise((resolve, reject) =>
        socket.emit('meeting:watch', { meetingId: props.meetingId }, (reply) =>
          'data' in reply ? resolve() : reject(new Error(reply.error.id)),
        ),
      ),
  });
  await until(() => provider.status === 'synced' || provider.status === 'closed', 10_000);
  return {
    socket,
    provider,
    doc,
    received,
    text: () => toMarkdown(doc),
    markdown: () => toMarkdown(doc),
    close: () => {
      provider.destroy();
      socket.disconnect();
    },
  };
}

/** Types `text` as a new paragraph at the end of the minutes (as an editor would). */
export function typeParagraph(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(FRAGMENT);
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    paragraph.insert(0, [new Y.XmlText(text)]);
  });
}

/** The server's blocks in the minutes: kind, ref and text of each. */
export function blocksOf(doc: Y.Doc): Array<{ kind: string; ref: string; text: string }> {
  return doc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === MINUTES_BLOCK)
    .map((n) => {
      const one = new Y.Doc();
      const copy = one.getXmlFragment(FRAGMENT);
      copy.insert(0, [n.clone()]);
      const text = toMarkdown(one);
      one.destroy();
      return {
        kind: String(n.getAttribute('kind')),
        ref: String(n.getAttribute('ref')),
        text,
      };
    });
}
