/** Input of the comment routes (zod). */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';
import { MAX_COMMENT_LENGTH } from '../discussions/schema.js';

export const editCommentSchema = z.strictObject({
  body: z
    .string()
    .max(MAX_COMMENT_LENGTH)
    .refine((body) => body.trim().length > 0, 'Must not be empty'),
});

/** History pages: the cursor is the number of revisions already shown. */
export const historyPageSchema = paginationSchema.extend({
  cursor: z
    .string()
    .regex(/^\d{1,6}$/, 'Must be a cursor returned by the previous page')
    .optional(),
});

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const EMOJI_START = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)/u;
const EMOJI_NAME = /^:[a-z0-9_+-]{1,30}:$/;

/** Whether a reaction is one emoji (one grapheme, however many code points) or a short `:name:`. */
export function isReactionEmoji(value: string): boolean {
  if (value.length === 0 || value.length > 32) return false;
  if (EMOJI_NAME.test(value)) return true;
  return EMOJI_START.test(value) && [...graphemes.segment(value)].length === 1;
}

export const reactionParamsSchema = z.object({
  emoji: z.string().refine(isReactionEmoji, 'Must be a single emoji or a :name:'),
});
