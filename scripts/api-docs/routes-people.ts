/** Catalogue entries (see catalogue.ts) for health, accounts, profile, groups and people. */
import type { RouteDoc } from './catalogue.js';

const SIGNED_IN = '{ user: SelfDto, token: string }';
const COORDINATORS = "The group's coordinators.";

export const PEOPLE_ROUTES: Record<string, RouteDoc> = {
  'GET /api/health': {
    purpose: 'Whether the server and its database answer, for load balancers; never cached.',
    ok: [200, 503],
    body: 'HealthResponse',
    note: '503 with `status: "unavailable"` when the database does not answer a ping.',
  },

  'POST /api/auth/signin': {
    purpose: 'Sign in with email and password: sets the session cookie, returns the token.',
    ok: [200],
    body: SIGNED_IN,
    note: 'Every refusal is the same 401 `invalid_credentials`; limited per account and per address.',
    errors: ['invalid_credentials', 'rate_limited'],
  },
  'POST /api/auth/signout': {
    purpose: 'Forget the session in this browser (clears the cookie).',
    ok: [204],
    body: '',
    note: 'Other sessions and Bearer tokens stay valid; see `signout-everywhere`.',
  },
  'POST /api/auth/signout-everywhere': {
    purpose: 'End every session and token of the account, this one included.',
    ok: [204],
    body: '',
  },
  'POST /api/auth/signup': {
    purpose: 'Create an account, sign it in and email a verification link.',
    ok: [201],
    body: SIGNED_IN,
    note: '409 `conflict` names `email` when the address has an account, `handle` when taken.',
    errors: ['conflict', 'rate_limited'],
  },
  'POST /api/auth/password': {
    purpose: 'Change the password; ends every other session and returns a fresh token.',
    ok: [200],
    body: SIGNED_IN,
    note: 'A wrong current password is a `validation_error` on `currentPassword`, rate-limited.',
    errors: ['rate_limited'],
  },
  'POST /api/auth/password-reset': {
    purpose: 'Email a one-hour password-reset link, if an active account has the address.',
    ok: [202],
    body: '',
    note: 'Always 202 before any account is looked up, so it reveals nothing.',
    errors: ['rate_limited'],
  },
  'POST /api/auth/password-reset/confirm': {
    purpose: 'Set a new password with the emailed token (once), end other sessions, sign in.',
    ok: [200],
    body: SIGNED_IN,
    errors: ['invalid_token'],
  },
  'POST /api/auth/verify-email': {
    purpose: 'Mark the address verified with the emailed token; signed in or not.',
    ok: [200],
    body: '{ emailVerified: true }',
    errors: ['invalid_token'],
  },
  'POST /api/auth/verify-email/resend': {
    purpose: 'Email a new verification link to the signed-in person.',
    ok: [202],
    body: '',
    note: '409 `conflict` when the address is already verified.',
    errors: ['conflict', 'rate_limited'],
  },
  'POST /api/auth/signin-link': {
    purpose: 'Email a 15-minute sign-in link, if an active account has the address.',
    ok: [202],
    body: '',
    note: 'Always 202, whatever the address.',
    errors: ['rate_limited'],
  },
  'POST /api/auth/signin-link/confirm': {
    purpose: 'Sign in with the emailed link token (once).',
    ok: [200],
    body: SIGNED_IN,
    errors: ['invalid_token'],
  },

  'GET /api/session': {
    purpose:
      'Who is signed in, if anyone: the web client asks this on every page (no one is not an error).',
    ok: [200],
    body: '{ user: SelfDto | null }',
    note: '`user` is null for a visitor and for a token that no longer counts; never 401.',
  },
  'GET /api/me': {
    purpose: "The signed-in person's own profile, with their email address.",
    ok: [200],
    body: '{ user: SelfDto }',
    note: 'Visitors get 401; to ask whether anyone is signed in without an error, use `GET /api/session`.',
  },
  'GET /api/me/email-preferences': {
    purpose: 'Which emails one gets: each kind on or off, group levels, the daily digest.',
    ok: [200],
    body: '{ preferences: EmailPreferencesDto }',
    note: 'Defaults until first changed: every kind on, groups at `important`, no digest.',
  },
  'PATCH /api/me/email-preferences': {
    purpose:
      "Change any part of one's email preferences; `level: null` removes a group's own level.",
    ok: [200],
    body: '{ preferences: EmailPreferencesDto }',
    note: '400 on `groups.N.groupId` for a group one does not belong to.',
  },
  'GET /api/unsubscribe/:token': {
    purpose: 'What an emailed unsubscribe link stops, and whether it still comes.',
    auth: 'Anyone holding the link (the signed token is the credential; no sign-in).',
    ok: [200],
    body: '{ unsubscribe: UnsubscribeDto }',
    note: '400 `invalid_token` on `token` for a forged token or a deleted account.',
  },
  'POST /api/unsubscribe/:token': {
    purpose: 'Stop exactly the kind of email the link names (one-click, RFC 8058; idempotent).',
    auth: 'Anyone holding the link; no CSRF header needed without a session cookie.',
    ok: [200],
    body: '{ unsubscribe: UnsubscribeDto }',
    note: '400 `invalid_token` on `token` for a forged token or a deleted account.',
  },
  'PATCH /api/me': {
    purpose: "Change one's name or handle (the photo is uploaded with `PUT /api/me/avatar`).",
    ok: [200],
    body: '{ user: SelfDto }',
    note: '409 `conflict` on `handle` when it is taken.',
  },
  'PUT /api/me/avatar': {
    purpose:
      "Upload one's profile photo: the image's bytes as the body (JPEG, PNG or WebP, at most 5 MB and 50 megapixels).",
    ok: [200],
    body: '{ user: SelfDto }',
    note: 'The type is read from the content (send `application/octet-stream`); every kind of metadata (EXIF with GPS, XMP, ICC, comments) is dropped and the photo stored as 64, 128 and 256 px WebP squares; the one it replaces is deleted. 20 uploads an hour.',
    errors: [
      'avatar_unreadable',
      'avatar_too_large',
      'avatar_unsupported_type',
      'validation_error',
      'rate_limited',
    ],
  },
  'DELETE /api/me/avatar': {
    purpose: "Remove one's profile photo (initials show instead); deletes every stored size.",
    ok: [200],
    body: '{ user: SelfDto }',
  },
  'GET /api/avatars/:id/:size': {
    purpose:
      'A profile photo (`size` 64, 128 or 256) as `image/webp`, from the `avatarUrl` people carry.',
    auth: 'Anyone holding the address (its id is random); none for a deactivated or deleted person.',
    ok: [200],
    body: 'the image (webp)',
    note: 'Sent with `nosniff` and kept by the browser only (`private, max-age=86400, immutable`); 404 for an unknown id or size, a replaced or removed photo, and a deactivated or deleted owner.',
    errors: ['not_found'],
  },

  'GET /api/groups': {
    purpose:
      "One's own groups; with `public=1` open groups to discover; with `parentId` subgroups.",
    auth: 'Signed in for one’s own groups; anyone with `public` or `parentId`.',
    ok: [200],
    body: '{ items: GroupDto[], nextCursor }',
    note: 'A `parentId` the viewer may not see answers 404.',
    errors: ['authentication_required', 'not_found'],
  },
  'POST /api/groups': {
    purpose: 'Create a group (its creator coordinates it), or a subgroup with `parentId`.',
    auth: 'For a subgroup, a coordinator of the parent.',
    ok: [201],
    body: '{ group: GroupDetailDto }',
    note:
      'A secret group has no handle (400 on `handle` if one is given) and is reached by its id; ' +
      'others need one. 409 `conflict` on `handle` when an open or closed group has it: secret ' +
      'groups never count, so the answer cannot confirm one exists.',
    errors: ['conflict'],
  },
  'GET /api/groups/:group': {
    purpose: 'One group by id or handle, with the subgroups the viewer may see.',
    ok: [200],
    body: '{ group: GroupDetailDto }',
    note: 'A group the viewer may not see (secret) answers 404, as if it did not exist.',
    errors: ['not_found'],
  },
  'PATCH /api/groups/:group': {
    purpose: 'Change handle, name, description, privacy, membership policy, permissions.',
    auth: COORDINATORS,
    ok: [200],
    body: '{ group: GroupDetailDto }',
    note:
      'Turning secret releases the handle; leaving secrecy needs a `handle` (400 without, 409 ' +
      'when an open or closed group has it).',
    errors: ['not_found', 'conflict'],
  },

  'GET /api/groups/:group/members': {
    purpose: "The group's members; email addresses for its coordinators only.",
    auth: "Whoever may read the group's content.",
    ok: [200],
    body: '{ items: MemberDto[], nextCursor }',
    errors: ['not_found'],
  },
  'POST /api/groups/:group/members/:userId/promote': {
    purpose: 'Make a member a coordinator.',
    auth: COORDINATORS,
    ok: [200],
    body: '{ member: MemberDto }',
    errors: ['not_found'],
  },
  'POST /api/groups/:group/members/:userId/demote': {
    purpose: 'Make a coordinator a member again; a group keeps one active coordinator.',
    auth: COORDINATORS,
    ok: [200],
    body: '{ member: MemberDto }',
    errors: ['not_found', 'last_coordinator'],
  },
  'DELETE /api/groups/:group/members/:userId': {
    purpose: 'Remove a member from the group.',
    auth: COORDINATORS,
    ok: [204],
    body: '',
    errors: ['not_found', 'last_coordinator'],
  },
  'POST /api/groups/:group/leave': {
    purpose: 'Leave the group.',
    ok: [204],
    body: '',
    errors: ['last_coordinator'],
  },
  'POST /api/groups/:group/join': {
    purpose: 'Join a group that lets people join directly.',
    ok: [201],
    body: '{ group: GroupDetailDto }',
    errors: ['not_found'],
  },

  'POST /api/groups/:group/invitations': {
    purpose: 'Invite people by email, each with a single-use link.',
    auth: 'Whoever may add members; only coordinators invite coordinators.',
    ok: [201],
    body: '{ invitations: InvitationDto[] }',
    errors: ['not_found'],
  },
  'GET /api/groups/:group/invitations': {
    purpose: "The group's invitations, newest first, optionally by `status`.",
    auth: COORDINATORS,
    ok: [200],
    body: '{ items: InvitationDto[], nextCursor }',
    errors: ['not_found'],
  },
  'POST /api/invitations': {
    purpose: 'Invite guests by email to one discussion; they join it, not its group.',
    auth: 'Whoever may invite guests to the discussion.',
    ok: [201],
    body: '{ invitations: InvitationDto[] }',
  },
  'GET /api/invitations/:token': {
    purpose: 'What an invitation link is about (group or discussion, inviter); no email address.',
    note: '`addressedToViewer` says whether the signed-in account may accept; `emailHint` (masked) only when it may not.',
    ok: [200],
    body: '{ invitation: InvitationPreviewDto }',
    errors: ['not_found', 'invitation_used', 'invitation_expired', 'invitation_revoked'],
  },
  'POST /api/invitations/:token/accept': {
    purpose: 'Accept an invitation (once): join its group, or become a guest of its discussion.',
    auth: 'An account with the invited address (compared case- and Unicode-normalised).',
    ok: [200],
    note:
      'Another account gets 403 `invitation_wrong_account`, with a masked hint of the address ' +
      'in the message. Accepting confirms the account’s address.',
    body: '{ group: GroupDetailDto | null, discussion: { id, title } | null }',
    errors: [
      'not_found',
      'conflict',
      'invitation_used',
      'invitation_expired',
      'invitation_revoked',
      'invitation_wrong_account',
    ],
  },
  'POST /api/invitations/:token/signup': {
    purpose:
      'Create an account with the invited address (confirmed by the link), accept, and sign in.',
    auth: 'Anyone holding the link; the address is the invitation’s, never given.',
    ok: [201],
    body: SIGNED_IN,
    note: '409 `conflict` on `email` when the invited address already has an account (sign in).',
    errors: [
      'not_found',
      'conflict',
      'invitation_used',
      'invitation_expired',
      'invitation_revoked',
      'rate_limited',
    ],
  },
  'DELETE /api/invitations/:id': {
    purpose: 'Withdraw an invitation.',
    auth: "The group's coordinators; for a guest invitation, the discussion's moderators and the inviter.",
    ok: [204],
    body: '',
    note: 'To anyone else the invitation does not exist (404).',
    errors: ['not_found'],
  },

  'POST /api/groups/:group/join-links': {
    purpose: 'Create a shareable join link with an expiry (days) and a use limit.',
    auth: COORDINATORS,
    ok: [201],
    body: '{ joinLink: JoinLinkDto, token: string, url: string }',
    note: 'The token and url are shown this once; only a hash is stored. Written to the audit log.',
    errors: ['not_found'],
  },
  'GET /api/groups/:group/join-links': {
    purpose: "The group's join links, newest first, with their status and uses.",
    auth: COORDINATORS,
    ok: [200],
    body: '{ items: JoinLinkDto[], nextCursor }',
    errors: ['not_found'],
  },
  'DELETE /api/groups/:group/join-links/:id': {
    purpose: 'Withdraw a join link: nobody more joins through it.',
    auth: COORDINATORS,
    ok: [200],
    body: '{ joinLink: JoinLinkDto }',
    note: 'Withdrawing twice changes nothing. Written to the audit log.',
    errors: ['not_found'],
  },
  'GET /api/join-links/:token': {
    purpose: 'The group a join link leads to (even a secret one: its coordinators shared it).',
    auth: 'Anyone holding the link.',
    ok: [200],
    body: '{ joinLink: JoinLinkPreviewDto }',
    errors: ['not_found', 'join_link_expired', 'join_link_revoked', 'join_link_used_up'],
  },
  'POST /api/join-links/:token/join': {
    purpose: 'Become a member through a join link, whatever the group’s privacy or policy.',
    ok: [201, 200],
    body: '{ group: GroupDetailDto, joined: boolean }',
    note: '201 and one use counted when joining; 200 without a use for someone already in; 403 for a suspended member.',
    errors: [
      'not_found',
      'conflict',
      'join_link_expired',
      'join_link_revoked',
      'join_link_used_up',
    ],
  },

  'POST /api/groups/:group/join-requests': {
    purpose: 'Ask to join a group that takes requests, with an introduction.',
    ok: [201],
    body: '{ joinRequest: JoinRequestDto }',
    note: '409 `conflict` when already a member or a request is pending.',
    errors: ['not_found'],
  },
  'GET /api/groups/:group/join-requests': {
    purpose: "The group's requests to join by `status` (pending by default), with addresses.",
    auth: COORDINATORS,
    ok: [200],
    body: '{ items: JoinRequestDto[], nextCursor }',
    errors: ['not_found'],
  },
  'POST /api/join-requests/:id/approve': {
    purpose: 'Approve a pending request: the requester becomes a member.',
    auth: "The group's coordinators (the requester gets 403, anyone else 404).",
    ok: [200],
    body: '{ joinRequest: JoinRequestDto }',
  },
  'POST /api/join-requests/:id/decline': {
    purpose: 'Decline a pending request.',
    auth: "The group's coordinators (the requester gets 403, anyone else 404).",
    ok: [200],
    body: '{ joinRequest: JoinRequestDto }',
  },
};
