/**
 * A synchronous meeting of a group: its agenda, which item is current, the
 * shared timers, who is speaking and the quick votes opened during it. All of
 * it lives in this one document (hands and temperature signals have their own
 * collections, written by many people at once), so a restart mid-meeting
 * resumes from what is stored: timers from their stored start and elapsed
 * time, the queue from the hands.
 *
 * Minutes (issue 13) are a collaborative (Yjs) document keyed by the
 * meeting's id (`meeting:<id>:minutes`, collab/documents.ts), written by the
 * facilitators and the named `minuteTakerId`; the decisions and attendance the
 * server inserts into it are claimed in `minutesBlocks` (one key per block,
 * so several processes insert each once; meetings/minutes-blocks.ts); the
 * published Markdown is kept in `minutes`, immutable once set.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import {
  HAND_KINDS,
  MEETING_STATES,
  type HandKind,
  type MeetingState,
} from '../../../shared/meetings.js';

/** A stored timer: see `TimerDto` in shared/meetings.ts, and meetings/timers.ts. */
export interface TimerRecord {
  durationMs: number | null;
  elapsedMs: number;
  runningSince: Date | null;
}

export interface AgendaItemRecord {
  id: string;
  /** The client id of the `agenda.add` that created it, so a repeated add adds once. */
  clientId: string;
  title: string;
  notes: string;
  discussionId: Types.ObjectId | null;
  pollId: Types.ObjectId | null;
  timeboxSeconds: number;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface SpeakerRecord {
  handId: Types.ObjectId;
  userId: Types.ObjectId;
  kind: HandKind;
  timer: TimerRecord;
}

export interface QuickVoteRecord {
  /** The client id of the `vote.open` that opened it: a double click opens one vote. */
  clientId: string;
  /** Null only for the moment between claiming the client id and creating the poll. */
  pollId: Types.ObjectId | null;
  itemId: string | null;
  hidden: boolean;
  openedAt: Date;
}

/** The minutes as published (meetings/minutes.ts): set once, never changed. */
export interface PublishedMinutesRecord {
  markdown: string;
  publishedAt: Date;
  publishedById: Types.ObjectId;
  /** The client id of the publish: the same click repeated publishes once. */
  clientId: string;
  /** The discussion whose timeline they went to (null: the meeting had none). */
  discussionId: Types.ObjectId | null;
}

export interface Meeting {
  _id: Types.ObjectId;
  groupId: Types.ObjectId;
  /** Linked discussions of the group; quick votes go to the first. */
  discussionIds: Types.ObjectId[];
  title: string;
  scheduledAt: Date;
  expectedMinutes: number;
  createdById: Types.ObjectId;
  /** Named facilitators (the creator first); the group's coordinators may always facilitate. */
  facilitatorIds: Types.ObjectId[];
  state: MeetingState;
  startedAt: Date | null;
  endedAt: Date | null;
  progressiveStack: boolean;
  speakingCapSeconds: number | null;
  agenda: AgendaItemRecord[];
  currentItemId: string | null;
  itemTimer: TimerRecord | null;
  speaker: SpeakerRecord | null;
  quickVotes: QuickVoteRecord[];
  /** The participant named to write the minutes with the facilitators. */
  minuteTakerId: Types.ObjectId | null;
  /** Keys of the blocks the server inserted into the minutes (`decision:<pollId>`, `attendance`...). */
  minutesBlocks: string[];
  minutes: PublishedMinutesRecord | null;
  /** Bumped by every change of this document: writes compare and set it, clients order states by it. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const timerSchema = new Schema<TimerRecord>(
  {
    durationMs: { type: Number, default: null },
    elapsedMs: { type: Number, default: 0 },
    runningSince: { type: Date, default: null },
  },
  { _id: false },
);

const meetingSchema = new Schema<Meeting>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
    discussionIds: { type: [{ type: Schema.Types.ObjectId, ref: 'Discussion' }], default: [] },
    title: { type: String, required: true, trim: true },
    scheduledAt: { type: Date, required: true },
    expectedMinutes: { type: Number, required: true },
    createdById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    facilitatorIds: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    state: { type: String, enum: MEETING_STATES, default: 'scheduled' },
    startedAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
    progressiveStack: { type: Boolean, default: true },
    speakingCapSeconds: { type: Number, default: null },
    agenda: [
      {
        _id: false,
        id: { type: String, required: true },
        clientId: { type: String, required: true },
        title: { type: String, required: true },
        notes: { type: String, default: '' },
        discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', default: null },
        pollId: { type: Schema.Types.ObjectId, ref: 'Poll', default: null },
        timeboxSeconds: { type: Number, required: true },
        startedAt: { type: Date, default: null },
        endedAt: { type: Date, default: null },
      },
    ],
    currentItemId: { type: String, default: null },
    itemTimer: { type: timerSchema, default: null },
    speaker: {
      type: new Schema<SpeakerRecord>(
        {
          handId: { type: Schema.Types.ObjectId, required: true },
          userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          kind: { type: String, enum: HAND_KINDS, required: true },
          timer: { type: timerSchema, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    quickVotes: [
      {
        _id: false,
        clientId: { type: String, required: true },
        pollId: { type: Schema.Types.ObjectId, ref: 'Poll', default: null },
        itemId: { type: String, default: null },
        hidden: { type: Boolean, required: true },
        openedAt: { type: Date, required: true },
      },
    ],
    minuteTakerId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    minutesBlocks: { type: [String], default: [] },
    minutes: {
      type: new Schema<PublishedMinutesRecord>(
        {
          markdown: { type: String, required: true },
          publishedAt: { type: Date, required: true },
          publishedById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          clientId: { type: String, required: true },
          discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true },
);
// A group's meetings, latest first; the live ones of several groups (banners).
meetingSchema.index({ groupId: 1, scheduledAt: -1 });
meetingSchema.index({ state: 1, groupId: 1 });
// Which meeting a poll is a quick vote of (its changes refresh the meeting).
meetingSchema.index({ 'quickVotes.pollId': 1 });

export type MeetingDocument = HydratedDocument<Meeting>;
export const MeetingModel = model<Meeting>('Meeting', meetingSchema);
