/**
 * Links inside the collaborative editor follow the same rule as the Markdown
 * renderer (lib/links.ts): the app's own pages open client-side, http(s) and
 * mailto addresses are plain links that share nothing with the page they go
 * to, and anything else (javascript:, data:, `//host`, `/\host`) is its text
 * alone. The document is written by other people through Yjs, so a link mark
 * may carry any href and any attributes: only the href is read, and it is
 * classified each time the mark is drawn. Pasting, typing and commands refuse
 * what the rule refuses.
 */
import { Link, type LinkOptions } from '@tiptap/extension-link';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { DOMOutputSpec } from '@tiptap/pm/model';
import { classifyLink, isLinkable } from '../lib/links.js';

/** What an external link tells the browser: open it on its own, send no referrer, vouch for nothing. */
export const EXTERNAL_REL = 'noopener noreferrer nofollow';

/** How a link mark with this href is drawn: an anchor the classifier allows, or its text alone. */
export function linkSpec(href: unknown, origin?: string): DOMOutputSpec {
  const target =
    typeof href === 'string' ? classifyLink(href, origin) : ({ kind: 'text' } as const);
  if (target.kind === 'internal') return ['a', { href: target.to }, 0];
  if (target.kind === 'external') return ['a', { href: target.href, rel: EXTERNAL_REL }, 0];
  return ['span', {}, 0];
}

/** The router path a click on this element follows client-side, or null to leave the click alone. */
export function internalTarget(element: EventTarget | null, root: Element): string | null {
  if (!(element instanceof Element)) return null;
  const anchor = element.closest('a[href]');
  if (!anchor || !root.contains(anchor)) return null;
  const target = classifyLink(anchor.getAttribute('href') ?? '');
  return target.kind === 'internal' ? target.to : null;
}

export interface SafeLinkOptions {
  /** Follows an internal link with the app's router (a reader's click). */
  navigate: ((to: string) => void) | null;
}

export const SafeLink = Link.extend<LinkOptions & SafeLinkOptions>({
  addOptions() {
    const parent = this.parent?.() as LinkOptions;
    return {
      ...parent,
      navigate: null,
      openOnClick: false,
      enableClickSelection: false,
      HTMLAttributes: { target: null, rel: null, class: null },
      isAllowedUri: (url: string) => isLinkable(url),
    };
  },

  renderHTML({ HTMLAttributes }) {
    return linkSpec((HTMLAttributes as { href?: unknown }).href);
  },

  addProseMirrorPlugins() {
    const { navigate } = this.options;
    const plugins = this.parent?.() ?? [];
    return [
      ...plugins,
      new Plugin({
        key: new PluginKey('safeLinkClick'),
        props: {
          handleDOMEvents: {
            // A reader's plain click on one of the app's pages stays in the app (no reload);
            // in an editable text a click places the caret, as in any editor.
            click(view, event) {
              if (!navigate || view.editable || event.button !== 0) return false;
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
              const to = internalTarget(event.target, view.dom);
              if (to === null) return false;
              event.preventDefault();
              navigate(to);
              return true;
            },
          },
        },
      }),
    ];
  },
});
