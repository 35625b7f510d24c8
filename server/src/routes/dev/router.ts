/**
 * `GET /api/dev/outbox`: what the local outbox sent, newest first, for the
 * developer at the machine (a page for browsers, JSON otherwise). It shows
 * everyone's mail, sign-in and password-reset links included, so it is
 * mounted in development only, and even there it exists only for requests
 * from this machine (http/loopback.ts): anyone else gets the API's ordinary
 * 404, as if it did not exist. Not in tests either, where the privacy matrix
 * rightly refuses any route that hands out other people's addresses (tests
 * read the outbox object directly).
 */
import { Router } from 'express';
import { isLocalRequest } from '../../http/loopback.js';
import { Outbox, type Mailer } from '../../mail/mailer.js';
import { OUTBOX_CSS, outboxPage } from './outbox-page.js';

export function devRouter(mailer: Mailer, publicUrl: string): Router {
  const router = Router();
  // `next('router')` leaves this router: the request goes on to the API's 404.
  router.use((req, _res, next) => next(isLocalRequest(req, publicUrl) ? undefined : 'router'));
  router.get('/outbox', (req, res) => {
    const transport = mailer instanceof Outbox ? 'outbox' : 'smtp';
    const mails = mailer instanceof Outbox ? mailer.latest() : [];
    if (req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(outboxPage(mails, transport));
      return;
    }
    res.json({ transport, items: mails });
  });
  router.get('/outbox.css', (_req, res) => {
    res.type('css').send(OUTBOX_CSS);
  });
  return router;
}
