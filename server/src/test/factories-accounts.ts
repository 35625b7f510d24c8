/**
 * Test helpers for accounts and sessions: emailed tokens issued directly,
 * waiting for and reading account emails, reading the session cookie, and
 * scanning the whole database for a string (the P4 raw-IP check).
 */
import mongoose from 'mongoose';
import { expect } from 'chai';
import { SESSION_COOKIE } from '../auth/session-token.js';
import { AccountTokenModel, type AccountTokenPurpose } from '../models/account-token.js';
import { RateLimitModel } from '../models/rate-limit.js';
import type { UserDocument } from '../models/user.js';
import type { Outbox, SentMail } from '../mail/mailer.js';
import { issueAccountToken } from '../commands/accounts/tokens.js';
import type { ApiResponse } from './harness.js';

/** A valid emailed token for `user`; `expiresAt` in the past makes an expired one. */
export async function buildAccountToken(
  user: UserDocument,
  purpose: AccountTokenPurpose,
  options: { expiresAt?: Date } = {},
): Promise<string> {
  const token = await issueAccountToken(user, purpose);
  if (options.expiresAt) {
    await AccountTokenModel.updateMany(
      { userId: user._id, purpose },
      { $set: { expiresAt: options.expiresAt } },
    );
  }
  return token;
}

/** Forgets every rate-limit counter, so each test starts with a clean allowance. */
export async function clearRateLimits(): Promise<void> {
  await RateLimitModel.deleteMany({});
}

/**
 * The mails sent to `to`, once there are at least `count` (emails for
 * password resets and sign-in links are sent after the 202).
 */
export async function waitForMail(
  outbox: Outbox,
  to: string,
  count = 1,
  timeoutMs = 3000,
): Promise<SentMail[]> {
  const deadline = Date.now() + timeoutMs;
  while (outbox.to(to).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return outbox.to(to);
}

/** Gives any in-flight after-the-answer work time to finish (to prove a mail was NOT sent). */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The link in a mail, checked against the expected page, and its token. */
export function linkIn(mail: SentMail, pageUrl: string): { link: string; token: string } {
  const match = /(\S+)\?token=([A-Za-z0-9_-]+)/.exec(mail.text);
  expect(match, `a link in: ${mail.text}`).to.not.equal(null);
  expect(match![1]).to.equal(pageUrl);
  return { link: match![0], token: match![2] };
}

/** Every `Set-Cookie` header of a response. */
export function setCookies(res: ApiResponse<unknown>): string[] {
  return res.headers.getSetCookie();
}

/** A `Cookie` request header carrying the session a response set. */
export function sessionCookieFrom(res: ApiResponse<unknown>): string {
  const cookie = setCookies(res).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(cookie, 'a session cookie').to.be.a('string');
  return cookie!.split(';')[0];
}

export interface Found {
  collection: string;
  path: string;
  value: string;
}

function scan(
  value: unknown,
  path: string,
  test: (s: string) => boolean,
  out: Found[],
  collection: string,
) {
  if (typeof value === 'string') {
    if (test(value)) out.push({ collection, path, value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scan(v, `${path}.${i}`, test, out, collection));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    if ('_bsontype' in value) return;
    for (const [key, inner] of Object.entries(value)) {
      if (test(key)) out.push({ collection, path: `${path}.${key}`, value: key });
      scan(inner, path ? `${path}.${key}` : key, test, out, collection);
    }
  }
}

/** Every string (value or key) in every document of every collection that `test` accepts. */
export async function findInDatabase(test: (s: string) => boolean): Promise<Found[]> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  const found: Found[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray())
      scan(doc, '', test, found, name);
  }
  return found;
}

/** Every key (at any depth) of a JSON response body. */
export function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keysOf(inner, out);
    }
  }
  return out;
}

/** Fields that must never appear in any response. */
export const SECRET_FIELDS = ['passwordHash', 'tokenVersion', 'tokenHash', 'lastSignInIp'];

/** Asserts a response body has none of the secret fields, at any depth. */
export function expectNoSecrets(res: ApiResponse<unknown>): void {
  const keys = keysOf(res.body);
  for (const key of SECRET_FIELDS) expect(keys).not.to.include(key);
}

/** Asserts an error response: status, error id and, when given, the field. */
export function expectError(
  res: ApiResponse<unknown>,
  status: number,
  id: string,
  field?: string,
): void {
  const body = res.body as { error?: { id?: string; field?: string } };
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(body.error?.id).to.equal(id);
  if (field !== undefined) expect(body.error?.field).to.equal(field);
}
