/**
 * The typed Socket.IO contract between server and client: every event name and
 * payload both ways, used as generics on both sides so neither can drift.
 * Acknowledgements answer `{ data }` or `{ error }`, never both.
 */
import type {
  CommentDto,
  DiscussionDto,
  MemberDto,
  NotificationDto,
  OwnVoteDto,
  PollDto,
  TimelineEventDto,
  UserSummaryDto,
} from './dto.js';
import type { ErrorId } from './api.js';
import type { ClockSample, MeetingAction, MeetingDto, MeetingSummaryDto } from './meetings.js';

export type AckResponse<T> =
  { data: T } | { error: { id: ErrorId; message: string; field?: string } };
export type Ack<T> = (response: AckResponse<T>) => void;

export interface WatchDiscussionRequest {
  discussionId: string;
  /** The last timeline sequence this client saw; the reply carries everything after it. */
  afterSequence?: number;
}

/** What a (re)connecting client missed in a discussion, presented for its view. */
export interface DiscussionCatchUp {
  discussionId: string;
  events: TimelineEventDto[];
  comments: CommentDto[];
  lastSequence: number;
  /** True when more than one reply's worth was missed: the client should reload the discussion. */
  truncated: boolean;
}

/**
 * Who is viewing a discussion. Participants' views (guest, member,
 * coordinator) get the participants' names; the visitor view gets counts only.
 */
export interface DiscussionPresence {
  discussionId: string;
  /** The participants viewing (members, coordinators, guests), one entry per person; always empty in the visitor view. */
  viewers: UserSummaryDto[];
  /** How many participants are viewing (in participants' views, `viewers.length`). */
  participants: number;
  /** How many others are viewing, never named: signed-out visitors per connection, signed-in non-participants per person. */
  visitors: number;
}

/** Who is typing a comment in a discussion (sent to participants only; includes the recipient, who filters itself). */
export interface DiscussionTyping {
  discussionId: string;
  users: UserSummaryDto[];
}

export interface TypingRequest {
  discussionId: string;
  /** True while typing (repeat every few seconds: it lapses after 5 s), false when done. */
  typing: boolean;
}

/** Which group's list a socket wants live: its discussions and its members. */
export interface WatchGroupRequest {
  groupId: string;
}

/** A member joined or changed (role, account state), as the socket's view of the group shows them. */
export interface GroupMemberChange {
  groupId: string;
  /** The email address only in a coordinator's view. */
  member: MemberDto;
}

/** Someone no longer belongs to a group (removed or left). */
export interface GroupMemberRemoval {
  groupId: string;
  userId: string;
}

/**
 * A discussion no longer belongs in a list the socket shows: it left the group
 * (`groupId`, moved away) or, with `groupId` null, the signed-in person's inbox.
 */
export interface DiscussionRemoval {
  discussionId: string;
  groupId: string | null;
}

/** The answer to `group:watch`: the view this socket now has of the group. */
export interface GroupWatch {
  groupId: string;
  view: 'visitor' | 'member' | 'coordinator';
}

export interface ServerToClientEvents {
  /** A new entry on the timeline of a watched discussion. */
  'timeline:event': (event: TimelineEventDto) => void;
  /**
   * A watched discussion changed (edited, closed, reopened, pinned, moved), or
   * a discussion appeared or changed in a watched group's list or in the
   * signed-in person's inbox (started, moved in), presented for the socket's
   * view. `readState` is personal and always null here.
   */
  'discussion:upserted': (discussion: DiscussionDto) => void;
  /** A comment was posted, edited, deleted or reacted to. */
  'comment:upserted': (comment: CommentDto) => void;
  /**
   * A poll changed or its tally moved, presented for the socket's view (results
   * only where that view may see them). `myVote` is always null here: a person's
   * own vote arrives as `vote:mine`; clients keep it apart from this payload.
   */
  'poll:upserted': (poll: PollDto) => void;
  /** The socket's own vote in a poll (to the voter's sockets only). */
  'vote:mine': (mine: { pollId: string; vote: OwnVoteDto }) => void;
  /** A new notification for the signed-in person. */
  'notification:new': (notification: NotificationDto) => void;
  /** A discussion left a watched group's list or the inbox (moved away, or no longer visible to this view). */
  'discussion:removed': (removal: DiscussionRemoval) => void;
  /** In a watched group (and the person's own memberships, to their room): a member joined or changed. */
  'member:upserted': (change: GroupMemberChange) => void;
  /** In a watched group (and the person's own memberships, to their room): a member left or was removed. */
  'member:removed': (removal: GroupMemberRemoval) => void;
  /**
   * This socket lost access: to one discussion (removed from its group, the
   * discussion became private or moved), to a watched group (`groupId`: it may
   * no longer see it), or entirely (signed out everywhere, account
   * deactivated), in which case the server then disconnects it.
   */
  'access:revoked': (notice: {
    discussionId?: string;
    groupId?: string;
    /** A watched meeting the socket may no longer see (e.g. removed from its group). */
    meetingId?: string;
    reason: 'access_removed' | 'signed_out';
  }) => void;
  /** The server's change history could not cover a gap: reload what is on screen. */
  'feed:resync': (notice: { reason: string }) => void;
  /** Who is viewing a watched discussion changed (and, once, when this socket starts watching). */
  'presence:changed': (presence: DiscussionPresence) => void;
  /** Who is typing in a watched discussion changed (participants' views only). */
  'typing:changed': (typing: DiscussionTyping) => void;
  /** A watched meeting's whole state, presented for the socket's view (after every change). */
  'meeting:state': (meeting: MeetingDto) => void;
  /** In a watched group whose meetings the view may see: a meeting started, ended or changed (banners). */
  'meeting:summary': (meeting: MeetingSummaryDto) => void;
}

export interface ClientToServerEvents {
  'discussion:watch': (request: WatchDiscussionRequest, ack: Ack<DiscussionCatchUp>) => void;
  'discussion:unwatch': (request: { discussionId: string }, ack: Ack<null>) => void;
  /**
   * Live updates of a group's lists (new and moved discussions, members), after
   * the same check as `GET /api/groups/:group`; the reply names the view.
   */
  'group:watch': (request: WatchGroupRequest, ack: Ack<GroupWatch>) => void;
  'group:unwatch': (request: WatchGroupRequest, ack: Ack<null>) => void;
  /** Only from a socket watching the discussion whose viewer may comment in it; at most a few per second. */
  'discussion:typing': (request: TypingRequest, ack: Ack<null>) => void;
  /**
   * Live updates of a meeting, after the same check as `GET /api/meetings/:id`;
   * the reply is its whole current state (also on reconnect), then
   * `meeting:state` follows every change.
   */
  'meeting:watch': (request: { meetingId: string }, ack: Ack<MeetingDto>) => void;
  'meeting:unwatch': (request: { meetingId: string }, ack: Ack<null>) => void;
  /** One meeting action (the same as `POST /api/meetings/:id/actions`); its effect arrives as `meeting:state`. */
  'meeting:act': (request: { meetingId: string; action: MeetingAction }, ack: Ack<null>) => void;
  /** A clock sample: the client estimates the server's clock offset from a few (timers agree across screens). */
  'clock:sync': (request: { clientTime: number }, ack: Ack<ClockSample>) => void;
}
