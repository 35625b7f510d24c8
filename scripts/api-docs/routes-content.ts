/** Catalogue entries (see catalogue.ts) for discussions, comments, the timeline, polls and the inbox. */
import type { RouteDoc } from './catalogue.js';

const DISCUSSION = '{ discussion: DiscussionDto }';
const COMMENT = '{ comment: CommentDto }';
const POLL = '{ poll: PollDto }';
const POLL_MANAGERS = "The poll's author and the group's coordinators.";
const EDITORS = "The discussion's author (while taking part) and its moderators.";
const VERSIONS = '{ items: DocVersionDto[], nextCursor }';
const VERSION_NOTE =
  'A version is kept each time the collaborative text settles (and for each REST edit); `editors` are who took part since the previous one, deactivated and deleted accounts shown as such. Page with `before` (a version id) and `limit`.';
const HIDDEN = 'A discussion the viewer may not read answers 404, as if it did not exist.';

export const CONTENT_ROUTES: Record<string, RouteDoc> = {
  'POST /api/discussions': {
    purpose: 'Start a discussion in a group, or without `groupId` one among invited guests only.',
    auth: 'In a group, whoever may start discussions there.',
    ok: [201],
    body: DISCUSSION,
    note: "Privacy is derived from the group's; `private` chooses within what it allows.",
  },
  'GET /api/discussions': {
    purpose: "A group's discussions the viewer may read: pinned first, then latest activity.",
    ok: [200],
    body: '{ items: DiscussionDto[], nextCursor }',
  },
  'GET /api/discussions/:id': {
    purpose: 'One discussion, with the viewer’s read state and abilities.',
    ok: [200],
    body: DISCUSSION,
    note: HIDDEN,
    errors: ['not_found'],
  },
  'PATCH /api/discussions/:id': {
    purpose: 'Edit the title and/or the context.',
    note: 'A new `context` goes into the collaborative document (open editors see it live, and later typing builds on it); a context equal to the stored one changes nothing.',
    auth: EDITORS,
    ok: [200],
    body: DISCUSSION,
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/close': {
    purpose: 'Close the discussion to new comments.',
    auth: EDITORS,
    ok: [200],
    body: DISCUSSION,
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/reopen': {
    purpose: 'Reopen a closed discussion.',
    auth: EDITORS,
    ok: [200],
    body: DISCUSSION,
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/pin': {
    purpose: "Pin the discussion to the top of its group's list.",
    auth: "The group's coordinators.",
    ok: [200],
    body: DISCUSSION,
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/unpin': {
    purpose: 'Unpin the discussion.',
    auth: "The group's coordinators.",
    ok: [200],
    body: DISCUSSION,
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/move': {
    purpose: 'Move the discussion to another group; its privacy is derived again.',
    auth: 'Coordinators of both groups.',
    ok: [200],
    body: DISCUSSION,
  },

  'POST /api/discussions/:id/comments': {
    purpose: 'Post a comment, or a reply with `parentId`; `@handle` mentions notify.',
    auth: 'Participants, while the discussion is open.',
    ok: [201, 200],
    body: COMMENT,
    note: '200 with the earlier comment when a retry repeats its `clientId`.',
    errors: ['not_found', 'conflict'],
  },
  'GET /api/discussions/:id/comments': {
    purpose: 'Comments in timeline order, after the sequence `after` (or the `cursor`).',
    ok: [200],
    body: '{ items: CommentDto[], nextCursor }',
    note: 'Deleted comments keep their place with an empty body; threads are built from `parentId`.',
    errors: ['not_found'],
  },
  'PATCH /api/comments/:id': {
    purpose: 'Edit a comment; the earlier text goes to its visible history.',
    auth: 'Its author, while taking part; in a group, if members may edit comments or they coordinate it.',
    ok: [200],
    body: COMMENT,
    errors: ['not_found', 'conflict'],
  },
  'GET /api/comments/:id/history': {
    purpose: "A comment's earlier texts, newest first; empty once it is deleted.",
    ok: [200],
    body: '{ items: CommentRevisionDto[], nextCursor }',
    errors: ['not_found'],
  },
  'DELETE /api/comments/:id': {
    purpose: 'Delete a comment softly: the text goes for everyone, its place in the thread stays.',
    auth: "Its author and the discussion's moderators.",
    ok: [200],
    body: COMMENT,
    errors: ['not_found', 'conflict'],
  },
  'PUT /api/comments/:id/reactions/:emoji': {
    purpose: "Add the viewer's reaction (one emoji, or a `:name:`) to a comment.",
    ok: [200],
    body: COMMENT,
    errors: ['not_found'],
  },
  'DELETE /api/comments/:id/reactions/:emoji': {
    purpose: "Remove the viewer's reaction from a comment.",
    ok: [200],
    body: COMMENT,
    errors: ['not_found'],
  },

  'GET /api/discussions/:id/events': {
    purpose: 'Timeline events after the sequence `after`, ascending: how a client catches up.',
    ok: [200],
    body: '{ items: TimelineEventDto[], nextCursor }',
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/read': {
    purpose: 'Mark everything up to `sequence` read; read state never moves backwards.',
    auth: 'Participants (members of the group, guests of the discussion).',
    ok: [200],
    body: '{ readState: ReadStateDto }',
    errors: ['not_found'],
  },

  'GET /api/discussions/:id/polls': {
    purpose: "The discussion's polls and proposals, newest first.",
    ok: [200],
    body: '{ items: PollDto[], nextCursor }',
    errors: ['not_found'],
  },
  'POST /api/discussions/:id/polls': {
    purpose: 'Start a poll or proposal of any kind in the discussion.',
    auth: 'Whoever may start polls in the discussion.',
    ok: [201],
    body: POLL,
    note:
      'Options are fixed for `proposal` and `count`; `closesAt` is required except for proposals; ' +
      "the kind's rules are checked by the shared `validateRules` (400 naming the field).",
    errors: ['not_found'],
  },
  'GET /api/polls/:id': {
    purpose: 'One poll; results only when the viewer may see them (`abilities.canSeeResults`).',
    ok: [200],
    body: POLL,
    note: 'A poll is as visible as its discussion: otherwise 404.',
    errors: ['not_found'],
  },
  'PATCH /api/polls/:id': {
    purpose: "Edit an open poll's title, details or closing time, or make it anonymous.",
    auth: POLL_MANAGERS,
    ok: [200],
    body: POLL,
    note: 'Anonymity cannot be turned off (409 `anonymous_poll`); closed polls: 409 `conflict`. New `details` go into the collaborative document (open editors see them); details equal to the stored ones change nothing.',
    errors: ['not_found'],
  },
  'GET /api/discussions/:id/context/versions': {
    purpose: "The settled versions of a discussion's context, newest first (its edit history).",
    auth: 'Signed-in readers of the discussion (a visitor who may read it: 401).',
    ok: [200],
    body: VERSIONS,
    note: `${HIDDEN} ${VERSION_NOTE}`,
    errors: ['not_found'],
  },
  'GET /api/polls/:id/details/versions': {
    purpose: "The settled versions of a poll's details, newest first (its edit history).",
    auth: "Signed-in readers of the poll's discussion.",
    ok: [200],
    body: VERSIONS,
    note: VERSION_NOTE,
    errors: ['not_found'],
  },
  'GET /api/polls/:id/votes': {
    purpose: 'The votes with their reasons, for a viewer who may see the results.',
    ok: [200],
    body: '{ items: (NamedVoteDto | AnonymousVoteDto)[], nextCursor }',
    note: 'In an anonymous poll: no voter, id or time, for everyone, in a stable random order.',
    errors: ['not_found'],
  },
  'PUT /api/polls/:id/vote': {
    purpose: "Cast or change the viewer's vote, checked by the shared `validateChoices`.",
    auth: 'Eligible voters.',
    ok: [201, 200],
    body: '{ poll: PollDto, vote: OwnVoteDto }',
    note: '201 for a first vote, 200 for a change; 409 `conflict` once the poll is closed.',
    errors: ['not_found'],
  },
  'POST /api/polls/:id/close': {
    purpose: 'Close the poll now.',
    auth: POLL_MANAGERS,
    ok: [200],
    body: POLL,
    errors: ['not_found', 'authorization_error'],
  },
  'POST /api/polls/:id/reopen': {
    purpose: 'Reopen a closed poll, with a new `closesAt` when the old one has passed.',
    auth: POLL_MANAGERS,
    ok: [200],
    body: POLL,
    note: 'Never an anonymous poll (409 `anonymous_poll`).',
    errors: ['not_found', 'authorization_error'],
  },
  'POST /api/polls/:id/outcome': {
    purpose: 'Publish the outcome statement of a closed poll; its voters are notified.',
    auth: POLL_MANAGERS,
    ok: [200],
    body: POLL,
    errors: ['not_found', 'authorization_error'],
  },

  'GET /api/inbox': {
    purpose: 'The discussions one takes part in, newest activity first, with unread counts.',
    ok: [200],
    body: '{ items: DiscussionDto[], nextCursor }',
  },
  'GET /api/notifications': {
    purpose: "One's notifications, newest first, with the number still unread.",
    ok: [200],
    body: '{ items: NotificationDto[], nextCursor, unreadCount: number }',
  },
  'POST /api/notifications/read': {
    purpose: "Mark some (`ids`) or all (`all: true`) of one's notifications read.",
    ok: [200],
    body: '{ updated: number }',
  },
};
