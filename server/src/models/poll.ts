/**
 * A proposal or poll inside a discussion. `anonymous` can be turned on but
 * never off; results may be hidden until one has voted or until closing, and
 * the server enforces that for every viewer.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import type { HideResults, PollKind } from '../../../shared/domain.js';
import { POLL_KINDS } from '../../../shared/domain.js';

export interface PollOptionRecord {
  id: string;
  label: string;
  startsAt?: string;
}

export interface Outcome {
  statement: string;
  authorId: Types.ObjectId;
  createdAt: Date;
}

export interface Poll {
  _id: Types.ObjectId;
  discussionId: Types.ObjectId;
  groupId: Types.ObjectId | null;
  authorId: Types.ObjectId;
  kind: PollKind;
  title: string;
  details: string;
  options: PollOptionRecord[];
  minChoices: number | null;
  maxChoices: number | null;
  minScore: number | null;
  maxScore: number | null;
  dotsPerPerson: number | null;
  threshold: number | null;
  closesAt: Date | null;
  closedAt: Date | null;
  anonymous: boolean;
  hideResults: HideResults;
  /** When a meeting's facilitator revealed the results (`hideResults: 'until_revealed'`). */
  revealedAt: Date | null;
  /** When set, only these members may vote. */
  voterIds: Types.ObjectId[] | null;
  reasonRequired: boolean;
  outcome: Outcome | null;
  voterCount: number;
  /**
   * Votes cast or changed since the anonymous tally was last published (read
   * only for anonymous polls; turning anonymity on resets it). Every cast
   * increments it, so a vote and a close of the same poll always write the
   * same document and cannot both commit.
   */
  unpublishedVotes: number;
  /** Anonymous polls: when the tally last moved for everyone (null: never yet). */
  tallyPublishedAt: Date | null;
  /** Anonymous polls: the voter count as of that publication. */
  publishedVoterCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const pollSchema = new Schema<Poll>(
  {
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true, index: true },
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    kind: { type: String, enum: POLL_KINDS, required: true },
    title: { type: String, required: true, trim: true },
    details: { type: String, default: '' },
    options: [{ _id: false, id: String, label: String, startsAt: String }],
    minChoices: { type: Number, default: null },
    maxChoices: { type: Number, default: null },
    minScore: { type: Number, default: null },
    maxScore: { type: Number, default: null },
    dotsPerPerson: { type: Number, default: null },
    threshold: { type: Number, default: null },
    closesAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    anonymous: { type: Boolean, default: false },
    hideResults: {
      type: String,
      enum: ['never', 'until_voted', 'until_closed', 'until_revealed'],
      default: 'never',
    },
    revealedAt: { type: Date, default: null },
    voterIds: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: null },
    reasonRequired: { type: Boolean, default: false },
    outcome: {
      type: new Schema<Outcome>(
        {
          statement: String,
          authorId: { type: Schema.Types.ObjectId, ref: 'User' },
          createdAt: Date,
        },
        { _id: false },
      ),
      default: null,
    },
    voterCount: { type: Number, default: 0 },
    unpublishedVotes: { type: Number, default: 0 },
    tallyPublishedAt: { type: Date, default: null },
    publishedVoterCount: { type: Number, default: 0 },
  },
  { timestamps: true },
);
// The closing job's query: open polls (closedAt null) due by now.
pollSchema.index({ closedAt: 1, closesAt: 1 });
// The tally publisher's query: open anonymous polls with votes waiting.
pollSchema.index({ anonymous: 1, closedAt: 1, unpublishedVotes: 1 });
// A discussion's polls, newest first.
pollSchema.index({ discussionId: 1, _id: -1 });

export type PollDocument = HydratedDocument<Poll>;
export const PollModel = model<Poll>('Poll', pollSchema);
