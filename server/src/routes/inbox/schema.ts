/** Input of the inbox and notification routes (zod). */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';
import { objectId } from '../discussions/schema.js';

export const inboxPageSchema = paginationSchema;
export const notificationsPageSchema = paginationSchema;

/** Mark some notifications (`ids`, up to 100) or all of one's notifications as read. */
export const markNotificationsReadSchema = z.union([
  z.strictObject({ ids: z.array(objectId).min(1).max(100) }),
  z.strictObject({ all: z.literal(true) }),
]);
