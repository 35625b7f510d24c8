/**
 * Input of the discussion routes (zod). Ids are checked for shape here;
 * whether they name something the viewer may see is the handler's question.
 */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';

export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'Must be an id');

/** Largest discussion context (markdown), in characters. */
export const MAX_CONTEXT_LENGTH = 100_000;
export const MAX_TITLE_LENGTH = 200;
/** Largest comment body, in characters. */
export const MAX_COMMENT_LENGTH = 20_000;

const title = z.string().trim().min(1, 'Must not be empty').max(MAX_TITLE_LENGTH);
const context = z.string().max(MAX_CONTEXT_LENGTH);

export const createDiscussionSchema = z.strictObject({
  /** Omitted: a discussion among invited guests only, outside any group. */
  groupId: objectId.optional(),
  title,
  context: context.default(''),
  private: z.boolean().optional(),
});

export const updateDiscussionSchema = z
  .strictObject({ title: title.optional(), context: context.optional() })
  .refine((value) => value.title !== undefined || value.context !== undefined, {
    message: 'Give a title or a context',
  });

export const moveDiscussionSchema = z.strictObject({ groupId: objectId });

export const listDiscussionsSchema = paginationSchema.extend({ groupId: objectId });

/** Lists in timeline order: `?after=<sequence>` (or the `cursor` of the previous page). */
export const timelinePageSchema = paginationSchema.extend({
  after: z.coerce.number().int().min(0).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'Must be a cursor returned by the previous page')
    .optional(),
});

/** Where a timeline page starts: after `after`, else after the cursor, else from the start. */
export const pageStart = (page: z.infer<typeof timelinePageSchema>) =>
  page.after ?? (page.cursor !== undefined ? Number(page.cursor) : 0);

export const postCommentSchema = z.strictObject({
  body: z
    .string()
    .max(MAX_COMMENT_LENGTH)
    .refine((body) => body.trim().length > 0, 'Must not be empty'),
  parentId: objectId.optional(),
  clientId: z.string().min(1).max(64).optional(),
});

export const markReadSchema = z.strictObject({ sequence: z.number().int().min(0) });
