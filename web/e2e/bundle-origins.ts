/**
 * Which absolute URLs in a built file name an origin the page could load
 * from (P1). HTML, CSS and SVG may name none (SVG only XML namespaces).
 * Scripts contain URLs as inert text too: XML namespaces, the dummy base
 * libraries parse relative URLs against, and links to documentation in
 * library error messages. A URL inside a sentence ("… see https://…") is such
 * text: the string does not start with it, so no URL parser, fetch, import or
 * attribute could resolve it to that origin. Anything else is reported.
 */

/** URLs scripts build or name but never load from. */
export const NOT_LOADED = [
  /^http:\/\/www\.w3\.org\/(1999\/xlink|2000\/svg|XML\/1998\/namespace|1998\/Math\/MathML)/,
  /^https:\/\/react\.dev\/errors\//,
  /^https:\/\/reactrouter\.com\//,
  /^https:\/\/socket\.io\/docs\//,
  /^https:\/\/github\.com\/ungap\/url-search-params/,
  /^http:\/\/localhost$/,
];

const URL_PATTERN = /(?:https?|wss?):\/\/[A-Za-z0-9.-]+(?::\d+)?[^\s"'`)\\]*/g;
/**
 * Words, then whitespace, right before the URL, all inside one string: the
 * URL is in the middle of a message. A quote, `(`, `=` or `+` before it (even
 * after spaces) could start the string with it, so that is not prose.
 */
const AFTER_WORDS = /[^\s"'`(=+,{[]\s+$/;

/** The URLs in `text` (a file named `name`) that the page could load from another origin. */
export function loadableUrls(name: string, text: string): string[] {
  const found: string[] = [];
  const isScript = name.endsWith('.js');
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0];
    if (name.endsWith('.svg')) {
      if (!NOT_LOADED[0].test(url)) found.push(url);
    } else if (!isScript) {
      found.push(url);
    } else if (!NOT_LOADED.some((ok) => ok.test(url))) {
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      if (!AFTER_WORDS.test(before)) found.push(url);
    }
  }
  return found;
}
