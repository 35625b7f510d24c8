/**
 * The zod schemas of meeting input: the actions (one discriminated union,
 * shared by `POST /api/meetings/:id/actions` and the socket's `meeting:act`),
 * and the bodies of the REST routes that create and edit meetings.
 */
import { z } from 'zod';
import { HAND_KINDS, QUICK_VOTE_KINDS, TEMPERATURE_SIGNALS } from '../../../../shared/meetings.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;
const id = z.string().regex(OBJECT_ID, 'must be an id');
/** Client-generated ids that make a repeated action (a double click, a retry) happen once. */
const clientId = z.string().min(8, 'must be at least 8 characters').max(64);
const itemId = z.string().min(1).max(64);
const title = z.string().trim().min(1, 'must not be empty').max(200);
const notes = z.string().max(5000);
const timebox = z
  .number('must be a number of seconds')
  .int('must be a whole number of seconds')
  .min(10, 'must be at least 10 seconds')
  .max(6 * 3600, 'must be at most 6 hours');
/** A meeting's expected length. */
const expectedMinutes = z
  .number('must be a number of minutes')
  .int('must be a whole number of minutes')
  .min(5, 'must be at least 5 minutes')
  .max(24 * 60, 'must be at most 24 hours');
/** When a meeting is scheduled: an ISO date and time. */
const when = z.coerce.date('must be a date and time');
const target = z.enum(['item', 'speaker']);

export const meetingActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('meeting.start') }),
  z.strictObject({ type: z.literal('meeting.end') }),
  z.strictObject({
    type: z.literal('agenda.add'),
    clientId,
    title,
    notes: notes.optional(),
    timeboxSeconds: timebox,
    discussionId: id.nullable().optional(),
    pollId: id.nullable().optional(),
  }),
  z.strictObject({
    type: z.literal('agenda.edit'),
    itemId,
    title: title.optional(),
    notes: notes.optional(),
    timeboxSeconds: timebox.optional(),
    discussionId: id.nullable().optional(),
    pollId: id.nullable().optional(),
  }),
  z.strictObject({ type: z.literal('agenda.remove'), itemId }),
  z.strictObject({ type: z.literal('agenda.reorder'), itemIds: z.array(itemId).max(200) }),
  z.strictObject({ type: z.literal('agenda.next'), from: itemId.nullable() }),
  z.strictObject({ type: z.literal('agenda.goto'), itemId }),
  z.strictObject({ type: z.literal('timer.pause'), target }),
  z.strictObject({ type: z.literal('timer.resume'), target }),
  z.strictObject({ type: z.literal('timer.add_minute'), target }),
  z.strictObject({ type: z.literal('hand.raise'), kind: z.enum(HAND_KINDS), clientId }),
  z.strictObject({ type: z.literal('hand.lower') }),
  z.strictObject({ type: z.literal('speaker.next'), from: id.nullable() }),
  z.strictObject({ type: z.literal('speaker.call'), handId: id }),
  z.strictObject({ type: z.literal('speaker.finish'), handId: id }),
  z.strictObject({ type: z.literal('hand.skip'), handId: id }),
  z.strictObject({ type: z.literal('hand.remove'), handId: id }),
  z.strictObject({ type: z.literal('queue.reorder'), handIds: z.array(id).max(2000) }),
  z.strictObject({
    type: z.literal('settings'),
    progressiveStack: z.boolean().optional(),
    speakingCapSeconds: z.number().int().min(10).max(3600).nullable().optional(),
  }),
  z.strictObject({
    type: z.literal('temperature'),
    signal: z.enum(TEMPERATURE_SIGNALS).nullable(),
  }),
  z.strictObject({
    type: z.literal('vote.open'),
    clientId,
    kind: z.enum(QUICK_VOTE_KINDS),
    title,
    options: z.array(z.string().trim().min(1).max(200)).min(2).max(20).optional(),
    durationSeconds: z
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .nullable(),
    hidden: z.boolean(),
  }),
  z.strictObject({ type: z.literal('vote.close') }),
  z.strictObject({ type: z.literal('vote.reveal') }),
  z.strictObject({ type: z.literal('minutes.taker'), userId: id.nullable() }),
  z.strictObject({ type: z.literal('minutes.publish'), clientId }),
]);
export type ActionInput = z.infer<typeof meetingActionSchema>;

/** `POST /api/meetings/:id/actions` and `meeting:act`: `{ action }`. */
export const actRequestSchema = z.strictObject({ action: meetingActionSchema });

/** `POST /api/groups/:group/meetings`. */
export const createMeetingSchema = z.strictObject({
  title,
  scheduledAt: when,
  expectedMinutes,
  /** Members of the group who facilitate besides the creator. */
  facilitatorIds: z.array(id).max(20).default([]),
  /** Discussions of the group; quick votes are opened in the first. */
  discussionIds: z.array(id).max(20).default([]),
  progressiveStack: z.boolean().default(true),
  speakingCapSeconds: z.number().int().min(10).max(3600).nullable().default(null),
});
export type CreateMeetingInput = z.infer<typeof createMeetingSchema>;

/** `PATCH /api/meetings/:id`: any of the create fields, before the meeting ends. */
export const updateMeetingSchema = z.strictObject({
  title: title.optional(),
  scheduledAt: when.optional(),
  expectedMinutes: expectedMinutes.optional(),
  facilitatorIds: z.array(id).max(20).optional(),
  discussionIds: z.array(id).max(20).optional(),
});
export type UpdateMeetingInput = z.infer<typeof updateMeetingSchema>;

/** `GET /api/groups/:group/meetings?state=`. */
export const listMeetingsSchema = z.strictObject({
  state: z.enum(['scheduled', 'live', 'ended']).optional(),
});
