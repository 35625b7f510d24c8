/**
 * A group (or subgroup, with `parentId`). Privacy: `open` (public, content
 * readable by anyone), `closed` (visible, content for members), `secret`
 * (invisible to non-members). Permission flags are set by coordinators.
 *
 * Only open and closed groups have a handle (their address, `/g/<handle>`);
 * a secret group has none and is reached by its id. Handles are unique among
 * the groups that have one, so "that handle is taken" can never confirm that
 * a secret group exists.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import type { GroupPermissions, GroupPrivacy, MembershipPolicy } from '../../../shared/domain.js';
import type { HoldPosts } from '../../../shared/moderation.js';

export interface Group {
  _id: Types.ObjectId;
  /** Lowercase, unique; null for a secret group (see above). */
  handle: string | null;
  name: string;
  description: string;
  privacy: GroupPrivacy;
  /** For open groups: whether people join directly, ask, or need an invitation. */
  membershipPolicy: MembershipPolicy;
  parentId: Types.ObjectId | null;
  /** Subgroups only: members of the parent may see this subgroup (closed/secret). */
  parentMembersCanSee: boolean;
  permissions: GroupPermissions;
  createdById: Types.ObjectId;
  /**
   * Bumped inside every transaction that changes who coordinates the group, so
   * two concurrent demotions or removals conflict (one retries and sees the
   * other) instead of both passing the "keeps a coordinator" check.
   */
  rosterVersion: number;
  /** Hold first posts: which members' comments wait for a moderator's approval. */
  moderation: { holdPosts: HoldPosts; holdDays: number };
  createdAt: Date;
  updatedAt: Date;
}

const groupSchema = new Schema<Group>(
  {
    handle: { type: String, default: null, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    description: { type: String, default: '' },
    privacy: { type: String, enum: ['open', 'closed', 'secret'], required: true },
    membershipPolicy: { type: String, enum: ['open', 'request', 'invitation'], default: 'request' },
    parentId: { type: Schema.Types.ObjectId, ref: 'Group', default: null, index: true },
    parentMembersCanSee: { type: Boolean, default: true },
    permissions: {
      membersCanStartDiscussions: { type: Boolean, default: true },
      membersCanAddMembers: { type: Boolean, default: false },
      membersCanEditComments: { type: Boolean, default: true },
      membersCanRaiseProposals: { type: Boolean, default: true },
      membersCanVote: { type: Boolean, default: true },
    },
    createdById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    rosterVersion: { type: Number, default: 0 },
    moderation: {
      holdPosts: { type: String, enum: ['off', 'first', 'recent'], default: 'off' },
      holdDays: { type: Number, default: 3 },
    },
  },
  { timestamps: true },
);

groupSchema.index(
  { handle: 1 },
  { unique: true, partialFilterExpression: { handle: { $type: 'string' } } },
);

export type GroupDocument = HydratedDocument<Group>;
export const GroupModel = model<Group>('Group', groupSchema);
