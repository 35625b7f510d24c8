/** Catalogue entries (see catalogue.ts) for reports, review queues, moderation actions and restrictions. */
import type { RouteDoc } from './catalogue.js';

const MODERATORS = "The group's coordinators and the moderators they name.";
const ADMINS = 'Site administrators.';
const DONE = 'The change reaches everyone affected live (change feed); the audit log records it.';

export const MODERATION_ROUTES: Record<string, RouteDoc> = {
  'POST /api/moderation/reports': {
    purpose: 'Report a comment, discussion, poll or person (with `groupId`) to the moderators.',
    auth: 'Participants of the discussion (for content); fellow members (for a person); never one’s own.',
    ok: [201, 200],
    body: '{ report: OwnReportDto }',
    note: '200 with the open report when the same person reports the same thing again. The reported person never learns who reported them. `illegal` also reaches the site queue.',
    errors: ['not_found'],
  },
  'GET /api/moderation/reports/mine': {
    purpose: 'One’s own reports, newest first: received or handled.',
    ok: [200],
    body: '{ items: OwnReportDto[] }',
  },
  'GET /api/moderation/me': {
    purpose: 'One’s own mutes and suspension in force, and the latest moderation notices.',
    ok: [200],
    body: '{ restrictions: RestrictionDto[], notices: ModerationNoticeDto[] }',
    note: 'Live: `restriction:changed` and `moderation:notice` in one’s own room.',
  },
  'PUT /api/moderation/discussions/:id/slow-mode': {
    purpose: 'Slow mode: at most one comment per person per `seconds` (0 turns it off).',
    auth: MODERATORS,
    ok: [200],
    body: '{ discussion: DiscussionDto }',
    note: 'Comments too soon answer 429 `slow_mode` with `until`. Moderators are exempt.',
    errors: ['not_found'],
  },
  'GET /api/groups/:group/moderation/queue': {
    purpose: 'The open review queue: reports grouped by target, held posts, the authors’ history.',
    auth: MODERATORS,
    ok: [200],
    body: '{ groupId, items: QueueItemDto[] }',
    note: 'Live: `moderation:watch` over the socket, then a `moderation:queue` count after every report change and every moderation action in the group (reload the items on each).',
    errors: ['not_found'],
  },
  'POST /api/groups/:group/moderation/actions': {
    purpose:
      'Dismiss, hide, restore, approve, delete, warn, mute (`minutes`), lock, remove, ban or escalate, with a reason.',
    auth: `${MODERATORS} Only coordinators may mute, remove or ban a coordinator.`,
    ok: [204],
    body: '',
    note: `${DONE} The author is told privately; \`hide\` and \`escalate\` keep the item open.`,
    errors: ['not_found', 'last_coordinator'],
  },
  'GET /api/groups/:group/moderation/restrictions': {
    purpose: 'Mutes and bans in force in the group.',
    auth: MODERATORS,
    ok: [200],
    body: '{ items: RestrictionListItemDto[] }',
    errors: ['not_found'],
  },
  'DELETE /api/groups/:group/moderation/restrictions/:id': {
    purpose: 'Lift a mute or a ban now, with a reason told to the person.',
    auth: MODERATORS,
    ok: [204],
    body: '',
    errors: ['not_found'],
  },
  'PUT /api/groups/:group/moderation/settings': {
    purpose: 'Hold first posts: `off`, `first` (until one is approved) or `recent` (`holdDays`).',
    auth: MODERATORS,
    ok: [200],
    body: '{ moderation: GroupModerationSettingsDto }',
    errors: ['not_found'],
  },
  'PUT /api/groups/:group/moderators/:user': {
    purpose: 'Name a member moderator (moderation rights without the rest of a coordinator’s).',
    auth: "The group's coordinators.",
    ok: [204],
    body: '',
    errors: ['not_found'],
  },
  'DELETE /api/groups/:group/moderators/:user': {
    purpose: 'Un-name a moderator.',
    auth: "The group's coordinators.",
    ok: [204],
    body: '',
    errors: ['not_found'],
  },
  'GET /api/moderation/site/reports': {
    purpose:
      'The site queue: reports of illegal content and escalated reports, only what was reported.',
    auth: ADMINS,
    ok: [200],
    body: '{ items: SiteQueueItemDto[] }',
    note: 'A reported comment’s or poll’s discussion is named only when it is public (P12).',
  },
  'POST /api/moderation/site/actions': {
    purpose: 'Dismiss a site report, or remove the reported comment for everyone.',
    auth: ADMINS,
    ok: [204],
    body: '',
    errors: ['not_found'],
  },
  'POST /api/moderation/site/users/:id/suspension': {
    purpose:
      'Suspend an account across the site (for `minutes`, or until lifted), with a reason told to the person.',
    auth: ADMINS,
    ok: [204],
    body: '',
    note: 'A suspended person’s writes (posting, editing, reacting, voting, meetings, collaborative edits, new groups, invitations, join requests) answer 403 `suspended` with `until`; they keep reading.',
    errors: ['not_found'],
  },
  'GET /api/moderation/site/suspensions': {
    purpose: 'Suspensions in force, newest first, with whom each concerns.',
    auth: ADMINS,
    ok: [200],
    body: '{ items: RestrictionListItemDto[] }',
  },
  'DELETE /api/moderation/site/users/:id/suspension': {
    purpose: 'Lift a suspension now.',
    auth: ADMINS,
    ok: [204],
    body: '',
    errors: ['not_found'],
  },
};
