/**
 * Announcing a policy change (P16). At start-up the configured version is
 * recorded (models/policy-version.ts); when it replaces an earlier version,
 * every account older than the change sees a notice on its next visit (until
 * dismissed) and is emailed once. The email job claims each person with a
 * conditional update before sending, so several processes, or a restart, never
 * mail anyone twice; a failed send gives the claim back for the next round.
 * Deactivated and deleted accounts are never mailed.
 */
import type { Types } from 'mongoose';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { PolicyVersionModel, type PolicyVersion } from '../models/policy-version.js';
import { UserModel, type User } from '../models/user.js';

/**
 * Records `version` as served from `now` on, if it is new. The first version
 * an installation ever serves is not announced; any later one is.
 */
export async function registerPolicyVersion(
  version: string,
  now: Date = new Date(),
): Promise<PolicyVersion> {
  const known = await PolicyVersionModel.findById(version).lean();
  if (known) return known;
  const announce = (await PolicyVersionModel.exists({ _id: { $ne: version } })) !== null;
  const recorded = await PolicyVersionModel.findOneAndUpdate(
    { _id: version },
    { $setOnInsert: { firstServedAt: now, announce } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return recorded;
}

/** Whether `user` is still to be told about `version` on the site. */
export async function isNoticeDue(
  user: Pick<User, 'createdAt' | 'policyVersionSeen'>,
  version: string,
): Promise<boolean> {
  if (user.policyVersionSeen === version) return false;
  const recorded = await PolicyVersionModel.findById(version).lean();
  return recorded !== null && recorded.announce && user.createdAt < recorded.firstServedAt;
}

/** The person dismissed the notice of `version`. */
export async function markPolicySeen(userId: Types.ObjectId, version: string): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $set: { policyVersionSeen: version } });
}

export interface PolicyNoticeOptions {
  mailer: Mailer;
  version: string;
  publicUrl: string;
  logger?: Logger;
}

const BATCH = 100;

function noticeMail(user: Pick<User, 'name' | 'email'>, version: string, publicUrl: string) {
  const link = `${publicUrl}/privacy`;
  return {
    to: user.email,
    subject: 'Our privacy policy has changed',
    text: [
      `Hello ${user.name},`,
      '',
      `The privacy policy of Quorum at ${publicUrl} has been updated (version ${version}).`,
      'It describes what is stored about you, who can see it and what you can do about it.',
      '',
      `Read it here: ${link}`,
      '',
      'This is a one-time notice about the change: you receive it because you have an account.',
    ].join('\n'),
  };
}

/** Emails everyone due a notice of `version`; returns how many were sent by this call. */
export async function sendPolicyNotices(options: PolicyNoticeOptions): Promise<number> {
  const recorded = await PolicyVersionModel.findById(options.version).lean();
  if (!recorded?.announce) return 0;
  const due = {
    createdAt: { $lt: recorded.firstServedAt },
    deactivatedAt: null,
    deletedAt: null,
    policyNoticeMailedVersion: { $ne: options.version },
  };
  let sent = 0;
  for (;;) {
    const batch = await UserModel.find(due, { _id: 1 }).sort({ _id: 1 }).limit(BATCH).lean();
    for (const { _id } of batch) {
      // The claim: only one process (or round) wins each person.
      const user = await UserModel.findOneAndUpdate(
        { _id, ...due },
        { $set: { policyNoticeMailedVersion: options.version } },
        {
          projection: { name: 1, email: 1, policyNoticeMailedVersion: 1 },
          returnDocument: 'before',
        },
      ).lean();
      if (!user) continue;
      try {
        await options.mailer.send(noticeMail(user, options.version, options.publicUrl));
        sent++;
      } catch (error) {
        await UserModel.updateOne(
          { _id, policyNoticeMailedVersion: options.version },
          { $set: { policyNoticeMailedVersion: user.policyNoticeMailedVersion } },
        );
        throw error;
      }
    }
    if (batch.length < BATCH) return sent;
  }
}

export interface PolicyNotices {
  stop(): Promise<void>;
}

/**
 * Records the configured version, then mails its notices, retrying every
 * `intervalMs` while some could not be sent (mail server down).
 */
export function startPolicyNotices(
  options: PolicyNoticeOptions & { intervalMs: number },
): PolicyNotices {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = sendPolicyNotices(options)
      .then((sent) => {
        if (sent > 0) options.logger?.info(`privacy policy: notified ${sent} person(s) by email`);
      })
      .catch((error: unknown) => {
        options.logger?.error('privacy policy: notice emails failed, will retry', error);
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
