/** Input of the support-access routes. */
import { z } from 'zod';

/** The longest grant: one week. Coordinators grant again if help takes longer. */
export const MAX_SUPPORT_HOURS = 168;

export const grantSupportSchema = z.strictObject({
  hours: z
    .number('must be a number of hours')
    .int('must be a whole number of hours')
    .min(1, `must be from 1 to ${MAX_SUPPORT_HOURS} hours`)
    .max(MAX_SUPPORT_HOURS, `must be from 1 to ${MAX_SUPPORT_HOURS} hours`),
});

export const noBodySchema = z.strictObject({});
