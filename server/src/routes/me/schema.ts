/**
 * Input of `PATCH /api/me`. Only the profile fields a person edits here are
 * accepted (unknown keys such as `email` or `isAdmin` are refused, not
 * ignored). The photo is uploaded on its own (`PUT /api/me/avatar`).
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { handleSchema, nameSchema } from '../auth/schema.js';

export const updateMeSchema = z
  .strictObject({
    name: nameSchema.optional(),
    handle: handleSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'must change at least one of name, handle');

/** A password confirming a grave step. */
const confirmingPassword = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** Input of `POST /api/me/deactivate`: the password. */
export const deactivateSchema = z.strictObject({ password: confirmingPassword });

/** Input of `POST /api/me/delete`: the password and the word DELETE typed out, so it cannot happen by a slip. */
export const deleteAccountSchema = z.strictObject({
  password: confirmingPassword,
  confirm: z.literal('DELETE', { error: 'must be the word DELETE' }),
});
