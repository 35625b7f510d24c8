import { expect } from 'chai';
import { startTestApp, type TestApp } from '../test/harness.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
  TEST_PASSWORD,
} from '../test/factories.js';
import { buildNotification } from '../test/factories-discussions.js';

describe('Cache-Control on API answers', function () {
  this.timeout(30_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  it('answers every personal request with no-store: me, its settings and export, inbox, notifications', async () => {
    const user = await buildUser({ email: 'cache@example.org' });
    const group = await buildGroup();
    await addMember(group, user);
    await buildDiscussion({ group });
    await buildNotification(user);
    for (const path of [
      '/api/me',
      '/api/me/email-preferences',
      '/api/me/export',
      '/api/inbox',
      '/api/notifications',
      `/api/groups/${String(group._id)}`,
    ]) {
      const res = await app.get(path, { as: user });
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('cache-control'), path).to.equal('no-store');
    }
    const signin = await app.post('/api/auth/signin', {
      email: 'cache@example.org',
      password: TEST_PASSWORD,
    });
    expect(signin.status).to.equal(200);
    expect(signin.headers.get('cache-control')).to.equal('no-store');
  });

  it('says no-store on refusals and errors too (401, 404, 400)', async () => {
    const answers = [
      await app.get('/api/me'),
      await app.get('/api/nothing-here'),
      await app.request('POST', '/api/auth/signin', { raw: '{"broken":' }),
    ];
    expect(answers.map((r) => r.status)).to.deep.equal([401, 404, 400]);
    for (const res of answers) expect(res.headers.get('cache-control')).to.equal('no-store');
  });
});
