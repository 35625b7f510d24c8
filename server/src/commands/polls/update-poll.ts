/**
 * Editing a poll: title, details, closing time, and anonymity, which may be
 * turned on but never off. Turning it on also removes the voter from every
 * earlier `vote_cast` event of the poll, in the same transaction: an
 * anonymous poll has no vote events at all, not even actor-less ones, whose
 * times could be matched with who was online. The tally as it stood was
 * public, so it becomes the first published batch (see publish-tallies.ts).
 */
import mongoose, { type Types } from 'mongoose';
import { docRefOf, prepareDocument, replaceDocumentText } from '../../collab/rest-edit.js';
import { HttpError } from '../../errors.js';
import { EventModel } from '../../models/event.js';
import { PollModel, type Poll, type PollDocument } from '../../models/poll.js';
import { publishTally } from './publish-tallies.js';

export interface UpdatePollProps {
  poll: PollDocument;
  title?: string;
  details?: string;
  closesAt?: Date | null;
  anonymous?: boolean;
  /** Who edits (named in the details' version history). */
  actorId: Types.ObjectId;
}

/** Turning anonymity off would expose voters who were promised anonymity. */
export const AnonymityIrreversibleError = () =>
  new HttpError(
    'anonymous_poll',
    409,
    'An anonymous poll cannot be made non-anonymous',
    'anonymous',
  );

/** Applies the changes given; returns the poll as stored (unchanged when nothing was given). */
export async function updatePoll(props: UpdatePollProps): Promise<PollDocument> {
  const { poll } = props;
  if (props.anonymous === false && poll.anonymous) throw AnonymityIrreversibleError();
  const set: Partial<Pick<Poll, 'title' | 'closesAt' | 'anonymous'>> = {};
  if (props.title !== undefined) set.title = props.title;
  const { details } = props;
  // The details are a collaborative document: the new text goes into it (collab/rest-edit.ts).
  const ref =
    details !== undefined && details !== poll.details
      ? docRefOf('poll', poll._id, 'details')
      : null;
  if (props.closesAt !== undefined) set.closesAt = props.closesAt;
  const becomesAnonymous = props.anonymous === true && !poll.anonymous;
  if (becomesAnonymous) set.anonymous = true;
  if (Object.keys(set).length === 0 && !ref) return poll;
  if (ref) await prepareDocument(ref);
  await mongoose.connection.transaction(async (session) => {
    if (ref && details !== undefined)
      await replaceDocumentText({
        ref,
        markdown: details,
        recordText: poll.details,
        userId: props.actorId,
        session,
      });
    if (Object.keys(set).length > 0)
      await PollModel.updateOne({ _id: poll._id }, { $set: set }, { session });
    if (becomesAnonymous) {
      await EventModel.deleteMany({ pollId: poll._id, kind: 'vote_cast' }, { session });
      await publishTally(poll._id, new Date(), session);
    }
  });
  const updated = await PollModel.findById(poll._id);
  if (!updated) throw new Error('poll vanished during an edit');
  return updated;
}
