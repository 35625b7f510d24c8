/**
 * One person's vote (stance) in a poll, with a reason. In an anonymous poll the
 * voter is still recorded (to allow changing one's vote and to export it to its
 * owner) but presenters never let the identity leave the server.
 */
import { randomBytes } from 'node:crypto';
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface VoteChoice {
  optionId: string;
  value: number;
}

export interface Vote {
  _id: Types.ObjectId;
  pollId: Types.ObjectId;
  discussionId: Types.ObjectId;
  userId: Types.ObjectId;
  choices: VoteChoice[];
  reason: string;
  /**
   * Random, fixed at creation: the order anonymous votes are listed in, so
   * neither the order nor the cursor of a page hints at who voted when.
   */
  sortKey: string;
  /**
   * When this version of the vote went on the timeline as a `vote_cast` event;
   * null while it waits for the poll's results to open to everyone (its
   * closing). Never set in anonymous polls, which have no vote events.
   */
  announcedAt: Date | null;
  /**
   * Anonymous polls: the version of this ballot the published tally counts
   * (null until a batch has taken it in), so a change shows only in a batch.
   */
  published: { choices: VoteChoice[]; reason: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

const voteSchema = new Schema<Vote>(
  {
    pollId: { type: Schema.Types.ObjectId, ref: 'Poll', required: true },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    choices: [{ _id: false, optionId: String, value: Number }],
    reason: { type: String, default: '' },
    sortKey: { type: String, default: () => randomBytes(12).toString('hex') },
    announcedAt: { type: Date, default: null },
    published: {
      type: new Schema(
        { choices: [{ _id: false, optionId: String, value: Number }], reason: String },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true },
);
voteSchema.index({ pollId: 1, userId: 1 }, { unique: true });
// Listing a poll's votes: newest first when named, by sortKey when anonymous.
voteSchema.index({ pollId: 1, _id: -1 });
voteSchema.index({ pollId: 1, sortKey: 1 });

export type VoteDocument = HydratedDocument<Vote>;
export const VoteModel = model<Vote>('Vote', voteSchema);
