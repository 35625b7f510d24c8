import { expect } from 'chai';
import { buildGroup, buildUser } from '../../server/src/test/factories.js';
import { buildInvitation } from '../../server/src/test/factories-groups.js';
import { MembershipModel } from '../../server/src/models/membership.js';
import { startE2E, type E2E } from './harness.js';

const PHONE = { width: 390, height: 844 };

describe('web client: join links and invitations for the right account (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('lets a coordinator share a join link to a secret group, and people join through it', async () => {
    const coordinator = await buildUser({ name: 'Rosa Diaz' });
    const group = await buildGroup({ name: 'Night Shift Union', privacy: 'secret', coordinator });
    const settings = await e2e.open(coordinator);
    await settings.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    // A secret group has no handle: its address is its id.
    await settings.goto(`/g/${String(group._id)}/settings`, { timeout: 30_000 });
    await settings.getByRole('heading', { name: 'Join links' }).waitFor({ timeout: 30_000 });
    await settings.getByLabel('Expires after').selectOption('7');
    await settings.getByLabel('People who may join').fill('2');
    await settings.getByRole('button', { name: 'Create join link' }).click();
    const url = await settings.getByLabel(/Your new link/).inputValue();
    expect(url).to.match(/\/join\/[A-Za-z0-9_-]{43}$/);
    await settings.getByRole('button', { name: 'Copy' }).click();
    await settings.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await settings.evaluate<string>('navigator.clipboard.readText()')).to.equal(url);
    await settings.locator('[data-testid=join-link-row][data-status=active]').waitFor();
    await settings.getByText('0 of 2 joined').waitFor();
    await settings.getByRole('heading', { name: 'Join links' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(settings, 'join-links-settings-1280');
    const path = new URL(url).pathname;

    // Signed out: sign up, come back, join.
    const visitor = await e2e.open();
    await visitor.goto(path);
    await visitor.getByRole('heading', { name: 'Night Shift Union' }).waitFor();
    await e2e.screenshot(visitor, 'join-link-signed-out-1280');
    await visitor.getByRole('link', { name: 'Create an account' }).click();
    await visitor.getByLabel('Name').fill('Sam Okoye');
    await visitor.getByLabel('Email').fill('sam.okoye@example.org');
    await visitor.getByLabel('Password').fill('a long enough password');
    await visitor.getByRole('button', { name: 'Create account' }).click();
    await visitor.waitForURL(`**${path}`);
    await visitor.getByRole('button', { name: 'Join Night Shift Union' }).click();
    await visitor.waitForURL(`**/g/${String(group._id)}`);
    await visitor.getByText('You are a member').waitFor();

    // Signed in, on a phone.
    const member = await buildUser({ name: 'Lee Park' });
    const phone = await e2e.open(member, PHONE);
    await phone.goto(path);
    await phone.getByRole('button', { name: 'Join Night Shift Union' }).waitFor();
    await e2e.screenshot(phone, 'join-link-signed-in-390');
    await phone.getByRole('button', { name: 'Join Night Shift Union' }).click();
    await phone.getByText('You are a member').waitFor();
    expect(await MembershipModel.countDocuments({ groupId: group._id })).to.equal(3);

    // Used up now; the coordinator sees it and the next person is told so.
    await settings.reload();
    await settings.getByText('2 of 2 joined').waitFor();
    const late = await e2e.open(undefined, PHONE);
    await late.goto(path);
    await late.getByRole('heading', { name: 'This join link has been used up' }).waitFor();
    await e2e.screenshot(late, 'join-link-used-up-390');

    // A second link, withdrawn: refused with its own words.
    await settings.getByRole('button', { name: 'Create join link' }).click();
    const second = new URL(await settings.getByLabel(/Your new link/).inputValue()).pathname;
    await settings.getByRole('button', { name: 'Withdraw this join link' }).click();
    await settings.getByRole('button', { name: 'Yes, withdraw' }).click();
    await settings.locator('[data-testid=join-link-row][data-status=revoked]').waitFor();
    await late.goto(second);
    await late.getByRole('heading', { name: 'This join link was withdrawn' }).waitFor();
  });

  it('tells a wrong account the invitation is not for it, and lets the invited person sign up', async () => {
    const coordinator = await buildUser({ name: 'Ines Moreau' });
    const group = await buildGroup({ name: 'Tool Library', handle: 'tool-library', coordinator });
    const { token } = await buildInvitation({ group, email: 'quinn.new@example.org' });
    const other = await buildUser({ name: 'Marc Vidal', email: 'marc@example.org' });

    for (const [viewport, width] of [
      [undefined, 1280],
      [PHONE, 390],
    ] as const) {
      const page = await e2e.open(other, viewport);
      await page.goto(`/invitations/${token}`);
      const alert = page.getByTestId('wrong-account');
      await alert
        .getByRole('heading', { name: 'This invitation is for another email address' })
        .waitFor();
      expect(await alert.locator('.email-hint').textContent()).to.equal('q•••@e•••.org');
      expect(await page.getByRole('button', { name: 'Accept invitation' }).count()).to.equal(0);
      expect(await page.content()).not.to.include('quinn.new@example.org');
      await e2e.screenshot(page, `invitation-wrong-account-${width}`);
      if (width === 390) {
        await page.getByRole('button', { name: 'Sign out and use another account' }).click();
        await page.getByRole('link', { name: 'Sign in' }).last().waitFor();
        const form = page.getByRole('form', { name: 'Create an account' });
        await form.getByLabel('Name').fill('Quinn');
        await form.getByLabel('Password').fill('a long enough password');
        await e2e.screenshot(page, 'invitation-sign-up-390');
        await form.getByRole('button', { name: 'Create account and accept' }).click();
        await page.waitForURL('**/g/tool-library');
        await page.getByText('You are a member').waitFor();
      }
    }
  });
});
