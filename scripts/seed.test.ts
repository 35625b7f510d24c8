import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { POLL_KINDS, type PollKind } from '../shared/domain.js';
import { loadConfig } from '../server/src/config.js';
import type { Logger } from '../server/src/logger.js';
import { CommentModel } from '../server/src/models/comment.js';
import { DiscussionModel } from '../server/src/models/discussion.js';
import { EventModel } from '../server/src/models/event.js';
import { GroupModel } from '../server/src/models/group.js';
import { GuestModel } from '../server/src/models/guest.js';
import { MembershipModel } from '../server/src/models/membership.js';
import { NotificationModel } from '../server/src/models/notification.js';
import { PollModel } from '../server/src/models/poll.js';
import { ReactionModel } from '../server/src/models/reaction.js';
import { UserModel } from '../server/src/models/user.js';
import { VoteModel } from '../server/src/models/vote.js';
import { EmailDeliveryModel } from '../server/src/models/email-delivery.js';
import { comment, runJobs } from '../server/src/jobs/mail-test-helpers.js';
import { startServer } from '../server/src/server.js';
import { startTestApp, type TestApp } from '../server/src/test/harness.js';
import { DEMO_PASSWORD, seedDemo, type SeedResult } from './seed.js';

/** A logger that keeps what was logged at info level and above. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    error: (message, error) => lines.push(`error: ${message} ${String(error)}`),
    warn: (message) => lines.push(`warn: ${message}`),
    info: (message) => lines.push(`info: ${message}`),
    debug: () => undefined,
  };
}

const MODELS = [
  UserModel,
  GroupModel,
  MembershipModel,
  GuestModel,
  DiscussionModel,
  CommentModel,
  ReactionModel,
  EventModel,
  PollModel,
  VoteModel,
  NotificationModel,
];

const counts = () => Promise.all(MODELS.map((m) => m.collection.countDocuments()));

describe('seedDemo', function () {
  this.timeout(60_000);
  let app: TestApp;
  let result: SeedResult;
  const logger = recordingLogger();

  before(async () => {
    app = await startTestApp({ MAIL_INTERVAL_MS: '3600000' });
    result = await seedDemo({ logger });
  });
  after(() => app.close());

  it('creates the demo accounts and logs each with the shared password', () => {
    expect(result.seeded).to.equal(true);
    expect(result.accounts).to.have.length(8);
    const log = logger.lines.join('\n');
    for (const account of result.accounts) {
      expect(account.password).to.equal(DEMO_PASSWORD);
      expect(log).to.include(account.email);
    }
    expect(log).to.include(DEMO_PASSWORD);
    expect(result.accounts.map((a) => a.name)).to.include('Night Owl');
  });

  it('lists every demo account and the password in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Demo accounts'));
    expect(section).to.include(`**\`${DEMO_PASSWORD}\`**`);
    for (const account of result.accounts) {
      expect(section).to.include(`| \`${account.email}\``).and.include(account.name);
    }
  });

  it('lets every demo account sign in with the printed credentials', async () => {
    for (const account of result.accounts) {
      const res = await app.post<{ user: { handle: string; emailVerified: boolean } }>(
        '/api/auth/signin',
        { email: account.email, password: account.password },
      );
      expect(res.status, account.email).to.equal(200);
      expect(res.body.user).to.include({ handle: account.handle, emailVerified: true });
    }
  });

  it('has polls of every kind, open and closed, with outcomes, anonymity and hidden results', async () => {
    const polls = await PollModel.find().lean();
    expect(new Set(polls.map((p) => p.kind))).to.deep.equal(new Set<PollKind>(POLL_KINDS));
    const now = Date.now();
    const open = polls.filter((p) => p.closedAt === null);
    const closed = polls.filter((p) => p.closedAt !== null);
    expect(open.length).to.be.greaterThan(2);
    expect(closed.length).to.be.greaterThan(1);
    for (const p of open) {
      if (p.closesAt !== null) expect(p.closesAt.getTime(), p.title).to.be.greaterThan(now);
    }
    for (const p of closed) {
      expect(p.closedAt!.getTime(), p.title).to.be.lessThan(now);
      expect(p.outcome?.statement, p.title).to.be.a('string').and.not.empty;
    }
    expect(polls.some((p) => p.closesAt === null && p.kind === 'proposal')).to.equal(true);
    expect(polls.some((p) => p.anonymous && p.closedAt === null)).to.equal(true);
    expect(polls.some((p) => p.hideResults === 'until_voted')).to.equal(true);
    for (const p of polls) {
      const votes = await VoteModel.find({ pollId: p._id }).lean();
      expect(p.voterCount, p.title).to.equal(votes.length).and.be.greaterThan(1);
      expect(
        votes.some((v) => v.reason !== ''),
        p.title,
      ).to.equal(true);
    }
  });

  it('keeps every timeline gap-free, in time order, and in step with its records', async () => {
    const discussions = await DiscussionModel.find().lean();
    expect(discussions).to.have.length.within(5, 6);
    for (const d of discussions) {
      const events = await EventModel.find({ discussionId: d._id }).sort({ sequence: 1 }).lean();
      expect(events.map((e) => e.sequence)).to.deep.equal(
        Array.from({ length: d.lastSequence }, (_, i) => i + 1),
      );
      const times = events.map((e) => e.createdAt.getTime());
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
      expect(times[0]).to.equal(d.createdAt.getTime());
      expect(d.lastActivityAt.getTime()).to.equal(times[times.length - 1]);
      for (const c of await CommentModel.find({ discussionId: d._id }).lean()) {
        const posted = events.find(
          (e) => e.kind === 'comment_posted' && e.commentId?.equals(c._id),
        );
        expect(posted?.sequence).to.equal(c.sequence);
        expect(c.createdAt.getTime()).to.equal(posted?.createdAt.getTime());
      }
    }
    const anonymous = await PollModel.find({ anonymous: true }).lean();
    // Anonymous polls have no vote events at all (their voters' moments are nobody's business).
    expect(anonymous).to.not.be.empty;
    const anonymousEvents = await EventModel.countDocuments({
      pollId: { $in: anonymous.map((p) => p._id) },
      kind: 'vote_cast',
    });
    expect(anonymousEvents).to.equal(0);
  });

  it('has replies, an edit with history, a deletion, reactions, a mention and a guest', async () => {
    const comments = await CommentModel.find().lean();
    expect(comments.some((c) => c.parentId !== null)).to.equal(true);
    const edited = comments.filter((c) => c.history.length > 0);
    expect(edited).to.not.be.empty;
    expect(edited[0].history[0].editedAt.getTime()).to.equal(edited[0].editedAt?.getTime());
    expect(comments.some((c) => c.deletedAt !== null && c.body === '')).to.equal(true);
    expect(await ReactionModel.countDocuments()).to.be.greaterThan(5);
    expect(comments.some((c) => c.mentionedUserIds.length > 0)).to.equal(true);
    expect(await NotificationModel.countDocuments({ kind: 'mention' })).to.be.greaterThan(0);
    expect(await GuestModel.countDocuments()).to.equal(1);
  });

  it('shows each person what their place allows, through the API', async () => {
    const samir = await UserModel.findOne({ handle: 'samir' });
    const nightowl = await UserModel.findOne({ handle: 'nightowl' });
    const garden = await GroupModel.findOne({ handle: 'riverside-garden' });
    const [publicDiscussion] = await DiscussionModel.find({ groupId: garden?._id }).lean();
    expect((await app.get(`/api/discussions/${String(publicDiscussion._id)}`)).status).to.equal(
      200,
    );
    const finance = await GroupModel.findOne({ name: 'Co-op Finance Committee' });
    expect(finance?.handle).to.equal(null);
    expect(
      (await app.get(`/api/groups/${String(finance?._id)}`, { as: nightowl })).status,
    ).to.equal(404);
    const guestOf = await GuestModel.findOne({ userId: samir?._id });
    expect(
      (await app.get(`/api/discussions/${String(guestOf?.discussionId)}`, { as: samir })).status,
    ).to.equal(200);
    const otherCoopDiscussion = await DiscussionModel.findOne({
      groupId: (await DiscussionModel.findById(guestOf?.discussionId))?.groupId,
      _id: { $ne: guestOf?.discussionId },
    });
    expect(
      (await app.get(`/api/discussions/${String(otherCoopDiscussion?._id)}`, { as: samir })).status,
    ).to.equal(404);

    // Amara has not voted on the solar options: their results stay hidden from her.
    const amara = await UserModel.findOne({ handle: 'amara' });
    const hidden = await PollModel.findOne({ hideResults: 'until_voted' });
    const res = await app.get<{ poll: Record<string, unknown> }>(
      `/api/polls/${String(hidden?._id)}`,
      { as: amara },
    );
    expect(res.status).to.equal(200);
    expect(res.body.poll).to.not.have.property('results');
  });

  it('sends no email for the demo, keeping its notifications in the inboxes; later news is mailed', async () => {
    const mails = () => app.server.mailer.sent.length;
    expect(await runJobs(app)).to.equal(0);
    expect(mails()).to.equal(0);
    expect(await EmailDeliveryModel.countDocuments()).to.equal(0);
    expect(await NotificationModel.countDocuments()).to.be.greaterThan(0);

    // What happens after the seed is news as usual.
    const tomas = await UserModel.findOne({ handle: 'tomas' }).orFail();
    const amara = await UserModel.findOne({ handle: 'amara' }).orFail();
    const coop = await GroupModel.findOne({ name: 'Maple Street Housing Co-op' }).orFail();
    const discussion = await DiscussionModel.findOne({
      groupId: coop._id,
      closedAt: null,
    }).orFail();
    await comment(app, discussion, tomas, '@amara could you look at this?');
    expect(await runJobs(app)).to.equal(1);
    expect(app.server.mailer.to(amara.email)).to.have.length(1);
  });

  it('does nothing on a database that already has accounts', async () => {
    const before = await counts();
    const again = await seedDemo({ logger: recordingLogger() });
    expect(again).to.deep.equal({ seeded: false, accounts: [] });
    expect(await counts()).to.deep.equal(before);
  });
});

describe('demo seeding at start-up', function () {
  this.timeout(60_000);

  const start = async (env: Record<string, string>) => {
    const logger = recordingLogger();
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: ':memory:',
      ...env,
    });
    const running = await startServer(config, logger);
    try {
      return { lines: logger.lines, users: await UserModel.countDocuments() };
    } finally {
      await running.graceful.shutdown('test over');
    }
  };

  it('seeds an empty database in development and logs the accounts', async () => {
    const { lines, users } = await start({ NODE_ENV: 'development' });
    expect(users, lines.join('\n')).to.equal(8);
    expect(lines.join('\n')).to.include('amara@example.org').and.include(DEMO_PASSWORD);
  });

  it('does not seed when SEED_DEMO=false, nor in tests even when asked', async () => {
    expect((await start({ NODE_ENV: 'development', SEED_DEMO: 'false' })).users).to.equal(0);
    expect((await start({ NODE_ENV: 'test', SEED_DEMO: 'true' })).users).to.equal(0);
  });
});
