import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { AvatarModel } from '../../server/src/models/avatar.js';
import { buildComment } from '../../server/src/test/factories-discussions.js';
import { photoGif, photoWithMetadata } from '../../server/src/test/factories-images.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

/** The photo an avatar shows, once the browser has it: its address and decoded width. */
async function shownPhoto(avatar: Locator): Promise<{ src: string; width: number }> {
  const img = avatar.locator('img');
  await img.waitFor();
  // Resolves once the image is decoded; rejects if it could not be loaded.
  type Image = { decode(): Promise<void>; currentSrc: string; naturalWidth: number };
  await img.evaluate((el) => (el as unknown as Image).decode());
  return img.evaluate((el) => {
    const image = el as unknown as Image;
    return { src: image.currentSrc, width: image.naturalWidth };
  });
}

/** Whether the page is wider than its window (something overflows sideways). */
const overflows = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');

describe('web client: profile photos (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('uploads a photo in Settings with a preview; it shows in the header and on comments, for others too', async () => {
    const group = await buildGroup({ name: 'Harbour Choir' });
    const noor = await addMember(group, await buildUser({ name: 'Noor Haddad' }));
    const discussion = await buildDiscussion({ group, title: 'Spring concert' });
    await buildComment({ discussion, author: noor, body: 'I can bring the music stands.' });

    const page = await e2e.open(noor);
    await page.goto('/settings');
    const photo = page.getByRole('group', { name: 'Photo' });
    await photo.getByText('Choose a photo…').waitFor();
    // No photo yet: initials everywhere.
    const header = page.getByRole('link', { name: 'Settings for Noor Haddad' });
    expect(await header.locator('.avatar').innerText()).to.equal('NH');
    await e2e.screenshot(page, 'photo-settings-empty');

    // Choosing a file shows it as others will see it, before anything is sent.
    await photo.getByLabel('Choose a photo…').setInputFiles({
      name: 'holiday.jpg',
      mimeType: 'image/jpeg',
      buffer: await photoWithMetadata(900, 600),
    });
    await photo.getByText('Preview of holiday.jpg').waitFor();
    const preview = await photo.locator('.avatar img').getAttribute('src');
    expect(preview).to.match(/^data:image\/jpeg;base64,/);
    expect(await AvatarModel.countDocuments({ userId: noor._id })).to.equal(0);
    await e2e.screenshot(page, 'photo-settings-preview');

    await photo.getByRole('button', { name: 'Upload photo' }).click();
    await photo.getByRole('status').filter({ hasText: 'Photo saved.' }).waitFor();
    const stored = await AvatarModel.findOne({ userId: noor._id }).orFail();
    const inHeader = await shownPhoto(header.locator('.avatar'));
    expect(inHeader.src).to.equal(`${e2e.app.url}/api/avatars/${stored._id}/64`);
    expect(inHeader.width).to.equal(64);
    const inSettings = await shownPhoto(photo.locator('.avatar'));
    expect(inSettings.src).to.equal(`${e2e.app.url}/api/avatars/${stored._id}/128`);
    await photo.getByText('Change photo…').waitFor();
    await photo.getByRole('button', { name: 'Remove photo' }).waitFor();
    await e2e.screenshot(page, 'photo-settings-saved');

    // On her comment, for her and for another member.
    await page.goto(`/d/${String(discussion._id)}`);
    const comment = page.locator('article', { hasText: 'I can bring the music stands.' });
    expect((await shownPhoto(comment.locator('.avatar').first())).src).to.include(
      `/api/avatars/${stored._id}/`,
    );
    await e2e.screenshot(page, 'photo-on-comment');
    const other = await e2e.open(group.coordinator);
    await other.goto(`/d/${String(discussion._id)}`);
    const seen = other.locator('article', { hasText: 'I can bring the music stands.' });
    expect((await shownPhoto(seen.locator('.avatar').first())).width).to.equal(64);
    await other.context().close();

    // At phone width the settings still fit.
    const phone = await e2e.open(noor, { width: 390, height: 844 });
    await phone.goto('/settings');
    await shownPhoto(phone.getByRole('group', { name: 'Photo' }).locator('.avatar'));
    expect(await overflows(phone)).to.equal(false);
    await e2e.screenshot(phone, 'photo-settings-saved-mobile');
    await phone.goto(`/d/${String(discussion._id)}`);
    await shownPhoto(
      phone.locator('article', { hasText: 'music stands' }).locator('.avatar').first(),
    );
    expect(await overflows(phone)).to.equal(false);
    await e2e.screenshot(phone, 'photo-on-comment-mobile');
    await phone.context().close();

    // Removing it brings the initials back.
    await page.goto('/settings');
    await photo.getByRole('button', { name: 'Remove photo' }).click();
    await photo.getByRole('status').filter({ hasText: 'Photo removed.' }).waitFor();
    await header.locator('.avatar', { hasText: 'NH' }).waitFor();
    expect(await AvatarModel.countDocuments({ userId: noor._id })).to.equal(0);
  });

  it('says what is wrong with a file: not a photo by its content, or too large', async () => {
    const user = await buildUser({ name: 'Ilse Brandt' });
    for (const viewport of [
      { width: 1280, height: 860, name: 'photo-settings-errors' },
      { width: 390, height: 844, name: 'photo-settings-errors-mobile' },
    ]) {
      const page = await e2e.open(user, viewport);
      await page.goto('/settings');
      const photo = page.getByRole('group', { name: 'Photo' });
      const input = photo.locator('input[type="file"]');
      // Named like a PNG, but a GIF: the server reads the content and refuses it.
      await input.setInputFiles({
        name: 'me.png',
        mimeType: 'image/png',
        buffer: await photoGif(),
      });
      await photo.getByRole('button', { name: 'Upload photo' }).click();
      await photo
        .getByRole('alert')
        .filter({ hasText: 'must be a JPEG, PNG or WebP image' })
        .waitFor();
      expect(await input.getAttribute('aria-invalid')).to.equal('true');
      // Too large: refused before it is sent.
      await photo.getByRole('button', { name: 'Cancel' }).click();
      await input.setInputFiles({
        name: 'huge.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
      });
      await photo.getByRole('alert').filter({ hasText: 'larger than 5 MB' }).waitFor();
      expect(await photo.getByRole('button', { name: 'Upload photo' }).count()).to.equal(0);
      expect(await overflows(page)).to.equal(false);
      await e2e.screenshot(page, viewport.name);
      await page.context().close();
    }
    expect(await AvatarModel.countDocuments({ userId: user._id })).to.equal(0);
  });
});
