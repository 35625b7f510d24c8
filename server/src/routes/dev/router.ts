/**
 * `GET /api/dev/outbox`: what the local outbox sent, newest first, for
 * developers (a list page for browsers, JSON otherwise). Mounted in
 * development only: it shows everyone's mail to anyone who asks, so never in
 * production, and not in tests either, where the privacy matrix rightly
 * refuses any route that hands out other people's addresses (tests read the
 * outbox object directly).
 */
import { Router } from 'express';
import { Outbox, type Mailer, type SentMail } from '../../mail/mailer.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(mails: SentMail[]): string {
  const items = mails
    .map(
      (m) =>
        `<article><h2>${escapeHtml(m.subject)}</h2>` +
        `<p><b>To</b> ${escapeHtml(m.to)} &middot; ${escapeHtml(m.sentAt.toISOString())}</p>` +
        (m.headers
          ? `<pre>${escapeHtml(
              Object.entries(m.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n'),
            )}</pre>`
          : '') +
        `<pre>${escapeHtml(m.text)}</pre></article>`,
    )
    .join('<hr>');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Outbox</title></head>' +
    `<body style="font-family: sans-serif; max-width: 60em; margin: auto"><h1>Outbox (${mails.length})</h1>` +
    `${items || '<p>Nothing sent yet.</p>'}</body></html>`
  );
}

export function devRouter(mailer: Mailer): Router {
  const router = Router();
  router.get('/outbox', (req, res) => {
    const mails = mailer instanceof Outbox ? mailer.latest() : [];
    if (req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(page(mails));
      return;
    }
    res.json({ transport: mailer instanceof Outbox ? 'outbox' : 'smtp', items: mails });
  });
  return router;
}
