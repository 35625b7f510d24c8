/**
 * What a link written by someone (a discussion's context, the privacy policy)
 * may become. Records are written by other people, so their links are hostile
 * until shown otherwise: a client-side link that the router cannot follow
 * (`/\evil.example` is another origin to the browser, a same-origin path to a
 * naive check) throws on navigation, and `javascript:` or `data:` run code.
 * Only three outcomes are possible: a client-side link to one of the app's own
 * pages, a plain link to an http(s) or mailto address (opened by the browser,
 * never by the router), or the text alone.
 */
import { matchRoute } from './routes.js';

export type LinkTarget =
  /** One of the app's pages: `to` is a normalised path (with query and fragment) for the router. */
  | { kind: 'internal'; to: string }
  /** Anywhere else the browser may go on its own: `href` is the normalised absolute URL. */
  | { kind: 'external'; href: string }
  /** Not a link: show the text only. */
  | { kind: 'text' };

/** Longer addresses are not links anyone writes by hand; they only cost. */
export const MAX_LINK_LENGTH = 2048;

const TEXT: LinkTarget = { kind: 'text' };
/**
 * Backslashes (browsers read `\` as `/` in http(s) URLs), whitespace, control
 * characters and invisible or direction-changing characters that make an
 * address read as something it is not.
 */
const SUSPICIOUS =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\\\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function parse(href: string, base?: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

/** The page of this app a same-origin URL shows, as a router path, or null when it has none. */
function appPath(url: URL, origin: string): string | null {
  if (url.origin !== origin || url.username !== '' || url.password !== '') return null;
  return matchRoute(url.pathname) ? `${url.pathname}${url.search}${url.hash}` : null;
}

/**
 * Classifies `href` as written in Markdown. `origin` is the app's own origin
 * (the page's, in the browser): absolute links to it that name one of its
 * pages stay client-side. Same-origin paths that name no page (an uploaded
 * file, say) become plain links the browser loads itself.
 */
export function classifyLink(href: string, origin = currentOrigin()): LinkTarget {
  if (href === '' || href.length > MAX_LINK_LENGTH || SUSPICIOUS.test(href)) return TEXT;
  const own = parse(origin);
  if (!own || (own.protocol !== 'http:' && own.protocol !== 'https:')) return TEXT;

  if (href.startsWith('/')) {
    // `//host` is another origin without a scheme: never a path of ours.
    if (href.startsWith('//')) return TEXT;
    const url = parse(href, own.origin);
    if (!url || url.origin !== own.origin) return TEXT;
    const to = appPath(url, own.origin);
    return to ? { kind: 'internal', to } : { kind: 'external', href: url.href };
  }

  const scheme = SCHEME.exec(href)?.[1].toLowerCase();
  if (scheme === 'mailto') {
    const url = parse(href);
    return url && url.pathname !== '' ? { kind: 'external', href: url.href } : TEXT;
  }
  if (scheme !== 'http' && scheme !== 'https') return TEXT;
  // URL parsing forgives `https:evil.example` and `https:/evil.example`: insist on the two slashes.
  if (!href.slice(scheme.length + 1).startsWith('//')) return TEXT;
  const url = parse(href);
  if (!url || url.hostname === '') return TEXT;
  // `https://trusted.example@evil.example` reads as one address and goes to the other.
  if (url.username !== '' || url.password !== '') return TEXT;
  const to = appPath(url, own.origin);
  return to ? { kind: 'internal', to } : { kind: 'external', href: url.href };
}

/** The page's origin in a browser; shared code is also compiled for Node, which has no `location`. */
function currentOrigin(): string {
  const here = (globalThis as { location?: { origin?: unknown } }).location;
  return typeof here?.origin === 'string' ? here.origin : 'http://localhost';
}

/** Any origin will do to ask whether an address can be a link at all (only internal vs external depends on it). */
const SOME_ORIGIN = 'http://localhost';

/**
 * Whether a written address may be kept as a link in a stored text (the
 * Markdown <-> Yjs conversion, the editor): the same rule as showing it,
 * whatever the origin the text is later shown on.
 */
export function isLinkable(href: string): boolean {
  return classifyLink(href, SOME_ORIGIN).kind !== 'text';
}
