/**
 * The blocks the server inserts into meeting minutes (a decision, an outcome,
 * attendance: server/src/meetings/minutes-blocks.ts) as a node of the
 * minutes editor, so the shared document's `minutesBlock` elements are kept
 * (an editor that did not know them would drop them from the document) and
 * shown framed. Their content is ordinary text: people may annotate it, or
 * delete the whole block, before the minutes are published.
 */
import { mergeAttributes, Node } from '@tiptap/core';
import { MINUTES_BLOCK } from '../../../shared/collab-markdown.js';

export const MinutesBlock = Node.create({
  name: MINUTES_BLOCK,
  group: 'block',
  content: 'block+',
  defining: true,
  addAttributes() {
    return {
      kind: {
        default: 'decision',
        parseHTML: (element) => element.getAttribute('data-kind'),
        renderHTML: (attributes) => ({ 'data-kind': String(attributes.kind) }),
      },
      ref: {
        default: '',
        parseHTML: (element) => element.getAttribute('data-ref'),
        renderHTML: (attributes) => ({ 'data-ref': String(attributes.ref) }),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'section[data-minutes-block]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return [
      'section',
      mergeAttributes(HTMLAttributes, { 'data-minutes-block': '', class: 'minutes-block' }),
      0,
    ];
  },
});
