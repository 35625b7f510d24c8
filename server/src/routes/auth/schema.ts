/**
 * Input of the `/api/auth` routes. Emails are trimmed and lowercased before
 * they are validated, so `Ada@Example.org` and `ada@example.org` are one
 * account; display names are free text (no real-name rules, P7) without
 * control characters; passwords are 8 to 200 characters when set and at most
 * 200 when checked, so nobody pays for hashing a megabyte.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { HANDLE_PATTERN } from '../../commands/accounts/handle.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'));

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters');

export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HANDLE_PATTERN, 'must be 2 to 30 letters, digits or underscores');

/** A password being set. */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** A password being checked: any length a set password can have. */
const givenPasswordSchema = z
  .string()
  .min(1, 'is required')
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** An emailed token: 32 random bytes in base64url are 43 characters. */
const tokenSchema = z
  .string()
  .min(1, 'is required')
  .max(200, 'is not a valid token')
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a valid token');

export const signUpSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  password: newPasswordSchema,
  handle: handleSchema.optional(),
});

export const signInSchema = z.object({ email: emailSchema, password: givenPasswordSchema });

export const changePasswordSchema = z.object({
  currentPassword: givenPasswordSchema,
  newPassword: newPasswordSchema,
});

export const emailRequestSchema = z.object({ email: emailSchema });

export const tokenOnlySchema = z.object({ token: tokenSchema });

export const resetPasswordSchema = z.object({ token: tokenSchema, newPassword: newPasswordSchema });
