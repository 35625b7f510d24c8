/** Input of the privacy routes: dismissing the policy notice takes no body. */
import { z } from 'zod';

export const noBodySchema = z.strictObject({});
