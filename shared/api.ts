/**
 * The HTTP contract both the server and the web client compile against, so an
 * error id or a response field cannot drift between the two sides.
 */

/**
 * Stable machine-readable error ids. Clients and tests match on these, never on
 * the human-readable message, which may be reworded at any time.
 */
export type ErrorId =
  | 'invalid_request'
  | 'validation_error'
  | 'authentication_required'
  | 'authorization_error'
  | 'not_found'
  | 'conflict'
  /** Demoting, removing or letting leave the group's last coordinator. */
  | 'last_coordinator'
  /** An invitation token that was already accepted (single use). */
  | 'invitation_used'
  | 'invitation_expired'
  | 'invitation_revoked'
  /** 403: an email invitation is accepted only by an account with the invited address. */
  | 'invitation_wrong_account'
  /** 410: a group's shareable join link is past its expiry, withdrawn, or has no uses left. */
  | 'join_link_expired'
  | 'join_link_revoked'
  | 'join_link_used_up'
  /** 409: the action is not possible on an anonymous poll (reopen, turning anonymity off). */
  | 'anonymous_poll'
  /** 403: the poll's results (and so its votes) are hidden from this viewer for now. */
  | 'results_hidden'
  /** 409: the meeting's state (scheduled, live, ended) does not allow this action now. */
  | 'meeting_state'
  /** 409: a quick vote needs the meeting to be linked to a discussion, where its poll goes. */
  | 'meeting_no_discussion'
  /** 409: the meeting's minutes were already published (by another publish): they no longer change. */
  | 'minutes_published'
  | 'payload_too_large'
  /** 413: a profile photo over 5 MB or 50 megapixels (field `file`). */
  | 'avatar_too_large'
  /** 415: a profile photo that is not a JPEG, PNG or WebP image by its content (field `file`). */
  | 'avatar_unsupported_type'
  /** 400: a profile photo that says it is a JPEG, PNG or WebP image but cannot be read (field `file`). */
  | 'avatar_unreadable'
  | 'rate_limited'
  /** A socket already watches as many discussions (or groups) as one connection may. */
  | 'watch_limit'
  /** 403: the person is muted in this group (or suspended across the site) until `until`. */
  | 'muted'
  | 'suspended'
  /** 429: slow mode: one comment per person per period in this discussion; retry at `until`. */
  | 'slow_mode'
  /** 403: banned from the group: no joining, requests or invitations until lifted. */
  | 'banned'
  | 'invalid_credentials'
  /** 403: the password confirming a grave step (deactivating, deleting the account) is wrong; field `password`. */
  | 'wrong_password'
  /** 403: right password, but the account is deactivated; `POST /api/auth/reactivate` restores it. */
  | 'account_deactivated'
  | 'invalid_token'
  | 'csrf_rejected'
  | 'internal_error'
  | 'service_unavailable';

/** The body of every non-2xx JSON response from `/api/*`. */
export interface ApiErrorBody {
  error: {
    id: ErrorId;
    message: string;
    /** The offending input field, for `validation_error`. */
    field?: string;
    /** When a restriction ends or a retry is allowed (`muted`, `suspended`, `slow_mode`, `rate_limited`), ISO time; absent when until lifted. */
    until?: string;
  };
}

/** Whether Quorum runs on its embedded engine or on an external MongoDB. */
export type DatabaseMode = 'embedded' | 'external';

/** The database part of the health report, for load balancers and operators. */
export interface DatabaseHealth {
  mode: DatabaseMode;
  reachable: boolean;
  /** Round-trip time of the ping in milliseconds; null when unreachable. */
  latencyMs: number | null;
}

/** Body of `GET /api/health`: 200 with `ok`, 503 with `unavailable`. */
export interface HealthResponse {
  status: 'ok' | 'unavailable';
  database: DatabaseHealth;
}
