/**
 * A text several people write together (discussion context, poll details, an
 * outcome draft, meeting minutes): Tiptap over the shared Yjs document, with the others'
 * carets and names, who is editing, and a clear saving state. Readers get the
 * same editor read-only, updating live; until the document arrives, the
 * record's Markdown is shown.
 */
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { AnyExtension } from '@tiptap/core';
import Heading from '@tiptap/extension-heading';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { selectionClassOf } from '../../../shared/caret-colours.js';
import { toMarkdown } from '../../../shared/collab-markdown.js';
import { Markdown } from '../components/Markdown.js';
import { useStore } from '../store/index.js';
import { SafeLink } from './safe-link.js';
import { useCollab, useCollabPeers, useCollabStatus } from './use-collab.js';
import { VersionHistory, versionsPath } from './VersionHistory.js';
import './collab.css';

/**
 * The text's headings sit under the page's own (the title is the h1, the
 * section the h2): a `#` heading is an h3, as where the text is rendered as
 * Markdown (`topLevel={3}`), and levels stop where HTML's do.
 */
const TOP_LEVEL = 3;
const NestedHeading = Heading.extend({
  renderHTML({ node, HTMLAttributes }) {
    return [`h${Math.min(6, node.attrs.level + TOP_LEVEL - 1)}`, HTMLAttributes, 0];
  },
}).configure({ levels: [1, 2, 3, 4] });

export interface CollabEditorProps {
  /** The document key, e.g. `discussion:<id>:context`. */
  docKey: string;
  /** The discussion the document belongs to (the socket watches it before opening). */
  discussionId?: string;
  /** For a document of something else (a meeting's minutes): resolves once the socket watches it. */
  beforeOpen?: () => Promise<void>;
  /** Nodes the document may hold besides the starter kit's (the minutes' blocks). */
  extensions?: AnyExtension[];
  /** What the text is, for assistive technology ("Context", "Details"). */
  label: string;
  /** The record's text, shown until the live document has arrived. */
  fallback: string;
  /** Told the document's Markdown whenever it changes (e.g. to publish a draft). */
  onText?: (markdown: string) => void;
}

function SaveState({ status, canEdit }: { status: string; canEdit: boolean }) {
  if (status === 'offline')
    return (
      <span className="collab-state warn" role="status">
        Offline: your changes will be sent when you reconnect
      </span>
    );
  if (!canEdit || status === 'closed') return null;
  if (status === 'saving' || status === 'syncing')
    return (
      <span className="collab-state" role="status">
        Saving…
      </span>
    );
  return (
    <span className="collab-state ok" role="status">
      All changes saved
    </span>
  );
}

export function CollabEditor({
  docKey,
  discussionId = '',
  beforeOpen,
  extensions = [],
  label,
  fallback,
  onText,
}: CollabEditorProps) {
  const provider = useCollab(docKey, beforeOpen ? { beforeOpen } : { discussionId });
  useEffect(() => {
    if (!onText) return;
    const tell = () => onText(toMarkdown(provider.doc));
    tell();
    provider.doc.on('update', tell);
    return () => provider.doc.off('update', tell);
  }, [provider, onText]);
  useCollabStatus(provider);
  // One line per person: two tabs, or a caret left from before a reconnect, are one editor.
  const peers = useCollabPeers(provider).filter(
    (peer, i, all) => all.findIndex((other) => other.name === peer.name) === i,
  );
  const me = useStore((s) => s.me);
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const editor = useEditor(
    {
      editable: false,
      // The page's CSP allows no inline <style>: the editor's own rules are in collab.css.
      injectCSS: false,
      extensions: [
        // Links go through the app's link rule (safe-link.ts), not the starter kit's.
        StarterKit.configure({ undoRedo: false, link: false, heading: false }),
        NestedHeading,
        SafeLink.configure({ navigate: (to) => void navigateRef.current(to) }),
        ...extensions,
        Collaboration.configure({ document: provider.doc }),
        CollaborationCaret.configure({
          provider,
          // The server replaces both with the person's display name and colour.
          user: { name: me?.name ?? 'Someone', color: '#3d7dca' },
          // A class, not the default inline style, which the page's CSP refuses.
          selectionRender: (user: { color?: unknown }) => {
            const colour = selectionClassOf(user.color);
            return {
              class: colour ? `ProseMirror-yjs-selection ${colour}` : 'ProseMirror-yjs-selection',
            };
          },
        }),
      ],
      editorProps: {
        attributes: {
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          class: 'collab-text',
        },
      },
    },
    [provider],
  );
  const { status, canEdit } = provider;
  const history = versionsPath(docKey);
  const live = status !== 'closed' && provider.doc.getXmlFragment('default').length > 0;
  useEffect(() => {
    editor?.setEditable(canEdit && status !== 'closed');
  }, [editor, canEdit, status]);

  return (
    <div className="collab" data-testid={`collab-${label.toLowerCase()}`}>
      <div className="collab-bar small">
        {peers.length > 0 && (
          <ul className="collab-peers" aria-label="Editing now">
            {peers.map((peer) => (
              <li key={peer.clientId}>
                <span
                  className="collab-dot"
                  style={{ background: peer.color }}
                  aria-hidden="true"
                />
                {peer.name}
              </li>
            ))}
          </ul>
        )}
        <SaveState status={status} canEdit={canEdit} />
      </div>
      {!live && fallback.trim() !== '' && status !== 'synced' && status !== 'saving' && (
        <Markdown source={fallback} topLevel={3} />
      )}
      <EditorContent editor={editor} hidden={!live && status !== 'synced' && status !== 'saving'} />
      {me && history && <VersionHistory path={history} />}
    </div>
  );
}
