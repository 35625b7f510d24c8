/**
 * The dev outbox as a page for people: a list of what was sent, newest first,
 * then each email in full with its links clickable. Everything in a mail is
 * someone's input (names, titles, comment text), so every piece is escaped,
 * and only http(s) links become anchors. The page obeys the app's CSP: no
 * inline script or style; its stylesheet is served from the same origin.
 */
import type { SentMail } from '../../mail/mailer.js';

/** Path of the page's stylesheet, under the same router. */
export const OUTBOX_CSS_PATH = '/api/dev/outbox.css';

export const OUTBOX_CSS = `body { font: 16px/1.5 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #1c1c1c; }
h1 { font-size: 1.5em; }
ol.toc { padding-left: 1.5em; }
ol.toc small, dl { color: #555; }
article { border-top: 1px solid #ccc; margin-top: 2em; padding-top: 1em; }
article h2 { font-size: 1.2em; margin: 0 0 0.5em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1em; margin: 0 0 1em; }
dd { margin: 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 1em; font-family: ui-monospace, monospace; font-size: 0.9em; }
`;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** http(s) URLs in mail text; trailing punctuation is left to the sentence. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Escapes `text`, turning each http(s) URL in it into a link that opens on its own. */
export function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = match[0];
    if (!URL.canParse(url)) continue;
    html += escapeHtml(text.slice(last, match.index));
    html += `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

function mailArticle(mail: SentMail, i: number): string {
  const headers = Object.entries(mail.headers ?? {})
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${linkify(value)}</dd>`)
    .join('');
  return (
    `<article id="mail-${i}"><h2>${escapeHtml(mail.subject)}</h2>` +
    `<dl><dt>To</dt><dd>${escapeHtml(mail.to)}</dd>` +
    `<dt>Sent</dt><dd><time datetime="${mail.sentAt.toISOString()}">${mail.sentAt.toISOString()}</time></dd>` +
    `${headers}</dl>` +
    `<div class="text">${linkify(mail.text)}</div></article>`
  );
}

/** The whole page for `mails` (newest first). */
export function outboxPage(mails: SentMail[], transport: 'outbox' | 'smtp'): string {
  const toc = mails
    .map(
      (m, i) =>
        `<li><a href="#mail-${i}">${escapeHtml(m.subject)}</a> ` +
        `<small>to ${escapeHtml(m.to)}, ${m.sentAt.toISOString()}</small></li>`,
    )
    .join('');
  const empty =
    transport === 'smtp'
      ? '<p>Mail goes to the SMTP server, not to this outbox.</p>'
      : '<p>Nothing sent yet.</p>';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Outbox (${mails.length})</title><link rel="stylesheet" href="${OUTBOX_CSS_PATH}"></head>` +
    `<body><h1>Outbox: ${mails.length} ${mails.length === 1 ? 'email' : 'emails'}, newest first</h1>` +
    (mails.length === 0 ? empty : `<ol class="toc">${toc}</ol>${mails.map(mailArticle).join('')}`) +
    '</body></html>'
  );
}
