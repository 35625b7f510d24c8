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
import { appUrl, ROUTES } from '../../../shared/routes.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { PolicyVersionModel, type PolicyVersion } from '../models/policy-version.js';
import { UserModel, type User } from '../models/user.js';
import { startPeriodicJob, type PeriodicJob } from '../jobs/periodic.js';

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
  const link = appUrl(publicUrl, ROUTES.privacy);
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

export type PolicyNotices = PeriodicJob;

/**
 * Mails the configured version's notices, retrying every `intervalMs` while
 * they could not all be sent (mail server down).
 */
export function startPolicyNotices(
  options: PolicyNoticeOptions & { intervalMs: number },
): PolicyNotices {
  return startPeriodicJob({
    name: 'privacy policy notices',
    intervalMs: options.intervalMs,
    logger: options.logger,
    level: 'info',
    untilSuccess: true,
    work: async () => {
      const sent = await sendPolicyNotices(options);
      return sent > 0 ? `notified ${sent} person(s) by email` : null;
    },
  });
}
