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
import type {
  ModerationNoticeDto,
  ModerationQueueCount,
  OwnReportDto,
  RestrictionDto,
} from './moderation.js';
import type { MeetingPatchDto } from './meeting-patch.js';
import type { ClockSample, MeetingAction, MeetingDto, MeetingSummaryDto } from './meetings.js';

export type AckResponse<T> =
  | { data: T }
  | {
      error: {
        id: ErrorId;
        message: string;
        field?: string;
        /** With `rate_limited`: how long to wait before this event would be accepted (ms). */
        retryAfterMs?: number;
        /** When a restriction ends or a retry is allowed (`muted`, `slow_mode`...), ISO time. */
        until?: string;
      };
    };
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
  /**
   * True when more than one reply's worth was missed (events and comments are
   * then empty, and `lastSequence` is the discussion's latest): the client
   * should reload the discussion.
   */
  truncated: boolean;
}

/**
 * Who is viewing a discussion. Participants' views (guest, member,
 * coordinator) get the participants' names; the visitor view gets counts only.
 */
export interface DiscussionPresence {
  discussionId: string;
  /**
   * The participants viewing (members, coordinators, guests), one entry per
   * person, at most `PRESENCE_NAMED_MAX` of them (`participants` counts all);
   * always empty in the visitor view.
   */
  viewers: UserSummaryDto[];
  /** How many participants are viewing (at least `viewers.length`). */
  participants: number;
  /** How many others are viewing, never named: signed-out visitors per connection, signed-in non-participants per person. */
  visitors: number;
}

/**
 * A change of who is viewing, sent to the sockets already watching (a socket
 * that starts watching gets one `presence:changed` with the whole picture
 * instead). At most a few per second per discussion. `joined` and `left`
 * concern the named list only, which is capped (`PRESENCE_NAMED_MAX`): the
 * counts are always complete; both lists are always empty in the visitor view.
 */
export interface PresenceDiff {
  discussionId: string;
  /** Participants now named, with their summaries. */
  joined: UserSummaryDto[];
  /** Ids of participants no longer named (gone, or named no more). */
  left: string[];
  participants: number;
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

/**
 * Collaborative documents (server/src/collab/). `doc` names one, e.g.
 * `discussion:<id>:context`, `poll:<id>:details`, `poll:<id>:outcome`,
 * `meeting:<id>:minutes` (opened from a socket watching the meeting).
 * Binary payloads are the `y-protocols` encodings: sync messages (step 1,
 * step 2, update) and awareness updates.
 */
export interface CollabOpenRequest {
  doc: string;
  /** A y-protocols sync step 1 (the client's state vector). */
  sync: Uint8Array;
}

/** The answer to `collab:open`: what the client lacks, what the server has, and who is in the document. */
export interface CollabOpened {
  doc: string;
  /** A y-protocols sync step 2: everything the client's state vector lacks. */
  sync: Uint8Array;
  /** A y-protocols sync step 1 (the server's state vector): the client answers with `collab:sync` (step 2) when it may edit. */
  serverSync: Uint8Array;
  /** The awareness states of everyone in the document now. */
  awareness: Uint8Array;
  /** False for readers: the server refuses their updates. */
  canEdit: boolean;
}

export interface CollabMessage {
  doc: string;
  /** To the server: a sync step 2 or update; from the server: an update. */
  sync: Uint8Array;
}

export interface CollabAwareness {
  doc: string;
  /** A y-protocols awareness update; the server keeps only a name, a colour and the caret. */
  awareness: Uint8Array;
}

/**
 * A timeline entry as it arrives live. A new comment (`comment_posted`) comes
 * with the comment itself, presented for the socket's view (absent when it is
 * gone), so one message per socket carries both; the client files the comment
 * as it would a `comment:upserted`. The entry passes the same sequence gate as
 * any other, so a comment a catch-up already gave is not sent again.
 *
 * A vote (`vote_cast`, only where every view may see votes as they are cast)
 * comes with its poll's tally as the view sees it, `poll`, as a
 * `poll:upserted` would bring it: one message per vote rather than two. It
 * is absent when the view was already sent that very tally (votes stored
 * together show on the first of their entries). A socket whose catch-up
 * already gave the entry still gets the tally, as a `poll:upserted`.
 */
export interface LiveTimelineEvent extends TimelineEventDto {
  comment?: CommentDto;
  poll?: PollDto;
}

export interface ServerToClientEvents {
  /** A new entry on the timeline of a watched discussion (with its comment, for a new one). */
  'timeline:event': (event: LiveTimelineEvent) => void;
  /**
   * A watched discussion changed (edited, closed, reopened, pinned, moved), or
   * a discussion appeared or changed in a watched group's list or in the
   * signed-in person's inbox (started, moved in), presented for the socket's
   * view. `readState` is personal and always null here.
   */
  'discussion:upserted': (discussion: DiscussionDto) => void;
  /**
   * A comment was edited, deleted, reacted to, held or released; and a new
   * one, to its author's own sockets (with their abilities and client id).
   * Watchers get a new comment on its `timeline:event`.
   */
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
  /** Who is viewing a watched discussion: the whole picture, once, when this socket starts watching. */
  'presence:changed': (presence: DiscussionPresence) => void;
  /** Who is viewing a watched discussion changed (apply with `applyPresenceDiff`). */
  'presence:diff': (diff: PresenceDiff) => void;
  /** Who is typing in a watched discussion changed (participants' views only). */
  'typing:changed': (typing: DiscussionTyping) => void;
  /**
   * Sent just before the server disconnects this socket on purpose (Socket.IO
   * then reports `io server disconnect` and does not reconnect by itself):
   * `rate_limited` when it kept sending events past its allowance. Connect
   * again no sooner than `retryAfterMs`.
   */
  'connection:closing': (notice: ConnectionClosing) => void;
  /** A watched group's review queue changed (moderators' sockets only): how many items are open. */
  'moderation:queue': (count: ModerationQueueCount) => void;
  /** One's own report was received or handled (to the reporter's sockets only). */
  'report:updated': (report: OwnReportDto) => void;
  /** One's own restrictions now in force (mutes, suspension), whenever one is imposed or lifted. */
  'restriction:changed': (restrictions: RestrictionDto[]) => void;
  /** What moderation did to one's content or account (to that person only). */
  'moderation:notice': (notice: ModerationNoticeDto) => void;
  /** An update of an open collaborative document, from someone else (a sync update message). */
  'collab:sync': (message: CollabMessage) => void;
  /** Carets and names in an open collaborative document changed. */
  'collab:awareness': (message: CollabAwareness) => void;
  /**
   * The socket's rights on an open document changed (a role changed, the poll
   * closed): `canEdit` false makes it read-only; `closed` true means it may no
   * longer read it and receives nothing more of it.
   */
  'collab:rights': (notice: { doc: string; canEdit: boolean; closed: boolean }) => void;
  /** A watched meeting's whole state, presented for the socket's view (after every change). */
  'meeting:state': (meeting: MeetingDto) => void;
  /** What changed in a watched meeting since version `base` (shared/meeting-patch.ts); another version: watch again. */
  'meeting:patch': (patch: MeetingPatchDto) => void;
  /** In a watched group whose meetings the view may see: a meeting started, ended or changed (banners). */
  'meeting:summary': (meeting: MeetingSummaryDto) => void;
}

/** Why the server is about to disconnect a socket (see `connection:closing`). */
export interface ConnectionClosing {
  reason: 'rate_limited';
  retryAfterMs: number;
}

/**
 * Every event is limited per socket (a token bucket; watching costs more than
 * unwatching) and validated before it is handled: past the allowance the
 * acknowledgement is `rate_limited` with `retryAfterMs`, and a socket that keeps
 * on is disconnected (`connection:closing`). A socket watches at most a bounded
 * number of discussions and of groups (`watch_limit`). See
 * server/src/realtime/socket-limits.ts for the numbers.
 */
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
  /** A group's review queue, live (its moderators only): the reply is the open count. */
  'moderation:watch': (request: WatchGroupRequest, ack: Ack<ModerationQueueCount>) => void;
  'moderation:unwatch': (request: WatchGroupRequest, ack: Ack<null>) => void;
  /** Opens a collaborative document (from a socket watching its discussion, or meeting), after the same checks as REST. */
  'collab:open': (request: CollabOpenRequest, ack: Ack<CollabOpened>) => void;
  /** A change to an open document; acknowledged once it is stored durably (editors only). */
  'collab:sync': (request: CollabMessage, ack: Ack<null>) => void;
  /** The client's own caret and presence in an open document (editors only). */
  'collab:awareness': (request: CollabAwareness, ack: Ack<null>) => void;
  'collab:close': (request: { doc: string }, ack: Ack<null>) => void;
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

/** The client events of collaborative documents (handled by server/src/collab/). */
export type CollabClientEvent = Extract<keyof ClientToServerEvents, `collab:${string}`>;
