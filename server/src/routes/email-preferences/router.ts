/**
 * `/api/me/email-preferences`: which emails the signed-in person gets (401 for
 * visitors). `GET` reads them (the defaults until first changed); `PATCH`
 * changes any part, and a group level only for groups one belongs to.
 */
import { Router } from 'express';
import { Types } from 'mongoose';
import { requireUser } from '../../auth/authenticate.js';
import { ValidationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { loadEmailPreferences } from '../../mail/preferences.js';
import { EmailPreferenceModel } from '../../models/email-preference.js';
import { MembershipModel } from '../../models/membership.js';
import { presentEmailPreferences } from '../../presenters/email-preferences.js';
import { updateEmailPreferencesSchema, type UpdateEmailPreferences } from './schema.js';

async function groupLevels(
  userId: Types.ObjectId,
  changes: NonNullable<UpdateEmailPreferences['groups']>,
) {
  const ids = changes.map((g) => new Types.ObjectId(g.groupId));
  const memberships = await MembershipModel.find(
    { userId, groupId: { $in: ids } },
    { groupId: 1 },
  ).lean();
  const mine = new Set(memberships.map((m) => String(m.groupId)));
  changes.forEach((change, i) => {
    // Removing a level is always allowed (one may have left the group since).
    if (change.level !== null && !mine.has(change.groupId.toLowerCase()))
      throw ValidationError(`groups.${i}.groupId`, 'Not a group you belong to');
  });
  const current = (await loadEmailPreferences(userId)).groups;
  const untouched = current.filter(
    (g) => !changes.some((c) => c.groupId.toLowerCase() === String(g.groupId)),
  );
  const set = changes.flatMap((c) =>
    c.level === null ? [] : [{ groupId: new Types.ObjectId(c.groupId), level: c.level }],
  );
  return [...untouched, ...set];
}

export function emailPreferencesRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    requireUser(req);
    res.json({
      preferences: presentEmailPreferences(await loadEmailPreferences(req.viewer.user._id)),
    });
  });

  router.patch('/', async (req, res) => {
    requireUser(req);
    const changes = parse(updateEmailPreferencesSchema, req.body);
    const userId = req.viewer.user._id;
    const set: Record<string, unknown> = {};
    for (const [kind, on] of Object.entries(changes.kinds ?? {})) {
      if (on !== undefined) set[`kinds.${kind}`] = on;
    }
    if (changes.defaultGroupLevel !== undefined) set.defaultGroupLevel = changes.defaultGroupLevel;
    if (changes.digest !== undefined) set.digest = changes.digest;
    if (changes.groups !== undefined) set.groups = await groupLevels(userId, changes.groups);
    if (Object.keys(set).length > 0) {
      await EmailPreferenceModel.updateOne(
        { userId },
        { $set: set, $setOnInsert: { userId } },
        { upsert: true, runValidators: true },
      );
    }
    res.json({ preferences: presentEmailPreferences(await loadEmailPreferences(userId)) });
  });
  return router;
}
