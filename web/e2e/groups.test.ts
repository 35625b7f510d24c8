import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
  TEST_PASSWORD,
} from '../../server/src/test/factories.js';
import { buildInvitation } from '../../server/src/test/factories-groups.js';
import { startE2E, type E2E } from './harness.js';

/** Waits until the group page's live watch is confirmed by the server (in the given view). */
async function watching(page: Page, view: 'visitor' | 'member' | 'coordinator') {
  await page.locator(`.group-page[data-watching$=":${view}"]`).waitFor();
}

describe('web client: groups, members, invitations and settings (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('lets a person create a group through the form and lands on it', async () => {
    const ada = await buildUser({ name: 'Ada Palmer' });
    const page = await e2e.open(ada);
    await page.goto('/groups');
    // The first page of the run may wait on a cold server.
    await page.getByRole('link', { name: 'New group' }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'New group' }).first().click();
    await page.getByRole('heading', { name: 'New group' }).waitFor();
    await page.getByLabel('Name').fill('Harbour Street Co-op');
    // The handle is suggested from the name.
    expect(await page.getByLabel('Handle').inputValue()).to.equal('harbour-street-co-op');
    await page.getByLabel('Description').fill('Residents of Harbour Street deciding together.');
    await page.getByRole('radio', { name: 'Open', exact: true }).check();
    await page.getByRole('radio', { name: 'Anyone can join' }).check();
    await page.getByRole('checkbox', { name: 'Invite new members' }).check();
    await e2e.screenshot(page, 'group-new-form');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.waitForURL('**/g/harbour-street-co-op');
    await page.getByRole('heading', { level: 1, name: 'Harbour Street Co-op' }).waitFor();
    await page.getByText('You coordinate').waitFor();
    await page.getByText('Open group').waitFor();
    await page.getByText('No discussions yet. Start the first one.').waitFor();
  });

  it('shows a taken handle at the handle field', async () => {
    await buildGroup({ handle: 'taken-handle' });
    const page = await e2e.open(await buildUser());
    await page.goto('/groups/new');
    await page.getByLabel('Name').fill('Taken Handle');
    await page.getByRole('button', { name: 'Create group' }).click();
    const handle = page.getByLabel('Handle');
    await page.locator('input[aria-invalid="true"]').waitFor();
    expect(await handle.getAttribute('aria-invalid')).to.equal('true');
  });

  it("shows members' addresses to coordinators and to nobody else", async () => {
    const coordinator = await buildUser({ name: 'Cora Lind', email: 'cora@example.org' });
    const group = await buildGroup({
      name: 'Allotment Committee',
      handle: 'allotments',
      privacy: 'closed',
      coordinator,
      description: 'Plots, water rota and the autumn fair.',
    });
    const member = await addMember(
      group,
      await buildUser({ name: 'Milo Grant', email: 'milo@example.org' }),
    );
    await addMember(group, await buildUser({ name: 'Nell Ortiz', email: 'nell@example.org' }));

    const asCoordinator = await e2e.open(coordinator);
    await asCoordinator.goto('/g/allotments/members');
    const coordinatorList = asCoordinator.getByTestId('member-list');
    await coordinatorList.getByText('milo@example.org').waitFor();
    await coordinatorList.getByText('nell@example.org').waitFor();
    await coordinatorList.getByText('cora@example.org').waitFor();
    await e2e.screenshot(asCoordinator, 'group-members-coordinator');

    const asMember = await e2e.open(member);
    await asMember.goto('/g/allotments/members');
    const memberList = asMember.getByTestId('member-list');
    await memberList.getByText('Nell Ortiz').waitFor();
    expect(await memberList.getByTestId('member-row').count()).to.equal(3);
    expect(await memberList.textContent()).not.to.include('@');
    // No role changes or removal offered to a member.
    expect(await asMember.getByRole('button', { name: /^Remove/ }).count()).to.equal(0);
    expect(await asMember.getByRole('link', { name: 'Settings', exact: true }).count()).to.equal(0);
    await e2e.screenshot(asMember, 'group-members-member');
  });

  it('lets a coordinator invite by email and lists the invitation as pending', async () => {
    const coordinator = await buildUser({ name: 'Iris Moss' });
    await buildGroup({ name: 'Choir', handle: 'choir', coordinator });
    const page = await e2e.open(coordinator);
    await page.goto('/g/choir/members');
    await page.getByRole('heading', { name: 'Invite people' }).waitFor();
    await page.getByText('No invitations waiting for an answer.').waitFor();
    await page.getByLabel('Email addresses').fill('tenor@example.org, alto@example.org');
    await page.getByRole('button', { name: 'Send 2 invitations' }).click();
    await page.getByText('2 invitations sent.').waitFor();
    const pending = page.getByRole('list', { name: 'Pending invitations' });
    await pending.getByText('tenor@example.org').waitFor();
    await pending.getByText('alto@example.org').waitFor();
    // Revoking asks first, then takes it off the list.
    await page.getByRole('button', { name: 'Revoke the invitation to alto@example.org' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await pending.getByText('alto@example.org', { exact: true }).waitFor({ state: 'detached' });
    expect(await pending.getByTestId('invitation-row').count()).to.equal(1);
  });

  it("shows a discussion started by one person live on another's open group page", async () => {
    const coordinator = await buildUser({ name: 'Theo Brandt' });
    const group = await buildGroup({
      name: 'Riverside Residents',
      handle: 'riverside-residents',
      privacy: 'open',
      coordinator,
      description: 'Everything about living by the river: noise, parking, the summer party.',
    });
    const member = await addMember(group, await buildUser({ name: 'Lena Vogt' }));

    const memberPage = await e2e.open(member);
    await memberPage.goto('/g/riverside-residents');
    await memberPage.getByText('No discussions yet. Start the first one.').waitFor();
    await watching(memberPage, 'member');

    const coordinatorPage = await e2e.open(coordinator);
    await coordinatorPage.goto('/g/riverside-residents');
    await coordinatorPage.getByRole('button', { name: 'Start a discussion' }).click();
    await coordinatorPage.getByLabel('Title').fill('Where should the summer party be?');
    await coordinatorPage.getByLabel('Context').fill('The park or the riverbank? Say which.');
    await coordinatorPage.getByRole('button', { name: 'Start discussion' }).click();
    await coordinatorPage.waitForURL(/\/d\/[0-9a-f]{24}$/);

    // No reload on the member's page: the discussion arrives through the group room.
    await memberPage.getByRole('link', { name: 'Where should the summer party be?' }).waitFor();
    await e2e.screenshot(memberPage, 'group-page');

    const phone = await e2e.open(member, { width: 375, height: 800 });
    await phone.goto('/g/riverside-residents');
    await phone.getByRole('link', { name: 'Where should the summer party be?' }).waitFor();
    // A string: the root tsconfig (Node) has no DOM types.
    const overflow = await phone.evaluate('document.documentElement.scrollWidth > innerWidth');
    expect(overflow, 'no sideways scrolling at 375 px').to.equal(false);
    await e2e.screenshot(phone, 'group-page-phone');
  });

  it("puts a discussion started in one's group into one's open inbox, live", async () => {
    const coordinator = await buildUser({ name: 'Hana Ito' });
    const group = await buildGroup({ name: 'Food Bank', handle: 'food-bank', coordinator });
    const member = await addMember(group, await buildUser({ name: 'Jon Ek' }));
    const inbox = await e2e.open(member);
    await inbox.goto('/');
    await inbox.getByRole('heading', { name: 'Inbox' }).waitFor();
    await inbox.getByRole('link', { name: 'Food Bank' }).waitFor();
    await inbox.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    const started = await e2e.app.post(
      '/api/discussions',
      { groupId: String(group._id), title: 'Saturday shifts in December' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    await inbox.getByRole('link', { name: 'Saturday shifts in December' }).waitFor();
  });

  it('lets a coordinator remove a member from the Members tab, after confirming', async () => {
    const coordinator = await buildUser({ name: 'Ruth Okafor' });
    const group = await buildGroup({ name: 'Tenants Union', handle: 'tenants', coordinator });
    const sami = await addMember(group, await buildUser({ name: 'Sami Haddad' }));
    await buildDiscussion({ group, title: 'Rent strike: who is in?' });
    // Sami has the group open while the coordinator removes him.
    const samiPage = await e2e.open(sami);
    await samiPage.goto('/g/tenants');
    await samiPage.getByRole('link', { name: 'Rent strike: who is in?' }).waitFor();
    await watching(samiPage, 'member');

    const page = await e2e.open(coordinator);
    await page.goto('/g/tenants/members');
    const list = page.getByTestId('member-list');
    await list.getByText('Sami Haddad').waitFor();
    await page.getByRole('button', { name: 'Remove Sami Haddad' }).click();
    await page.getByRole('group', { name: 'Remove Sami Haddad from Tenants Union?' }).waitFor();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await list
      .getByTestId('member-row')
      .filter({ hasText: 'Sami Haddad' })
      .waitFor({ state: 'detached' });
    expect(await list.getByTestId('member-row').count()).to.equal(1);
    await page.getByText('1 member', { exact: true }).waitFor();

    // Sami's page follows at once: no longer a member, and the closed group's discussion is gone.
    await samiPage.getByRole('button', { name: 'Ask to join' }).waitFor();
    await samiPage
      .getByRole('link', { name: 'Rent strike: who is in?' })
      .waitFor({ state: 'detached' });
    expect(await samiPage.getByText('You are a member').count()).to.equal(0);
  });

  it('lets a coordinator change the group settings', async () => {
    const coordinator = await buildUser({ name: 'Omar Said' });
    await buildGroup({ name: 'Book Club', handle: 'book-club', coordinator, privacy: 'closed' });
    const page = await e2e.open(coordinator);
    await page.goto('/g/book-club/settings');
    await page.getByRole('heading', { name: 'Group settings' }).waitFor();
    await page.getByLabel('Description').fill('One book a month, argued over kindly.');
    await page.getByRole('radio', { name: 'Open', exact: true }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByText('Open group').waitFor();
    await page.locator('.group-description', { hasText: 'argued over kindly' }).waitFor();
    await e2e.screenshot(page, 'group-settings');
  });

  it('accepts an invitation after signing in, coming back to it', async () => {
    const coordinator = await buildUser({ name: 'Pia Lund' });
    const group = await buildGroup({ name: 'Bike Kitchen', handle: 'bike-kitchen', coordinator });
    await buildUser({ name: 'Quinn Reyes', email: 'quinn@example.org' });
    const { token } = await buildInvitation({ group, email: 'quinn@example.org' });
    const { token: revoked } = await buildInvitation({ group, revokedAt: new Date() });

    const page = await e2e.open();
    await page.goto(`/invitations/${revoked}`);
    await page.getByRole('heading', { name: 'This invitation was withdrawn' }).waitFor();

    await page.goto(`/invitations/${token}`);
    await page.getByRole('heading', { name: 'Bike Kitchen' }).waitFor();
    await page.getByText('Pia Lund invites you to join').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('Email').fill('quinn@example.org');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/invitations/${token}`);
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.waitForURL('**/g/bike-kitchen');
    await page.getByText('You are a member').waitFor();
  });

  it('shows and saves account settings', async () => {
    const user = await buildUser({ name: 'Vera Holm', emailVerifiedAt: null });
    const page = await e2e.open(user);
    await page.goto('/settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByText('Not verified').waitFor();
    await page.getByLabel('Name').fill('Vera K. Holm');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('link', { name: 'Settings for Vera K. Holm' }).waitFor();
    await page.getByRole('button', { name: 'Send the link again' }).click();
    await page.getByText(/^Sent to /).waitFor();
    await e2e.screenshot(page, 'account-settings');
  });
});
