/** Input of the member routes: a page of the member list, and empty bodies for the actions. */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';

export const listMembersSchema = paginationSchema;

/** Promote, demote, remove, leave and join take no input; any key is a mistake worth a 400. */
export const noBodySchema = z.strictObject({});
