/**
 * P12 and P9 through the web client: a group's coordinators grant and revoke
 * support access in the group's settings and see every read made under it;
 * a redaction by the Data Protection Officer shows in their audit log as a
 * fact, never its content or reason.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import { buildComment } from '../../server/src/test/factories-discussions.js';
import path from 'node:path';
import { SCREENSHOTS, startE2E, type E2E } from './harness.js';

const DPO_EMAIL = 'dpo@example.org';

/** Saves a screenshot of one panel (a full page at phone width is too tall to read). */
async function panelShot(page: Page, selector: string, name: string) {
  // The sticky top bar would otherwise be painted over a panel scrolled into view.
  await page.evaluate("document.querySelector('.topbar').style.position = 'static'");
  await page.locator(selector).screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Opens the group's settings and waits for the support panel to have loaded. */
async function openSettings(page: Page, handle: string) {
  await page.goto(`/g/${handle}/settings`);
  await page.getByRole('heading', { name: 'Support access' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('support-status').waitFor();
}

describe('web client: support access with consent and the group audit log (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this, { DPO_EMAILS: DPO_EMAIL });
  });
  after(async () => {
    await e2e?.close();
  });

  it("P12: a coordinator grants access in the settings, sees the administrator's reads, and revokes it", async () => {
    const coordinator = await buildUser({ name: 'Cora Lind' });
    const group = await buildGroup({
      name: 'Tenants Union',
      handle: 'tenants-union',
      privacy: 'closed',
      coordinator,
    });
    const discussion = await buildDiscussion({ group, title: 'Rent strike planning' });
    const admin = await buildUser({ name: 'Sam Admin', isAdmin: true });
    const discussionPath = `/api/discussions/${String(discussion._id)}`;

    // Without a grant the administrator cannot read the private discussion.
    expect((await e2e.app.get(discussionPath, { as: admin })).status).to.equal(404);

    const page = await e2e.open(coordinator);
    await openSettings(page, 'tenants-union');
    const status = page.getByTestId('support-status');
    await status.getByText('No access granted.').waitFor();
    await page.getByText('Nothing yet. Support access has never been granted').waitFor();
    await e2e.screenshot(page, 'support-none');

    // Granting asks first; nothing is granted on the first press.
    await page.getByLabel('Grant access for').selectOption({ label: '3 days' });
    await page.getByRole('button', { name: 'Grant support access…' }).click();
    await page.getByText(/for 3 days\? Every read will be listed here/).waitFor();
    await panelShot(page, '.support-card', 'support-confirm');
    expect((await e2e.app.get(discussionPath, { as: admin })).status).to.equal(404);
    await page.getByRole('button', { name: 'Yes, grant 3 days' }).click();
    await status.getByText('Support access is on').waitFor();
    await status.getByText('Granted by Cora Lind').waitFor();
    await page.getByRole('status').getByText('Support access granted for 3 days.').waitFor();

    // The administrator now reads the discussion, and the read is recorded.
    const read = await e2e.app.get<{ discussion: { title: string } }>(discussionPath, {
      as: admin,
    });
    expect(read.status).to.equal(200);

    await page.reload();
    await page.getByTestId('support-status').getByText('Support access is on').waitFor();
    const history = page.getByRole('list', { name: 'Reads and changes' });
    await history.getByText('read a discussion').waitFor();
    const readRow = history.locator('li', { hasText: 'read a discussion' });
    expect(await readRow.textContent())
      .to.include('Sam Admin')
      .and.include('site administrator');
    await history.getByText('granted support access').waitFor();
    // The coordinator's own audit log shows the same, as facts.
    const audit = page.getByTestId('audit-list');
    await audit.getByText('Read under support access').waitFor();
    await audit.getByText('Support access granted').waitFor();
    await e2e.screenshot(page, 'support-granted');

    // Revoking asks, then ends access at once.
    await page.getByRole('button', { name: 'Revoke support access' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByTestId('support-status').getByText('No access granted.').waitFor();
    await history.getByText('revoked support access').waitFor();
    expect((await e2e.app.get(discussionPath, { as: admin })).status).to.equal(404);

    // At phone width the panels still read well.
    const phone = await e2e.open(coordinator, { width: 375, height: 812 });
    await openSettings(phone, 'tenants-union');
    await phone
      .getByRole('list', { name: 'Reads and changes' })
      .getByText('read a discussion')
      .waitFor();
    await phone.getByTestId('audit-list').getByText('Support access revoked').waitFor();
    const overflow = await phone.evaluate<boolean>(
      'document.documentElement.scrollWidth > innerWidth',
    );
    expect(overflow).to.equal(false);
    await e2e.screenshot(phone, 'support-phone');
    await panelShot(phone, '.support-card', 'support-phone-panel');
    await panelShot(phone, '.audit-card', 'audit-phone-panel');
  });

  it("P9: a DPO redaction shows in the coordinators' audit log as a fact, without content or reason", async () => {
    const coordinator = await buildUser({ name: 'Iris Moss' });
    const group = await buildGroup({ name: 'Choir', handle: 'choir-audit', coordinator });
    const member = await addMember(group, await buildUser({ name: 'Milo Grant' }));
    const discussion = await buildDiscussion({ group, title: 'Spring concert' });
    await buildComment({ discussion, author: member, body: 'My phone number is 555-0199' });
    await buildComment({ discussion, author: member, body: 'Call me after rehearsal' });
    const dpo = await buildUser({ name: 'Dana Officer', email: DPO_EMAIL });
    const reason = 'Erasure request under Article 17, ticket 4711';

    const redacted = await e2e.app.post<{ redacted: { comments: number } }>(
      `/api/admin/users/${String(member._id)}/redact`,
      { reason },
      { as: dpo },
    );
    expect(redacted.status).to.equal(200);
    expect(redacted.body.redacted.comments).to.equal(2);

    const page = await e2e.open(coordinator);
    await openSettings(page, 'choir-audit');
    const audit = page.getByTestId('audit-list');
    const entry = audit.locator('li[data-action="content_redacted"]');
    await entry.getByText('Content redacted').waitFor();
    const text = (await entry.textContent()) ?? '';
    expect(text).to.include('2 items');
    expect(text).to.include('Milo Grant');
    expect(text).to.include('Data Protection Officer');
    // The fact only: neither the reason nor what was written reaches the page.
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.to.include('Article 17');
    expect(body).not.to.include('4711');
    expect(body).not.to.include('555-0199');
    expect(body).not.to.include('after rehearsal');
    await e2e.screenshot(page, 'audit-redaction');

    const phone = await e2e.open(coordinator, { width: 375, height: 812 });
    await openSettings(phone, 'choir-audit');
    await phone.getByTestId('audit-list').getByText('Content redacted').waitFor();
    await panelShot(phone, '.audit-card', 'audit-redaction-phone');
  });
});
