import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Types } from 'mongoose';
import nodemailer from 'nodemailer';
import { NodemailerMailer } from '../mail/transport.js';
import { EmailDeliveryModel } from '../models/email-delivery.js';
import { EventModel } from '../models/event.js';
import { NotificationModel } from '../models/notification.js';
import { MembershipModel } from '../models/membership.js';
import { PollModel } from '../models/poll.js';
import { UserModel } from '../models/user.js';
import { buildPoll, buildVote } from '../test/factories-polls.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { collectNotifications } from './mail-collect.js';
import { digestCut } from './mail-digest.js';
import { claimNext } from './mail-send.js';
import { afterWindow, comment, runJobs, settingsOf } from './mail-test-helpers.js';
import { runMailJobs } from './mail-jobs.js';

const HOUR = 3600_000;
/** The server's own mail loop ticks at start and then hourly: these tests drive the jobs. */
const QUIET = { MAIL_INTERVAL_MS: '3600000' };

async function scene() {
  const group = await buildGroup();
  const discussion = await buildDiscussion({ group });
  const ada = await addMember(group);
  const bob = await addMember(group);
  return { group, discussion, coordinator: group.coordinator, ada, bob };
}

describe('notification email jobs', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(QUIET);
  });
  after(() => app.close());

  it('emails a mention and a reply at once, with the unsubscribe link and one-click headers', async () => {
    const { discussion, ada, bob } = await scene();
    const first = await comment(app, discussion, ada, 'What do you think?');
    await comment(app, discussion, bob, `@${ada.handle} I agree`, first.id);
    expect(await runJobs(app)).to.equal(1); // a mention, not also a reply to the same person
    const [mail] = app.server.mailer.to(ada.email);
    expect(mail.subject).to.match(/mentioned you in "Discussion/);
    expect(mail.text).to.include('> @');
    expect(mail.text).to.include(`${app.url}/unsubscribe/`);
    expect(mail.headers!['List-Unsubscribe']).to.match(
      new RegExp(`^<${app.url}/api/unsubscribe/[\\w-]+\\.[\\w-]+\\.[\\w-]+>$`),
    );
    expect(mail.headers!['List-Unsubscribe-Post']).to.equal('List-Unsubscribe=One-Click');
    expect(mail.html).to.include('href=');

    await comment(app, discussion, bob, 'A plain reply', first.id);
    expect(await runJobs(app)).to.equal(1);
    expect(app.server.mailer.to(ada.email).at(-1)!.subject).to.match(/replied to you/);
  });

  it('renders the headers into the real message through nodemailer', async () => {
    const { discussion, ada, bob } = await scene();
    await comment(app, discussion, bob, `Hello @${ada.handle}`);
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const raw: string[] = [];
    const sendMail = transport.sendMail.bind(transport);
    transport.sendMail = (async (options: Parameters<typeof sendMail>[0]) => {
      const info = (await sendMail(options)) as unknown as { message: Buffer };
      raw.push(info.message.toString());
      return info;
    }) as typeof transport.sendMail;
    const mailer = new NodemailerMailer(transport, 'Quorum <quorum@example.org>');
    await runMailJobs({ mailer, settings: settingsOf(app), batchWindowMs: 0, digestHourUtc: 7 });
    expect(raw).to.have.length(1);
    expect(raw[0]).to.match(/^List-Unsubscribe:\s+<http:\/\/127\.0\.0\.1:\d+\/api\/unsubscribe\//m);
    expect(raw[0]).to.match(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(raw[0]).to.match(/^From: Quorum <quorum@example.org>/m);
  });

  it('follows per-kind switches and per-group levels', async () => {
    const { group, discussion, coordinator, ada, bob } = await scene();
    const other = await buildGroup({ coordinator });
    await addMember(other, ada);
    await addMember(other, bob);
    // Ada: no mention emails, everything from `group`, nothing from `other`.
    await app.patch(
      '/api/me/email-preferences',
      {
        kinds: { mention: false },
        groups: [
          { groupId: String(group._id), level: 'all' },
          { groupId: String(other._id), level: 'none' },
        ],
      },
      { as: ada },
    );
    // Bob keeps the defaults: mentions, and `important` (new polls, not new discussions).
    await comment(app, discussion, coordinator, `@${ada.handle} @${bob.handle} look`);
    const started = await app.post(
      '/api/discussions',
      { groupId: String(group._id), title: 'A new topic', context: 'Context' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const otherDiscussion = await buildDiscussion({ group: other });
    await buildPoll({ discussion: otherDiscussion });
    await EventModel.create({
      discussionId: otherDiscussion._id,
      sequence: 1,
      kind: 'poll_created',
      actorId: coordinator._id,
      pollId: (await buildPoll({ discussion: otherDiscussion }))._id,
    });
    // Mentions at once; group activity when its batch window has ended.
    await runJobs(app);
    await runJobs(app, afterWindow());
    const subjects = (user: typeof ada) => app.server.mailer.to(user.email).map((m) => m.subject);
    expect(subjects(ada)).to.deep.equal(['New discussion in ' + group.name + ': "A new topic"']);
    expect(subjects(bob).filter((s) => /mentioned/.test(s))).to.have.length(1);
    expect(subjects(bob).filter((s) => /New discussion/.test(s))).to.have.length(0);
    expect(subjects(bob).filter((s) => /New poll/.test(s))).to.have.length(1);
    expect(app.server.mailer.to(coordinator.email)).to.have.length(0); // never about oneself
    const skipped = await EmailDeliveryModel.find({ userId: ada._id, state: 'skipped' }).lean();
    expect(skipped.map((d) => d.reason).sort()).to.deep.equal(['preferences', 'preferences']);
  });

  it('sends nothing to deactivated or deleted accounts, or to unconfirmed addresses', async () => {
    const { discussion, coordinator, ada, bob } = await scene();
    const cy = await addMember(discussion.group);
    await UserModel.updateOne({ _id: ada._id }, { $set: { deactivatedAt: new Date() } });
    await UserModel.updateOne({ _id: bob._id }, { $set: { deletedAt: new Date() } });
    await UserModel.updateOne({ _id: cy._id }, { $set: { emailVerifiedAt: null } });
    // Notifications made before the accounts changed, as the comment route would have.
    for (const user of [ada, bob, cy])
      await NotificationModel.create({
        userId: user._id,
        kind: 'mention',
        actorId: coordinator._id,
        discussionId: discussion._id,
      });
    expect(await runJobs(app)).to.equal(0);
    for (const user of [ada, bob, cy]) expect(app.server.mailer.to(user.email)).to.deep.equal([]);
    const reasons = await EmailDeliveryModel.find({
      userId: { $in: [ada._id, bob._id, cy._id] },
    }).lean();
    expect(reasons.map((d) => d.reason).sort()).to.deep.equal([
      'inactive',
      'inactive',
      'unverified',
    ]);
  });

  it('does not tell someone who can no longer read the discussion', async () => {
    const { discussion, coordinator, ada } = await scene();
    await comment(app, discussion, coordinator, `@${ada.handle} see this`);
    await MembershipModel.deleteOne({ userId: ada._id, groupId: discussion.groupId });
    await runJobs(app);
    expect(app.server.mailer.to(ada.email)).to.deep.equal([]);
  });

  it('never sends one notification twice, however often the jobs run', async () => {
    const { discussion, coordinator, ada } = await scene();
    await comment(app, discussion, coordinator, `@${ada.handle} once`);
    const counts = await Promise.all([runJobs(app), runJobs(app), runJobs(app)]);
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(1);
    await runJobs(app);
    expect(app.server.mailer.to(ada.email)).to.have.length(1);
  });

  it('gathers a day of group activity into one digest, once', async () => {
    const { group, discussion, coordinator, ada } = await scene();
    await app.patch(
      '/api/me/email-preferences',
      { digest: true, groups: [{ groupId: String(group._id), level: 'all' }] },
      { as: ada },
    );
    const poll = await buildPoll({ discussion, closedAt: new Date() });
    await buildVote(poll, ada, [{ optionId: 'agree', value: 1 }]);
    for (const title of ['First topic', 'Second topic'])
      await app.post(
        '/api/discussions',
        { groupId: String(group._id), title, context: '' },
        { as: coordinator },
      );
    const outcome = await app.post(
      `/api/polls/${String(poll._id)}/outcome`,
      { statement: 'We agreed.' },
      { as: coordinator },
    );
    expect(outcome.status).to.equal(200);
    await comment(app, discussion, coordinator, `@${ada.handle} still at once`);

    const now = new Date();
    await runJobs(app, now);
    // The mention came at once; the rest waits for the digest.
    expect(app.server.mailer.to(ada.email).map((m) => m.subject)).to.have.length(1);
    expect(await EmailDeliveryModel.countDocuments({ userId: ada._id, state: 'held' })).to.equal(3);

    const tomorrow = new Date(digestCut(now, 7).getTime() + 24 * HOUR + 1);
    await runJobs(app, tomorrow);
    await runJobs(app, new Date(tomorrow.getTime() + HOUR));
    const mails = app.server.mailer.to(ada.email);
    expect(mails).to.have.length(2);
    const digest = mails[1];
    expect(digest.subject).to.equal('Your Quorum digest: 3 updates');
    expect(digest.text).to.include('First topic').and.include('Second topic');
    expect(digest.text).to.include('We agreed.');
    expect(digest.headers!['List-Unsubscribe-Post']).to.equal('List-Unsubscribe=One-Click');
  });

  it('reminds those who have not voted, a day before closing, once', async () => {
    const { discussion, coordinator, ada, bob } = await scene();
    const now = new Date();
    const poll = await buildPoll({ discussion, closesAt: new Date(now.getTime() + 20 * HOUR) });
    await PollCreatedLongAgo(poll._id, new Date(now.getTime() - 3 * 24 * HOUR));
    const short = await buildPoll({ discussion, closesAt: new Date(now.getTime() + 20 * HOUR) });
    await buildVote(poll, bob, [{ optionId: 'agree', value: 1 }]);
    await runJobs(app, now);
    await runJobs(app, new Date(now.getTime() + HOUR));
    const reminders = await NotificationModel.find({
      pollId: poll._id,
      kind: 'poll_closing',
    }).lean();
    expect(reminders.map((n) => String(n.userId)).sort()).to.deep.equal(
      [String(coordinator._id), String(ada._id)].sort(),
    );
    expect(
      await NotificationModel.countDocuments({ pollId: short._id, kind: 'poll_closing' }),
    ).to.equal(0);
    const closing = app.server.mailer.to(ada.email).filter((m) => /Closing soon/.test(m.subject));
    expect(closing).to.have.length(1);
    expect(
      app.server.mailer.to(bob.email).filter((m) => /Closing soon/.test(m.subject)),
    ).to.have.length(0);
  });
});

async function PollCreatedLongAgo(id: Types.ObjectId, createdAt: Date) {
  await PollModel.collection.updateOne({ _id: id }, { $set: { createdAt } });
}

describe('notification email across a restart', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-mail-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sends what was pending, and never again what was sent or claimed before the crash (at most once)', async () => {
    const env = { ...QUIET, DATA_DIR: dataDir };
    const first = await startTestApp(env);
    let ada, bob, cy;
    try {
      const s = await scene();
      [ada, bob] = [s.ada, s.bob];
      cy = await addMember(s.group);
      await comment(first, s.discussion, s.coordinator, `@${ada.handle} sent before`);
      expect(await runJobs(first)).to.equal(1);
      // Bob's email is claimed, then the process "dies" before sending it.
      await comment(first, s.discussion, s.coordinator, `@${bob.handle} lost in the crash`);
      await collectNotifications();
      expect((await claimNext())!.userId.equals(bob._id)).to.equal(true);
      // Cy's notification is made but no job has seen it yet.
      await comment(first, s.discussion, s.coordinator, `@${cy.handle} after the crash`);
    } finally {
      await first.close();
    }

    const second = await startTestApp(env);
    try {
      // The start-up tick of the server's own loop sends Cy's email.
      const deadline = Date.now() + 5000;
      while (second.server.mailer.to(cy.email).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      await runJobs(second);
      expect(second.server.mailer.to(cy.email)).to.have.length(1);
      expect(second.server.mailer.to(ada.email)).to.deep.equal([]);
      expect(second.server.mailer.to(bob.email)).to.deep.equal([]);
      const bobs = await EmailDeliveryModel.findOne({ userId: bob._id }).lean();
      expect(bobs!.state).to.equal('claimed');
    } finally {
      await second.close();
    }
  });
});
