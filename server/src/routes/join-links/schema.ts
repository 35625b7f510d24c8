/** Input of the join-link routes. */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';

export const createJoinLinkSchema = z.strictObject({
  /** Days until the link stops working (1 to 90). */
  expiresInDays: z.number().int().min(1, 'At least one day').max(90, 'At most 90 days').default(7),
  /** How many people may join through it (1 to 1000). */
  maxUses: z.number().int().min(1, 'At least one use').max(1000, 'At most 1000 uses').default(20),
});

export const listJoinLinksSchema = paginationSchema;

export const noBodySchema = z.strictObject({});
