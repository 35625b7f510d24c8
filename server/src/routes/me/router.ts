import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { HandleTakenError, isDuplicateOn } from '../../commands/accounts/errors.js';
import { isReservedHandle } from '../../commands/accounts/handle.js';
import { parse } from '../../http/validate.js';
import { UserModel } from '../../models/user.js';
import { presentSelf } from '../../presenters/user.js';
import { updateMeSchema } from './schema.js';

/**
 * `/api/me`: the signed-in person's own profile (401 for visitors).
 * `GET` reads it; `PATCH` changes the name or handle (the photo: avatar-router.ts).
 */
export function meRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    requireUser(req);
    res.json({ user: presentSelf(req.viewer.user) });
  });

  router.patch('/', async (req, res) => {
    requireUser(req);
    const changes = parse(updateMeSchema, req.body);
    const me = req.viewer.user;
    if (changes.handle !== undefined && changes.handle !== me.handle) {
      const taken = await UserModel.exists({ handle: changes.handle, _id: { $ne: me._id } });
      if (taken || isReservedHandle(changes.handle)) throw HandleTakenError();
    }
    try {
      const user = await UserModel.findOneAndUpdate(
        { _id: me._id },
        { $set: changes },
        { returnDocument: 'after', runValidators: true },
      ).orFail();
      res.json({ user: presentSelf(user) });
    } catch (error) {
      // Two people claiming the same free handle at once: the unique index decides.
      if (isDuplicateOn(error, 'handle')) throw HandleTakenError();
      throw error;
    }
  });
  return router;
}
