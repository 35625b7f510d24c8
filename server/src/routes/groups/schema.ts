/** Input of the group routes. Unknown keys are refused, so a typo never passes silently. */
import { z } from 'zod';
import { paginationSchema } from '../../http/pagination.js';
import { HANDLE_PATTERN, OBJECT_ID_PATTERN } from '../../commands/groups/rules.js';

export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HANDLE_PATTERN, 'A handle is 3 to 40 lowercase letters, digits or hyphens')
  .refine((handle) => !OBJECT_ID_PATTERN.test(handle), 'A handle cannot look like an id');

const name = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(100)
  .regex(/^[^\r\n]*$/, 'A name is one line');
const description = z.string().max(5000);
const privacy = z.enum(['open', 'closed', 'secret']);
const membershipPolicy = z.enum(['open', 'request', 'invitation']);
const permissions = z
  .strictObject({
    membersCanStartDiscussions: z.boolean(),
    membersCanAddMembers: z.boolean(),
    membersCanEditComments: z.boolean(),
    membersCanRaiseProposals: z.boolean(),
    membersCanVote: z.boolean(),
  })
  .partial();

export const objectIdSchema = z.string().regex(OBJECT_ID_PATTERN, 'Not a valid id');

export const createGroupSchema = z.strictObject({
  /** The group's address; required unless the group is secret, which has none. */
  handle: handleSchema.optional(),
  name,
  description: description.optional(),
  privacy: privacy.default('closed'),
  membershipPolicy: membershipPolicy.optional(),
  permissions: permissions.optional(),
  /** Creates a subgroup of this group (its coordinators only). */
  parentId: objectIdSchema.nullable().optional(),
  parentMembersCanSee: z.boolean().optional(),
});

export const updateGroupSchema = z
  .strictObject({
    /** A new address; not for a secret group. A group leaving secrecy must be given one. */
    handle: handleSchema,
    name,
    description,
    privacy,
    membershipPolicy,
    permissions,
    parentMembersCanSee: z.boolean(),
  })
  .partial();

export const listGroupsSchema = paginationSchema.extend({
  /** `1`: open groups anyone may discover, instead of the viewer's own groups. */
  public: z.enum(['1', 'true', '0', 'false']).optional(),
  /** The subgroups of this group that the viewer may see. */
  parentId: z.string().max(40).optional(),
});
