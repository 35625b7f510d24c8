/** Input of the moderation routes: reports, actions, restrictions, settings. */
import { z } from 'zod';
import {
  MODERATION_ACTIONS,
  REPORT_REASONS,
  REPORT_TARGET_KINDS,
} from '../../../../shared/moderation.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'Must be an id');
/** Every moderation action says why: it goes to the audit log and to the person concerned. */
const reason = z
  .string()
  .trim()
  .min(1, 'Give a reason')
  .max(1000, 'A reason is at most 1000 characters');
/** Up to a year. */
const minutes = z.number().int().min(1).max(525_600);

const target = z.strictObject({ kind: z.enum(REPORT_TARGET_KINDS), id: objectId });

export const reportSchema = z.strictObject({
  target,
  /** Required when reporting a person: the group they are reported to. */
  groupId: objectId.optional(),
  reason: z.enum(REPORT_REASONS),
  note: z.string().trim().max(1000, 'A note is at most 1000 characters').default(''),
});

export const actionSchema = z.strictObject({
  target,
  action: z.enum(MODERATION_ACTIONS),
  reason,
  /** Mutes (required) and bans (absent: until lifted). */
  minutes: minutes.optional(),
});

export const reasonSchema = z.strictObject({ reason });

export const slowModeSchema = z.strictObject({
  /** 0 turns slow mode off; at most an hour. */
  seconds: z.number().int().min(0).max(3600),
  reason,
});

export const holdPostsSchema = z.strictObject({
  holdPosts: z.enum(['off', 'first', 'recent']),
  holdDays: z.number().int().min(1).max(365).default(3),
  reason,
});

export const siteActionSchema = z.strictObject({
  target,
  action: z.enum(['dismiss', 'remove_content']),
  reason,
});

export const suspendSchema = z.strictObject({ reason, minutes: minutes.optional() });

export const noBodySchema = z.strictObject({});
