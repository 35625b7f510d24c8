/** Input of the invitation routes. */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';
import { nameSchema, handleSchema, newPasswordSchema } from '../auth/schema.js';
import { objectIdSchema } from '../groups/schema.js';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('Not a valid email address'));
const emails = z
  .array(email)
  .min(1, 'Give at least one address')
  .max(50, 'At most 50 addresses at a time')
  .transform((list) => [...new Set(list)]);
const message = z.string().trim().max(2000);

export const createGroupInvitationsSchema = z.strictObject({
  emails,
  /** Only coordinators may invite coordinators. */
  role: z.enum(['member', 'coordinator']).default('member'),
  message: message.optional(),
});

/** Guests to one discussion: they join the discussion, not its group. */
export const createGuestInvitationsSchema = z.strictObject({
  discussionId: objectIdSchema,
  emails,
  message: message.optional(),
});

export const listInvitationsSchema = paginationSchema.extend({
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']).optional(),
});

export const noBodySchema = z.strictObject({});

/** Signing up through an invitation: the account takes the invited address, so none is given. */
export const signUpInvitedSchema = z.strictObject({
  name: nameSchema,
  password: newPasswordSchema,
  handle: handleSchema.optional(),
});
