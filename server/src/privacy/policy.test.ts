/**
 * P3 and P16: the policy and the third parties come from configuration; a
 * new policy version is announced once, on the site and by email.
 */
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PolicyNoticeDto, PrivacyPolicyDto, ThirdPartyDto } from '../../../shared/dto.js';
import { DEFAULT_POLICY_VERSION, loadConfig } from '../config.js';
import { PolicyVersionModel } from '../models/policy-version.js';
import { UserModel, type UserDocument } from '../models/user.js';
import { buildUser } from '../test/factories.js';
import { expectError } from '../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { registerPolicyVersion, sendPolicyNotices } from './policy-notice.js';
import { mongoHosts, thirdParties } from './third-parties.js';

const NEW_VERSION = '2027-01-01';

describe('policy and third parties (P3, P16)', () => {
  describe('the configured policy', () => {
    let app: TestApp;
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'quorum-policy-'));
      await writeFile(path.join(dir, 'policy.md'), '# Our policy\n\nWe keep little.\n');
      app = await startTestApp({ POLICY_FILE: path.join(dir, 'policy.md'), POLICY_VERSION: 'v7' });
    });
    after(async () => {
      await app?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('serves POLICY_FILE with POLICY_VERSION to anyone', async () => {
      const res = await app.get<PrivacyPolicyDto>('/api/privacy/policy');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        version: 'v7',
        markdown: '# Our policy\n\nWe keep little.\n',
      });
    });

    it('lists no third party when mail stays in the local outbox and the engine is embedded', async () => {
      const res = await app.get<{ processors: ThirdPartyDto[] }>('/api/privacy/third-parties');
      expect(res.status).to.equal(200);
      expect(res.body.processors).to.deep.equal([]);
    });
  });

  it('bundles the policy, at version 2026-12-06 by default', async () => {
    const app = await startTestApp();
    try {
      const res = await app.get<PrivacyPolicyDto>('/api/privacy/policy');
      expect(res.body.version).to.equal(DEFAULT_POLICY_VERSION).and.to.equal('2026-12-06');
      expect(res.body.markdown).to.include('# govt.loomio.nz Privacy Policy');
      expect(res.body.markdown).to.include('](/third-parties)');
    } finally {
      await app.close();
    }
  });

  it('P3: enabling a mail transport lists it, with its host and never its credentials', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: ':memory:' };
    expect(thirdParties(loadConfig(base))).to.deep.equal([]);
    const viaUrl = thirdParties(
      loadConfig({ ...base, SMTP_URL: 'smtps://mailer:s3cret-pass@smtp.example.net:465' }),
    );
    expect(viaUrl.map((p) => p.id)).to.deep.equal(['mail']);
    expect(viaUrl[0].name).to.include('smtp.example.net');
    expect(JSON.stringify(viaUrl)).not.to.match(/s3cret|mailer:/);
    const viaHost = thirdParties(
      loadConfig({ ...base, SMTP_HOST: 'relay.example.org', SMTP_USER: 'u', SMTP_PASS: 'p4ss' }),
    );
    expect(viaHost[0].name).to.include('relay.example.org');
    expect(JSON.stringify(viaHost)).not.to.include('p4ss');

    const mongo = thirdParties(
      loadConfig({
        ...base,
        MONGODB_URI: 'mongodb+srv://app:dbpass@cluster0.abc.mongodb.net/quorum?retryWrites=true',
      }),
    );
    expect(mongo.map((p) => p.id)).to.deep.equal(['database']);
    expect(mongo[0].name).to.include('cluster0.abc.mongodb.net');
    expect(JSON.stringify(mongo)).not.to.include('dbpass');
    expect(mongoHosts('mongodb://a:b@h1:27017,h2:27018/db')).to.deep.equal(['h1', 'h2']);
  });

  describe('P16: a new policy version is announced', () => {
    let app: TestApp;
    let old: UserDocument;
    let newcomer: UserDocument;
    let deactivated: UserDocument;

    before(async () => {
      app = await startTestApp({ POLICY_VERSION: NEW_VERSION });
      // The server recorded its version as the first one ever; pretend an older one came first.
      await PolicyVersionModel.deleteMany({});
      const first = await registerPolicyVersion('2026-11-01', new Date(Date.now() - 60_000));
      expect(first.announce).to.equal(false);
      old = await buildUser();
      deactivated = await buildUser({ deactivatedAt: new Date() });
      const earlier = new Date(Date.now() - 30_000);
      await UserModel.collection.updateMany(
        { _id: { $in: [old._id, deactivated._id] } },
        { $set: { createdAt: earlier } },
      );
      const changed = await registerPolicyVersion(NEW_VERSION);
      expect(changed.announce).to.equal(true);
      // Registering again changes nothing.
      expect((await registerPolicyVersion(NEW_VERSION)).firstServedAt).to.deep.equal(
        changed.firstServedAt,
      );
      newcomer = await buildUser();
    });
    after(() => app?.close());

    it('shows the notice to people whose account predates the change, until dismissed', async () => {
      const notice = await app.get<PolicyNoticeDto>('/api/privacy/policy/notice', { as: old });
      expect(notice.body).to.deep.equal({ version: NEW_VERSION, noticeDue: true });
      const fresh = await app.get<PolicyNoticeDto>('/api/privacy/policy/notice', { as: newcomer });
      expect(fresh.body.noticeDue).to.equal(false);

      expect((await app.post('/api/privacy/policy/seen', {}, { as: old })).status).to.equal(204);
      const after = await app.get<PolicyNoticeDto>('/api/privacy/policy/notice', { as: old });
      expect(after.body.noticeDue).to.equal(false);

      expectError(await app.get('/api/privacy/policy/notice'), 401, 'authentication_required');
      expectError(await app.post('/api/privacy/policy/seen', {}), 401, 'authentication_required');
      expectError(
        await app.post('/api/privacy/policy/seen', { version: 'x' }, { as: old }),
        400,
        'validation_error',
      );
    });

    it('emails each of them once, and never a deactivated account', async () => {
      const outbox = app.server.mailer;
      const options = { mailer: outbox, version: NEW_VERSION, publicUrl: app.url };
      const sent = await Promise.all([sendPolicyNotices(options), sendPolicyNotices(options)]);
      expect(sent[0] + sent[1]).to.equal(1);
      expect(await sendPolicyNotices(options)).to.equal(0);
      const mails = outbox.to(old.email);
      expect(mails).to.have.length(1);
      expect(mails[0].subject).to.equal('Our privacy policy has changed');
      expect(mails[0].text).to.include(`${app.url}/privacy`);
      expect(outbox.to(newcomer.email)).to.deep.equal([]);
      expect(outbox.to(deactivated.email)).to.deep.equal([]);
    });

    it('gives the claim back when sending fails, so the next round retries', async () => {
      const late = await buildUser();
      await UserModel.collection.updateOne(
        { _id: late._id },
        { $set: { createdAt: new Date(Date.now() - 3600_000) } },
      );
      const failing = { send: () => Promise.reject(new Error('SMTP down')) };
      let failed = false;
      await sendPolicyNotices({ mailer: failing, version: NEW_VERSION, publicUrl: app.url }).catch(
        () => (failed = true),
      );
      expect(failed).to.equal(true);
      expect((await UserModel.findById(late._id).lean())?.policyNoticeMailedVersion).to.equal(null);
      const options = { mailer: app.server.mailer, version: NEW_VERSION, publicUrl: app.url };
      expect(await sendPolicyNotices(options)).to.equal(1);
      expect(app.server.mailer.to(late.email)).to.have.length(1);
    });
  });
});
