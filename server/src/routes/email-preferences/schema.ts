/**
 * Input of `PATCH /api/me/email-preferences`: any of the parts, each checked
 * strictly (an unknown kind or key is refused, not ignored). `groups` entries
 * set one group's level, or remove its own level with `null`.
 */
import { z } from 'zod';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../../shared/domain.js';
import { GROUP_EMAIL_LEVELS } from '../../../../shared/email.js';
import { objectId } from '../discussions/schema.js';

const level = z.enum(GROUP_EMAIL_LEVELS, `must be one of ${GROUP_EMAIL_LEVELS.join(', ')}`);
const onOff = z.boolean('must be true or false');

export const updateEmailPreferencesSchema = z
  .strictObject({
    kinds: z
      .strictObject(
        Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, onOff.optional()])) as Record<
          NotificationKind,
          z.ZodOptional<typeof onOff>
        >,
      )
      .optional(),
    defaultGroupLevel: level.optional(),
    groups: z
      .array(z.strictObject({ groupId: objectId, level: level.nullable() }))
      .max(200, 'must list at most 200 groups')
      .refine(
        (list) => new Set(list.map((g) => g.groupId.toLowerCase())).size === list.length,
        'must name each group once',
      )
      .optional(),
    digest: onOff.optional(),
  })
  .refine(
    (v) => Object.keys(v).length > 0,
    'must change at least one of kinds, defaultGroupLevel, groups, digest',
  );

export type UpdateEmailPreferences = z.infer<typeof updateEmailPreferencesSchema>;
