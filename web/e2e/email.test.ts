import { expect } from 'chai';
import type { EmailPreferencesDto } from '../../shared/email.js';
import { signUnsubscribeToken } from '../../server/src/mail/unsubscribe-token.js';
import { MembershipModel } from '../../server/src/models/membership.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

describe('web client: email notifications and unsubscribe links (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  async function preferencesOf(user: UserDocument): Promise<EmailPreferencesDto> {
    const res = await e2e.app.get<{ preferences: EmailPreferencesDto }>(
      '/api/me/email-preferences',
      { as: user },
    );
    expect(res.status).to.equal(200);
    return res.body.preferences;
  }

  it('changes a kind and a group level in settings; they persist, and errors show at the field', async () => {
    const user = await buildUser({ name: 'Maren Holt' });
    const choir = await buildGroup({ name: 'Harbour Choir' });
    const allotments = await buildGroup({ name: 'Riverside Allotments' });
    await addMember(choir, user);
    await addMember(allotments, user);

    const page = await e2e.open(user);
    await page.goto('/settings#email-notifications');
    const section = page.getByRole('region', { name: 'Email notifications' });
    const newDiscussions = section.getByRole('switch', { name: 'New discussions' });
    const choirLevel = section.getByLabel('Harbour Choir');
    const save = section.getByRole('button', { name: 'Save email preferences' });
    await newDiscussions.waitFor();
    // The anchor lands on the section, below the sticky top bar.
    const title = await section.getByRole('heading', { name: 'Email notifications' }).boundingBox();
    expect(title?.y).to.be.within(56, 200);
    expect(await newDiscussions.isChecked()).to.equal(true);
    expect(await save.isDisabled()).to.equal(true);

    await newDiscussions.click();
    await choirLevel.selectOption('all');
    await section.getByText('You have unsaved changes.').waitFor();
    await save.click();
    await section.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await save.isDisabled()).to.equal(true);
    await page.evaluate('window.scrollTo(0, 0)'); // the sticky top bar would cross a full-page shot
    await e2e.screenshot(page, 'settings-email-notifications');

    const stored = await preferencesOf(user);
    expect(stored.kinds).to.include({ new_discussion: false, mention: true, new_poll: true });
    expect(stored.groups).to.deep.equal([{ groupId: String(choir._id), level: 'all' }]);
    expect(stored.defaultGroupLevel).to.equal('important');

    await page.reload();
    await newDiscussions.waitFor();
    expect(await newDiscussions.isChecked()).to.equal(false);
    expect(await choirLevel.inputValue()).to.equal('all');
    expect(await section.getByLabel('Riverside Allotments').inputValue()).to.equal('');

    // Removed from a group since the page loaded: the server's refusal shows at that group.
    await MembershipModel.deleteOne({ userId: user._id, groupId: allotments._id });
    await section.getByLabel('Riverside Allotments').selectOption('none');
    await save.click();
    const allotmentsRow = section.getByRole('listitem').filter({ hasText: 'Riverside Allotments' });
    await allotmentsRow.getByText('Not a group you belong to').waitFor();
    expect(await section.getByLabel('Riverside Allotments').getAttribute('aria-invalid')).to.equal(
      'true',
    );
    expect((await preferencesOf(user)).groups).to.have.length(1);
  });

  it('a signed-out browser unsubscribes with one click, and only that kind stops', async () => {
    const user = await buildUser({ name: 'Tomas Reyes' });
    const token = signUnsubscribeToken(
      { userId: String(user._id), kind: 'mention' },
      e2e.app.jwtSecret,
    );
    const page = await e2e.open();
    await page.goto(`/unsubscribe/${token}`);
    await page.getByRole('heading', { name: 'Unsubscribe from these emails?' }).waitFor();
    await page.getByText('You will no longer get emails when someone mentions you.').waitFor();
    await e2e.screenshot(page, 'unsubscribe');

    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'sign in', exact: true }).waitFor();
    await e2e.screenshot(page, 'unsubscribe-done');

    const { kinds } = await preferencesOf(user);
    expect(kinds).to.deep.equal({
      mention: false,
      reply: true,
      new_discussion: true,
      new_poll: true,
      poll_closing: true,
      outcome: true,
      meeting_started: true,
      meeting_minutes: true,
    });

    // Opening the link again says so, rather than offering the button.
    await page.reload();
    await page.getByRole('heading', { name: 'You are already unsubscribed' }).waitFor();
    expect(await page.getByRole('button', { name: 'Unsubscribe' }).count()).to.equal(0);
  });

  it('fits a phone, explains a broken link, and leads the signed in to their settings', async () => {
    const user = await buildUser({ name: 'Ines Duarte' });
    const token = signUnsubscribeToken(
      { userId: String(user._id), kind: 'digest' },
      e2e.app.jwtSecret,
    );
    const phone = { width: 375, height: 760 };
    const visitor = await e2e.open(undefined, phone);
    await visitor.goto(`/unsubscribe/${token}`);
    await visitor.getByRole('heading', { name: 'Unsubscribe from these emails?' }).waitFor();
    await e2e.screenshot(visitor, 'unsubscribe-375');
    const width = await visitor.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).to.be.at.most(375);

    const forged = signUnsubscribeToken(
      { userId: String(user._id), kind: 'reply' },
      'x'.repeat(40),
    );
    await visitor.goto(`/unsubscribe/${forged}`);
    await visitor.getByRole('heading', { name: 'This unsubscribe link does not work' }).waitFor();
    await e2e.screenshot(visitor, 'unsubscribe-invalid-375');
    await visitor.goto('/unsubscribe/not-a-token');
    await visitor.getByRole('heading', { name: 'This unsubscribe link does not work' }).waitFor();
    expect((await preferencesOf(user)).kinds.reply).to.equal(true);

    const page = await e2e.open(user, phone);
    await page.goto(`/unsubscribe/${token}`);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await e2e.screenshot(page, 'unsubscribe-done-375');
    await page.getByRole('link', { name: 'Choose which emails you get' }).click();
    const section = page.getByRole('region', { name: 'Email notifications' });
    await section.getByRole('switch', { name: 'Outcomes' }).waitFor();
    expect(await section.getByRole('switch', { name: 'Outcomes' }).isChecked()).to.equal(false);
    expect(await section.getByRole('switch', { name: 'Mentions' }).isChecked()).to.equal(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await e2e.screenshot(page, 'settings-email-notifications-375');
  });
});
