import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PollDto } from '../../../shared/dto.js';
import { signUnsubscribeToken } from '../mail/unsubscribe-token.js';
import { EmailDeliveryModel } from '../models/email-delivery.js';
import type { DiscussionDocument } from '../models/discussion.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { afterWindow, comment, runJobs } from './mail-test-helpers.js';

/** The server's own mail loop ticks at start and then hourly: these tests drive the jobs. */
const QUIET = { MAIL_INTERVAL_MS: '3600000' };

async function scene() {
  const group = await buildGroup();
  const discussion = await buildDiscussion({ group });
  const members = [await addMember(group), await addMember(group), await addMember(group)];
  return { group, discussion, coordinator: group.coordinator, members };
}

/** Starts `count` polls through the API, as people do; returns their ids and titles. */
async function startPolls(
  app: TestApp,
  discussion: DiscussionDocument,
  author: UserDocument,
  count: number,
) {
  const polls: { id: string; title: string }[] = [];
  for (let i = 1; i <= count; i++) {
    const title = `Poll number ${i} of ${count}`;
    const res = await app.post<{ poll: PollDto }>(
      `/api/discussions/${String(discussion._id)}/polls`,
      { kind: 'proposal', title },
      { as: author },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    polls.push({ id: res.body.poll.id, title });
  }
  return polls;
}

const pollMails = (app: TestApp, user: UserDocument) =>
  app.server.mailer.to(user.email).filter((m) => /poll/i.test(m.subject));

describe('notification email in batches: group activity within a few minutes as one email', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(QUIET);
  });
  after(() => app.close());

  it('seven new polls in a minute: one email per member listing all seven, when the window ends', async () => {
    const { group, discussion, coordinator, members } = await scene();
    const polls = await startPolls(app, discussion, coordinator, 7);
    const now = new Date();

    await runJobs(app, now);
    for (const member of members) expect(pollMails(app, member)).to.deep.equal([]);
    const waiting = await EmailDeliveryModel.find({ userId: members[0]._id }).lean();
    expect(waiting.map((d) => d.state)).to.deep.equal(Array(7).fill('batched'));
    expect(new Set(waiting.map((d) => d.dueAt!.getTime())).size).to.equal(1);

    await runJobs(app, afterWindow(now));
    await runJobs(app, afterWindow(afterWindow(now)));
    for (const member of members) {
      const mails = pollMails(app, member);
      expect(mails, member.email).to.have.length(1);
      const [mail] = mails;
      expect(mail.subject).to.equal(`7 new polls in ${group.name}`);
      for (const poll of polls) {
        expect(mail.text).to.include(`"${poll.title}"`);
        expect(mail.text).to.include(`${app.url}/d/${String(discussion._id)}#poll-${poll.id}`);
      }
      // In the order they happened.
      const at = polls.map((p) => mail.text.indexOf(`"${p.title}"`));
      expect(at).to.deep.equal([...at].sort((a, b) => a - b));
      expect(mail.headers!['List-Unsubscribe']).to.match(/\/api\/unsubscribe\//);
      expect(mail.text).to.include('Stop emails about new polls in your groups with one click');
    }
    expect(pollMails(app, coordinator)).to.deep.equal([]); // never about one's own polls
    const sent = await EmailDeliveryModel.find({ userId: members[0]._id }).lean();
    expect(sent.map((d) => d.state)).to.deep.equal(Array(7).fill('sent'));
    expect(new Set(sent.map((d) => d.batchKey)).size).to.equal(1);
  });

  it('mentions and replies go out at once, while the batch waits for its window', async () => {
    const { discussion, coordinator, members } = await scene();
    const [ada] = members;
    await startPolls(app, discussion, coordinator, 2);
    const now = new Date();
    await runJobs(app, now);
    const first = await comment(app, discussion, ada, 'My thoughts');
    await comment(app, discussion, coordinator, `@${ada.handle} what do you think?`);
    await comment(app, discussion, coordinator, 'A reply to you', first.id);
    await runJobs(app);
    expect(app.server.mailer.to(ada.email).map((m) => m.subject)).to.deep.equal([
      `${coordinator.name} mentioned you in "${discussion.title}"`,
      `${coordinator.name} replied to you in "${discussion.title}"`,
    ]);
    expect(await EmailDeliveryModel.countDocuments({ userId: ada._id, state: 'batched' })).to.equal(
      2,
    );

    await runJobs(app, afterWindow(now));
    expect(app.server.mailer.to(ada.email).map((m) => m.subject)).to.have.members([
      `${coordinator.name} mentioned you in "${discussion.title}"`,
      `${coordinator.name} replied to you in "${discussion.title}"`,
      `2 new polls in ${discussion.group.name}`,
    ]);
  });

  it('what happens later opens a new window; a batch of one is the usual single email', async () => {
    const { group, discussion, coordinator, members } = await scene();
    const [ada] = members;
    await startPolls(app, discussion, coordinator, 2);
    const now = new Date();
    await runJobs(app, now);
    await runJobs(app, afterWindow(now));
    const [later] = await startPolls(app, discussion, coordinator, 1);
    const then = new Date();
    await runJobs(app, then);
    expect(pollMails(app, ada)).to.have.length(1);
    await runJobs(app, afterWindow(then));
    const mails = pollMails(app, ada);
    expect(mails.map((m) => m.subject)).to.deep.equal([
      `2 new polls in ${group.name}`,
      `New poll in ${group.name}: "${later.title}"`,
    ]);
  });

  it('respects preferences and unsubscribes as they are when the window ends', async () => {
    const { group, discussion, coordinator, members } = await scene();
    const [ada, bob, cy] = members;
    await startPolls(app, discussion, coordinator, 3);
    const now = new Date();
    await runJobs(app, now);
    // While the batch waits: Ada follows an unsubscribe link, Bob mutes the group.
    const token = signUnsubscribeToken(
      { userId: String(ada._id), kind: 'new_poll' },
      app.jwtSecret,
    );
    expect((await app.post(`/api/unsubscribe/${token}`)).status).to.equal(200);
    const muted = await app.patch(
      '/api/me/email-preferences',
      { groups: [{ groupId: String(group._id), level: 'none' }] },
      { as: bob },
    );
    expect(muted.status).to.equal(200);

    await runJobs(app, afterWindow(now));
    expect(pollMails(app, ada)).to.deep.equal([]);
    expect(pollMails(app, bob)).to.deep.equal([]);
    expect(pollMails(app, cy)).to.have.length(1);
    const skipped = await EmailDeliveryModel.find({ userId: { $in: [ada._id, bob._id] } }).lean();
    expect(skipped.map((d) => `${d.state}:${d.reason}`)).to.deep.equal(
      Array(6).fill('skipped:preferences'),
    );
  });

  it('mixes kinds in one email, with an unsubscribe link for each', async () => {
    const { group, discussion, coordinator, members } = await scene();
    const [ada] = members;
    await app.patch(
      '/api/me/email-preferences',
      { groups: [{ groupId: String(group._id), level: 'all' }] },
      { as: ada },
    );
    const started = await app.post(
      '/api/discussions',
      { groupId: String(group._id), title: 'Summer fair', context: '' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    await startPolls(app, discussion, coordinator, 2);
    const now = new Date();
    await runJobs(app, now);
    await runJobs(app, afterWindow(now));
    const [mail] = app.server.mailer.to(ada.email);
    expect(mail.subject).to.equal(`3 updates in ${group.name}`);
    expect(mail.text).to.include('started the discussion "Summer fair"');
    const stops = mail.text.match(/^Stop .* with one click: \S+$/gm) ?? [];
    expect(stops).to.have.length(2);
    expect(stops[0]).to.include('new polls'); // the kind it holds most of comes first
    expect(stops[1]).to.include('new discussions');
  });
});

describe('notification email in batches across a restart', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-batch-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a restart in the middle of the window loses nothing and sends nothing twice', async () => {
    const env = { ...QUIET, DATA_DIR: dataDir };
    const first = await startTestApp(env);
    let members: UserDocument[];
    let now: Date;
    try {
      const s = await scene();
      members = s.members;
      await startPolls(first, s.discussion, s.coordinator, 7);
      now = new Date();
      await runJobs(first, now);
      expect(await EmailDeliveryModel.countDocuments({ state: 'batched' })).to.equal(21);
      for (const member of members) expect(pollMails(first, member)).to.deep.equal([]);
    } finally {
      await first.close();
    }

    const second = await startTestApp(env);
    try {
      // Before the window ends (the server's own start-up tick included): nothing.
      await runJobs(second, now);
      for (const member of members) expect(pollMails(second, member)).to.deep.equal([]);
      await Promise.all([runJobs(second, afterWindow(now)), runJobs(second, afterWindow(now))]);
      await runJobs(second, afterWindow(afterWindow(now)));
      for (const member of members) {
        const mails = pollMails(second, member);
        expect(mails, member.email).to.have.length(1);
        expect(mails[0].subject).to.match(/^7 new polls in /);
      }
      expect(await EmailDeliveryModel.countDocuments({ state: 'sent' })).to.equal(21);
    } finally {
      await second.close();
    }
  });
});
