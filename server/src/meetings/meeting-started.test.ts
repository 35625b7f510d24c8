import { expect } from 'chai';
import { meetingPath } from '../../../shared/routes.js';
import { runJobs } from '../jobs/mail-test-helpers.js';
import { NotificationModel } from '../models/notification.js';
import { TestClients } from '../realtime/test-clients.js';
import { addMember, buildGroup } from '../test/factories.js';
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
});
