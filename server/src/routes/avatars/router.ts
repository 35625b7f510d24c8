/**
 * `GET /api/avatars/:id/:size`: a stored profile photo, from Quorum's own
 * origin (P1: pages load no image from anywhere else). The id is random and
 * reaches only those shown the person's profile, like the rest of the profile;
 * a photo whose owner is deactivated (P8) or deleted (P9), or that was
 * replaced or removed, is a 404 like one that never existed.
 *
 * The bytes at one address never change (a new photo gets a new id), so the
 * browser may keep them; `private` keeps shared caches from storing them, so
 * nothing serves a photo after its owner took it down. The type is the one
 * Quorum encoded, with `nosniff`.
 */
import { Router } from 'express';
import { AVATAR_SIZES } from '../../../../shared/avatars.js';
import { NotFoundError } from '../../errors.js';
import { AVATAR_ID, AvatarModel } from '../../models/avatar.js';
import { UserModel } from '../../models/user.js';

/** A day in the browser's own cache; a removed photo's address is no longer shown anywhere. */
export const AVATAR_CACHE_CONTROL = 'private, max-age=86400, immutable';

const photoNotFound = () => NotFoundError('Photo not found');

export function avatarsRouter(): Router {
  const router = Router();

  router.get('/:id/:size', async (req, res) => {
    const id = req.params.id;
    const size = Number(req.params.size);
    if (!AVATAR_ID.test(id) || !(AVATAR_SIZES as readonly number[]).includes(size))
      throw photoNotFound();
    const avatar = await AvatarModel.findById(id);
    const image = avatar?.images.find((i) => i.size === size);
    if (!avatar || !image) throw photoNotFound();
    const owner = await UserModel.findById(avatar.userId, {
      avatarId: 1,
      deactivatedAt: 1,
      deletedAt: 1,
    }).lean();
    if (!owner || owner.avatarId !== id || owner.deactivatedAt || owner.deletedAt)
      throw photoNotFound();
    res.setHeader('Content-Type', avatar.contentType);
    res.setHeader('Cache-Control', AVATAR_CACHE_CONTROL);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', String(image.data.length));
    res.end(image.data);
  });
  return router;
}
