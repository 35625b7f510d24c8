/**
 * `/api/unsubscribe/:token`: the link every notification email carries (P11).
 * It works signed out: the signed token is the credential, naming one person
 * and one kind of email. `GET` says what the link stops and whether it still
 * comes; `POST` stops it (idempotent). `POST` is also the one-click target of
 * the List-Unsubscribe header (RFC 8058): mail providers post
 * `List-Unsubscribe=One-Click` as a form, without cookies, and so without the
 * CSRF header, which csrf.ts asks only of cookie-authenticated requests.
 * Nothing in the answers names the person.
 */
import { Router } from 'express';
import { Types } from 'mongoose';
import { InvalidTokenError } from '../../commands/accounts/errors.js';
import type { Config } from '../../config.js';
import { parse } from '../../http/validate.js';
import { loadEmailPreferences, unsubscribe } from '../../mail/preferences.js';
import { verifyUnsubscribeToken } from '../../mail/unsubscribe-token.js';
import { UserModel } from '../../models/user.js';
import { presentUnsubscribe } from '../../presenters/email-preferences.js';
import { unsubscribeParamsSchema } from './schema.js';

async function claimsOf(params: unknown, secret: string) {
  const { token } = parse(unsubscribeParamsSchema, params);
  const claims = verifyUnsubscribeToken(token, secret);
  // A deleted account's link is as void as a forged one.
  const user = claims
    ? await UserModel.exists({ _id: new Types.ObjectId(claims.userId), deletedAt: null })
    : null;
  if (!claims || !user) throw InvalidTokenError();
  return { userId: new Types.ObjectId(claims.userId), kind: claims.kind };
}

export function unsubscribeRouter(config: Pick<Config, 'jwtSecret'>): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    const { userId, kind } = await claimsOf(req.params, config.jwtSecret);
    res.json({ unsubscribe: presentUnsubscribe(kind, await loadEmailPreferences(userId)) });
  });

  router.post('/:token', async (req, res) => {
    const { userId, kind } = await claimsOf(req.params, config.jwtSecret);
    await unsubscribe(userId, kind);
    res.json({ unsubscribe: presentUnsubscribe(kind, await loadEmailPreferences(userId)) });
  });
  return router;
}
