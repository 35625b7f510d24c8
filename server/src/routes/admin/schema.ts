/** Input of the `/api/admin` routes. */
import { z } from 'zod';

/** A redaction must say why: the reason is kept in the audit log (and shown to the person, not to their groups). */
export const redactSchema = z.strictObject({
  reason: z
    .string({ error: 'is required' })
    .trim()
    .min(3, 'must say why, in a few words')
    .max(2000, 'must be at most 2000 characters'),
});

export const noBodySchema = z.strictObject({});
