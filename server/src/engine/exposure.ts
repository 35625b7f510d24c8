/**
 * When the engine may listen where: on loopback as it likes, anywhere else only
 * with users to authenticate (SCRAM-SHA-256) and TLS, so a database is never
 * served to the network unauthenticated or in clear text. A refusal says what is
 * missing and how to provide it.
 */
import { isIP } from 'node:net';

/** Loopback addresses: 127.0.0.0/8, ::1 (also IPv4-mapped) and the name localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export class ExposureError extends Error {}

/** Minimum length of a password the engine accepts. */
export const MIN_PASSWORD_LENGTH = 12;

export function exposurePolicy(
  host: string,
  options: { users?: Array<{ user: string; password: string }>; tls?: unknown },
): void {
  for (const { user, password } of options.users ?? []) {
    if (!user) throw new ExposureError('a user name must not be empty');
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new ExposureError(
        `the password of user '${user}' is shorter than ${MIN_PASSWORD_LENGTH} characters`,
      );
  }
  if (isLoopback(host)) return;
  const missing: string[] = [];
  if (!options.users || options.users.length === 0)
    missing.push(
      'credentials (set QUORUM_ENGINE_USER and QUORUM_ENGINE_PASSWORD, or pass --auth-file with a "user:password" line)',
    );
  if (!options.tls) missing.push('a TLS certificate and key (--tls-cert and --tls-key, PEM files)');
  if (missing.length > 0)
    throw new ExposureError(
      `refusing to listen on ${host}: it is not a loopback address, and serving the database to the network requires ${missing.join(' and ')}`,
    );
}
