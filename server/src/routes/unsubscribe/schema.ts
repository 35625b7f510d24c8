/** The unsubscribe token in the path: a compact JWT, bounded in length. */
import { z } from 'zod';

export const unsubscribeParamsSchema = z.strictObject({
  token: z
    .string()
    .max(1000, 'must be at most 1000 characters')
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be an unsubscribe token'),
});
