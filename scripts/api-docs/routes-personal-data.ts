/** Catalogue entries (see catalogue.ts) for one's personal data, the end of an account, and the DPO. */
import type { RouteDoc } from './catalogue.js';

export const PERSONAL_DATA_ROUTES: Record<string, RouteDoc> = {
  'GET /api/me/export': {
    purpose:
      'Everything Quorum holds about oneself as one JSON file (P2): profile, memberships, content, votes (anonymous ones included), reactions, notifications, read states, invitations sent, join requests, email preferences, audit entries.',
    ok: [200],
    body: 'a json document (`format: "quorum-personal-data/1"`), sent as an attachment',
    note: 'Streamed; others appear by id and name only. A failure after the first byte cuts the connection.',
  },
  'POST /api/me/deactivate': {
    purpose:
      "Deactivate one's account (P8): name hidden everywhere, sessions and sockets ended, memberships suspended, no email.",
    ok: [204],
    body: '',
    note: 'Needs `password`; a wrong one is 403 `wrong_password` (counted like a failed sign-in). Audited.',
    errors: ['wrong_password', 'rate_limited'],
  },
  'POST /api/me/delete': {
    purpose:
      'Delete one\'s account for good (P9): the profile is erased, content stays as "Deleted account".',
    ok: [204],
    body: '',
    note: 'Needs `password` and `confirm: "DELETE"`; a wrong password is 403 `wrong_password`. Audited.',
    errors: ['wrong_password', 'rate_limited'],
  },
  'POST /api/auth/reactivate': {
    purpose:
      'Reactivate a deactivated account with its email and password, and sign in (after `/signin` answered `account_deactivated`).',
    ok: [200],
    body: '{ user: SelfDto, token: string }',
    note: 'Refusals are the same 401 `invalid_credentials` as sign-in; an active account is simply signed in.',
    errors: ['invalid_credentials', 'rate_limited'],
  },
  'GET /api/groups/:group/audit': {
    purpose:
      "The audit entries about a group (a member's content redacted by the DPO, ...): the fact, never the content or the reason.",
    auth: "The group's coordinators.",
    ok: [200],
    body: '{ items: GroupAuditEntryDto[], nextCursor }',
    errors: ['not_found'],
  },
  'POST /api/admin/users/:id/redact': {
    purpose:
      'Replace the text of everything a person wrote with a notice (P9); `reason` required, audited per group.',
    auth: 'The Data Protection Officer (an address listed in `DPO_EMAILS`).',
    ok: [200],
    body: 'RedactionResultDto',
    errors: ['not_found'],
  },
  'POST /api/admin/users/:id/reactivate': {
    purpose: "Reactivate someone's deactivated account; audited.",
    auth: 'A site administrator or the Data Protection Officer.',
    ok: [204],
    body: '',
    errors: ['not_found'],
  },
};
