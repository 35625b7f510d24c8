import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventModel } from '../models/event.js';
import { PollModel, type PollDocument } from '../models/poll.js';
import { buildDiscussion } from '../test/factories.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { closeDuePolls, startPollCloser } from './poll-closer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

const closeEvents = (poll: PollDocument) =>
  EventModel.find({ pollId: poll._id, kind: 'poll_closed' }).lean();

describe('poll closer job', () => {
  describe('on a running server', () => {
    let app: TestApp;
    before(async () => {
      // The server's own closer ticks once at start and then rarely, so these tests drive their own.
      app = await startTestApp({ POLL_CLOSER_INTERVAL_MS: '3600000' });
    });
    after(() => app.close());

    it('closes a due poll at its closing time, with one poll_closed event without actor, and leaves others open', async () => {
      const discussion = await buildDiscussion();
      const closesAt = new Date(Date.now() - 60_000);
      const due = await buildPoll({ discussion, closesAt });
      const later = await buildPoll({ discussion, closesAt: new Date(Date.now() + 60_000) });
      const endless = await buildPoll({ discussion, closesAt: null });
      const alreadyClosed = await buildPoll({
        discussion,
        closesAt,
        closedAt: new Date(Date.now() - 30_000),
      });

      const closer = startPollCloser({ intervalMs: 50 });
      try {
        await eventually(async () => (await PollModel.findById(due._id))!.closedAt !== null);
      } finally {
        await closer.stop();
      }
      expect((await PollModel.findById(due._id))!.closedAt!.getTime()).to.equal(closesAt.getTime());
      const events = await closeEvents(due);
      expect(events).to.have.length(1);
      expect(events[0].actorId).to.equal(null);
      expect((await PollModel.findById(later._id))!.closedAt).to.equal(null);
      expect((await PollModel.findById(endless._id))!.closedAt).to.equal(null);
      expect(await closeEvents(alreadyClosed)).to.have.length(0);
    });

    it('never closes a poll twice when several closers race, in bulk and tick by tick', async () => {
      const discussion = await buildDiscussion();
      const past = new Date(Date.now() - 1000);
      const polls = await Promise.all(
        Array.from({ length: 12 }, () => buildPoll({ discussion, closesAt: past })),
      );

      const counts = await Promise.all([closeDuePolls(), closeDuePolls(), closeDuePolls()]);
      expect(counts.reduce((a, b) => a + b, 0)).to.equal(polls.length);
      for (const poll of polls) expect(await closeEvents(poll)).to.have.length(1);

      const more = await Promise.all(
        Array.from({ length: 6 }, () =>
          buildPoll({ discussion, closesAt: new Date(Date.now() + 150) }),
        ),
      );
      const closers = [startPollCloser({ intervalMs: 10 }), startPollCloser({ intervalMs: 10 })];
      try {
        await eventually(
          async () =>
            (await PollModel.countDocuments({
              _id: { $in: more.map((p) => p._id) },
              closedAt: null,
            })) === 0,
        );
        await sleep(100); // more ticks of both closers, which must change nothing
      } finally {
        await Promise.all(closers.map((c) => c.stop()));
      }
      for (const poll of more) expect(await closeEvents(poll)).to.have.length(1);
    });

    it('stop() waits for the tick in progress and no tick runs afterwards', async () => {
      const discussion = await buildDiscussion();
      const closer = startPollCloser({ intervalMs: 10 });
      await closer.stop();
      const due = await buildPoll({ discussion, closesAt: new Date(Date.now() - 1000) });
      await sleep(100);
      expect((await PollModel.findById(due._id))!.closedAt).to.equal(null);
      expect(await closeDuePolls()).to.equal(1);
    });
  });

  describe('across a restart', () => {
    let dataDir: string;
    before(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-poll-closer-'));
    });
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('closes a poll that fell due while the server was down as soon as it starts again', async () => {
      const env = { DATA_DIR: dataDir, POLL_CLOSER_INTERVAL_MS: '3600000' };
      const first = await startTestApp(env);
      let poll: PollDocument;
      try {
        // Written straight to the database, due shortly after this server stops.
        poll = await buildPoll({ closesAt: new Date(Date.now() + 300) });
      } finally {
        await first.close();
      }
      await sleep(500);

      const second = await startTestApp(env);
      try {
        // The next regular tick is an hour away: only the tick at start-up can close it.
        await eventually(async () => (await PollModel.findById(poll._id))!.closedAt !== null, 3000);
        const events = await closeEvents(poll);
        expect(events).to.have.length(1);
        expect(events[0].actorId).to.equal(null);
      } finally {
        await second.close();
      }
    });
  });
});
