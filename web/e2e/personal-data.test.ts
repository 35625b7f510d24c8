import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { buildComment } from '../../server/src/test/factories-discussions.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
  TEST_PASSWORD,
} from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

describe('web client: the personal data page (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('downloads the export, and deactivating signs the person out (signing in again reactivates)', async () => {
    const user = await buildUser({ name: 'Noor Haddad', email: 'noor@example.org' });
    const group = await buildGroup({ name: 'Harbour Choir' });
    await addMember(group, user);
    const discussion = await buildDiscussion({ group });
    await buildComment({ discussion, author: user, body: 'I can bring the music stands.' });

    const page = await e2e.open(user);
    await page.goto('/personal-data');
    await page.getByRole('heading', { name: 'Your personal data' }).waitFor();
    await e2e.screenshot(page, 'personal-data');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).to.match(/^quorum-personal-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      profile: { email: string; name: string };
      comments: { body: string }[];
      memberships: { group: { name: string } }[];
    };
    expect(data.profile).to.include({ email: 'noor@example.org', name: 'Noor Haddad' });
    expect(data.comments.map((c) => c.body)).to.deep.equal(['I can bring the music stands.']);
    expect(data.memberships.map((m) => m.group.name)).to.deep.equal(['Harbour Choir']);

    // Deactivating: a wrong password is pointed out on the field; the right one signs out.
    const deactivate = page.getByRole('region', { name: 'Deactivate your account' });
    await deactivate.getByLabel('Your password').fill('not my password');
    await deactivate.getByRole('button', { name: 'Deactivate my account' }).click();
    await deactivate.getByText('The password is incorrect').waitFor();
    await deactivate.getByLabel('Your password').fill(TEST_PASSWORD);
    await deactivate.getByRole('button', { name: 'Deactivate my account' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Your account is deactivated' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Sign in' })
      .waitFor();
    expect((await page.request.get('/api/me')).status()).to.equal(401);
    await e2e.screenshot(page, 'personal-data-deactivated');

    // Signing in again offers reactivation, which restores the account.
    await page.getByLabel('Email').fill('noor@example.org');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Reactivate my account' }).click();
    await page.getByRole('link', { name: 'Settings for Noor Haddad' }).waitFor();
    expect((await page.request.get('/api/me')).status()).to.equal(200);
  });

  it('asks for DELETE and the password before deleting, and fits a narrow screen', async () => {
    const user = await buildUser({ name: 'Ilse Brandt' });
    const page = await e2e.open(user, { width: 375, height: 800 });
    await page.goto('/personal-data');
    const remove = page.getByRole('region', { name: 'Delete your account' });
    const button = remove.getByRole('button', { name: 'Delete my account for good' });
    expect(await button.isDisabled()).to.equal(true);
    await remove.getByLabel('Type DELETE to confirm').fill('DELETE');
    await remove.getByLabel('Your password').fill(TEST_PASSWORD);
    await e2e.screenshot(page, 'personal-data-narrow');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(375);
    await button.click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Sign in' })
      .waitFor();
    expect((await page.request.get('/api/me')).status()).to.equal(401);
  });
});
