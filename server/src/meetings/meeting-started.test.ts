import { expect } from 'chai';
import { meetingPath } from '../../../shared/routes.js';
import { afterWindow, runJobs } from '../jobs/mail-test-helpers.js';
import { EmailDeliveryModel } from '../models/email-delivery.js';
import { NotificationModel } from '../models/notification.js';
import { TestClients } from '../realtime/test-clients.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { act, buildMeeting } from './test-meetings.js';

describe('meetings: starting one notifies the members', () => {
  let app: TestApp;
  let clients: TestClients;
  before(async () => {
    app = await startTestApp({ MAIL_INTERVAL_MS: '3600000' });
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  it('in the app (live) and by email where preferences allow, once, linking the meeting', async () => {
    const group = await buildGroup();
    const ada = await addMember(group);
    const bob = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    const off = await app.request('PATCH', '/api/me/email-preferences', {
      as: bob,
      body: { kinds: { meeting_started: false } },
    });
    expect(off.status).to.equal(200);

    const socket = await clients.connect(ada);
    const live = new Promise<{ kind: string; meetingId: string | null }>((resolve) =>
      socket.on('notification:new', resolve),
    );
    const f = await clients.connect(group.coordinator);
    await act(f, meeting.id, { type: 'meeting.start' });
    await act(f, meeting.id, { type: 'meeting.start' }); // a double click
    const notice = await live;
    expect(notice).to.include({ kind: 'meeting_started', meetingId: meeting.id });

    const stored = await NotificationModel.find({ meetingId: meeting.id }).lean();
    expect(stored.map((n) => String(n.userId)).sort()).to.deep.equal(
      [String(ada._id), String(bob._id)].sort(),
    );

    await runJobs(app);
    const [mail, ...more] = app.server.mailer.to(ada.email);
    expect(more).to.deep.equal([]);
    expect(mail.subject).to.match(/^Live now in .*: "Board meeting"$/);
    expect(mail.text).to.include(`${app.url}${meetingPath(meeting.id)}`);
    expect(app.server.mailer.to(bob.email)).to.deep.equal([]);
    expect(app.server.mailer.to(group.coordinator.email)).to.deep.equal([]);
  });

  it('sends no new-poll email for its quick votes, while a poll posted in the discussion gets one', async () => {
    const group = await buildGroup();
    const ada = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['One'],
    });
    const f = await clients.connect(group.coordinator);
    await act(f, meeting.id, { type: 'meeting.start' });
    await runJobs(app, afterWindow());
    for (const title of ['Quick one?', 'Quick two?'])
      await act(f, meeting.id, {
        type: 'vote.open',
        clientId: `qv-${title}`,
        kind: 'proposal',
        title,
        durationSeconds: 60,
        hidden: false,
      });
    const posted = await app.post<{ poll: { id: string } }>(
      `/api/discussions/${String(discussion._id)}/polls`,
      { kind: 'proposal', title: 'Posted in the discussion' },
      { as: group.coordinator },
    );
    expect(posted.status).to.equal(201);
    await runJobs(app);
    await runJobs(app, afterWindow(new Date(Date.now() + 1000)));
    // What the mail jobs collected for Ada about new polls: the posted one only.
    const collected = await EmailDeliveryModel.find({ userId: ada._id, kind: 'new_poll' }).lean();
    expect(collected.map((d) => String(d.pollId))).to.deep.equal([posted.body.poll.id]);
    const mails = app.server.mailer.to(ada.email).map((m) => `${m.subject}\n${m.text}`);
    expect(mails.join('\n')).to.include('Posted in the discussion');
    expect(mails.join('\n')).not.to.include('Quick');
  });
});
