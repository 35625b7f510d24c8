/**
 * Input of the poll routes. zod checks shapes and sizes; the poll rules
 * themselves (options per kind, ranges, settings of other kinds) and ballots
 * are checked by the shared `validateRules` and `validateChoices`, so the web
 * form and the server refuse the same input with the same field.
 */
import { z } from 'zod';
import { POLL_KINDS } from '../../../../shared/domain.js';
import { paginationSchema } from '../../http/pagination.js';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** The latest closing time accepted: a poll is a decision, not an archive. */
export const MAX_POLL_DURATION_MS = 5 * 366 * 24 * 60 * 60 * 1000;

/** A closing time: ISO-8601 with a time zone, in the future, at most five years ahead. */
const futureDate = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date and time with a time zone' })
  .transform((text) => new Date(text))
  .refine((date) => date.getTime() > Date.now(), 'must be in the future')
  .refine(
    (date) => date.getTime() <= Date.now() + MAX_POLL_DURATION_MS,
    'must be within five years',
  );

const count = z.number().int('must be a whole number');

/** `POST /api/discussions/:id/polls`. */
export const createPollSchema = z.strictObject({
  kind: z.enum(POLL_KINDS),
  title: z.string().trim().min(1, 'must not be empty').max(250),
  details: z.string().max(20_000).default(''),
  /** The author's options (choice kinds only); ids are generated when left out. */
  options: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(64).optional(),
        label: z.string().max(200),
        startsAt: z.string().max(64).optional(),
      }),
    )
    .max(100)
    .optional(),
  minChoices: count.optional(),
  maxChoices: count.optional(),
  minScore: count.optional(),
  maxScore: count.optional(),
  dotsPerPerson: count.optional(),
  threshold: count.optional(),
  /** Required except for proposals, which may stay open until someone closes them. */
  closesAt: futureDate.nullable().optional(),
  anonymous: z.boolean().default(false),
  hideResults: z.enum(['never', 'until_voted', 'until_closed']).default('never'),
  /** Only these people may vote; each must be a member of the group or a guest of the discussion. */
  voterIds: z.array(z.string().regex(OBJECT_ID, 'must be a user id')).min(1).max(1000).optional(),
  reasonRequired: z.boolean().default(false),
});
export type CreatePollInput = z.infer<typeof createPollSchema>;

/** `PATCH /api/polls/:id`. */
export const updatePollSchema = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(250).optional(),
  details: z.string().max(20_000).optional(),
  /** Null removes the closing time (proposals only). */
  closesAt: futureDate.nullable().optional(),
  /** May be turned on; turning it off is refused (409 `anonymous_poll`). */
  anonymous: z.boolean().optional(),
});

/** `PUT /api/polls/:id/vote`: the ballot, checked in full by validateChoices. */
export const voteSchema = z.strictObject({
  choices: z.array(z.strictObject({ optionId: z.string().max(64), value: z.number() })).max(100),
  reason: z.string().max(5000).default(''),
});

/** `POST /api/polls/:id/reopen`. */
export const reopenSchema = z.strictObject({
  /** The new closing time; when left out, the previous one if still ahead. */
  closesAt: futureDate.nullable().optional(),
});

/** `POST /api/polls/:id/outcome`. */
export const outcomeSchema = z.strictObject({
  statement: z.string().trim().min(1, 'must not be empty').max(10_000),
});

/** `?limit=&cursor=`, the cursor being one this API returned. */
export const pageSchema = paginationSchema.extend({
  cursor: z.string().regex(OBJECT_ID, 'is not a cursor this list returned').optional(),
});
