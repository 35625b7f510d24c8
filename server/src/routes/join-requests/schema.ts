/** Input of the join-request routes. */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';

export const createJoinRequestSchema = z.strictObject({
  /** A few words to the coordinators about who one is and why one wants to join. */
  introduction: z
    .string()
    .trim()
    .max(1000, 'An introduction is at most 1000 characters')
    .default(''),
});

export const listJoinRequestsSchema = paginationSchema.extend({
  status: z.enum(['pending', 'approved', 'declined']).default('pending'),
});

export const noBodySchema = z.strictObject({});
