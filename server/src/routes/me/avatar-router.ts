/**
 * `/api/me/avatar`: one's profile photo. `PUT` takes the image's bytes as the
 * request body (any Content-Type but JSON: the type is read from the content),
 * at most 5 MB, and answers with one's profile carrying the new `avatarUrl`;
 * `DELETE` goes back to initials. The stored photo is served by
 * `/api/avatars/:id/:size` (routes/avatars).
 */
import express, { Router, type RequestHandler } from 'express';
import { AVATAR_MAX_BYTES } from '../../../../shared/avatars.js';
import { requireUser } from '../../auth/authenticate.js';
import { removeAvatars, setAvatar } from '../../commands/accounts/avatar.js';
import { AvatarTooLargeError, AvatarUnsupportedTypeError } from '../../commands/accounts/errors.js';
import { ValidationError } from '../../errors.js';
import { bodyParserError } from '../../http/json-body.js';
import { UserModel } from '../../models/user.js';
import { presentSelf } from '../../presenters/user.js';
import { retryAfterHeader } from '../auth/respond.js';
import type { ApiDeps } from '../deps.js';

/** The raw body up to the photo limit; over it, `avatar_too_large` on `file` before it is read. */
function photoBody(): RequestHandler {
  const readRaw = express.raw({ type: () => true, limit: AVATAR_MAX_BYTES });
  return (req, res, next) => {
    readRaw(req, res, (error?: unknown) => {
      const tooLarge = (error as { type?: unknown } | undefined)?.type === 'entity.too.large';
      next(
        error === undefined
          ? undefined
          : tooLarge
            ? AvatarTooLargeError('The photo is larger than 5 MB')
            : bodyParserError(error),
      );
    });
  };
}

/** Refuses visitors before their upload is read. */
const signedIn: RequestHandler = (req, _res, next) => {
  requireUser(req);
  next();
};

export function avatarRouter(deps: ApiDeps): Router {
  const router = Router();

  router.put('/avatar', signedIn, photoBody(), async (req, res) => {
    requireUser(req);
    const bytes: unknown = req.body;
    // A JSON body was already parsed by the API's JSON parser: not an image.
    if (!Buffer.isBuffer(bytes)) throw AvatarUnsupportedTypeError();
    if (bytes.length === 0) throw ValidationError('file', 'Choose a photo to upload');
    const user = await setAvatar({ user: req.viewer.user, bytes, secret: deps.config.jwtSecret });
    res.json({ user: presentSelf(user) });
  });

  router.delete('/avatar', async (req, res) => {
    requireUser(req);
    await removeAvatars(req.viewer.user._id);
    const user = await UserModel.findById(req.viewer.user._id).orFail();
    res.json({ user: presentSelf(user) });
  });

  router.use(retryAfterHeader);
  return router;
}
