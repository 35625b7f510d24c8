import { expect } from 'chai';
import { buildGroup, buildUser, TEST_PASSWORD } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

describe('web client: shell, sign-in and the live indicator (Chromium)', function () {
  this.timeout(60_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('welcomes a visitor with the open groups, and goes live', async () => {
    await buildGroup({ name: 'Riverside Allotments', handle: 'riverside', privacy: 'open' });
    const page = await e2e.open();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Discuss and decide together, live.' }).waitFor();
    await page.getByRole('link', { name: 'Riverside Allotments' }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await e2e.screenshot(page, 'home-visitor');
  });

  it('signs in with a password, shows the inbox, and signs out', async () => {
    const user = await buildUser({ name: 'Ada Palmer', email: 'ada@example.org' });
    const page = await e2e.open();
    await page.goto('/signin');
    await page.getByLabel('Email').fill('ada@example.org');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).to.match(/./);
    await e2e.screenshot(page, 'signin-error');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByRole('link', { name: `Settings for ${user.name}` }).waitFor();
    await e2e.screenshot(page, 'inbox');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Discuss and decide together, live.' }).waitFor();
  });

  it('fits the whole top bar on a phone, with the navigation named for assistive technology', async () => {
    const user = await buildUser({ name: 'Grace Hopper' });
    const page = await e2e.open(user, { width: 375, height: 740 });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(signOut, 'sign out is on screen').to.not.equal(null);
    expect(signOut!.x + signOut!.width).to.be.at.most(375);
    await page.getByRole('link', { name: 'Notifications' }).waitFor();
    await page.getByRole('link', { name: 'Quorum home' }).waitFor();
    await e2e.screenshot(page, 'inbox-phone');
  });
});
