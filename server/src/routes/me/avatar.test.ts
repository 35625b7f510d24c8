import { expect } from 'chai';
import sharp from 'sharp';
import type { SelfDto } from '../../../../shared/dto.js';
import { dropAvatarPaths } from '../../commands/accounts/avatar.js';
import { AvatarModel } from '../../models/avatar.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { clearRateLimits, expectError } from '../../test/factories-accounts.js';
import { buildComment } from '../../test/factories-discussions.js';
import {
  PLANTED,
  brokenJpeg,
  photoGif,
  photoPng,
  photoWebp,
  photoWithMetadata,
  pixelBomb,
} from '../../test/factories-images.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
  TEST_PASSWORD,
} from '../../test/factories.js';
import { startTestApp, type TestApp, type RequestOptions } from '../../test/harness.js';

type Answer = { user: SelfDto };

describe('profile photos: PUT/DELETE /api/me/avatar, GET /api/avatars/:id/:size', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  beforeEach(() => clearRateLimits());
  after(() => app.close());

  const upload = (user: UserDocument | null, raw: Uint8Array, options: RequestOptions = {}) =>
    app.request<Answer>('PUT', '/api/me/avatar', { as: user, raw, ...options });
  const idOf = (url: string | null) => /^\/api\/avatars\/([\w-]{22})\/128$/.exec(url ?? '')![1];

  it('answers 401 to a visitor', async () => {
    expectError(await upload(null, await photoPng()), 401, 'authentication_required');
    expectError(await app.delete('/api/me/avatar'), 401, 'authentication_required');
  });

  it('stores a JPEG from a phone with no EXIF (GPS included), XMP, ICC profile or comment, in three square sizes', async () => {
    const ada = await buildUser();
    const original = await photoWithMetadata();
    // The test photo really carries what must go (so the checks below can fail).
    const before = await sharp(original).metadata();
    expect(before.exif, 'EXIF in the original').to.be.instanceOf(Buffer);
    expect(before.exif!.toString('latin1')).to.include(PLANTED.place).and.include(PLANTED.camera);
    expect(before.xmp, 'XMP in the original').to.be.instanceOf(Buffer);
    expect(before.icc, 'ICC profile in the original').to.be.instanceOf(Buffer);
    expect(original.toString('latin1')).to.include(PLANTED.comment);

    const res = await upload(ada, original);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const avatarId = idOf(res.body.user.avatarUrl);
    expect((await UserModel.findById(ada._id).orFail()).avatarId).to.equal(avatarId);

    const stored = await AvatarModel.findById(avatarId).orFail();
    expect(String(stored.userId)).to.equal(String(ada._id));
    expect(stored.images.map((i) => i.size).sort((a, b) => a - b)).to.deep.equal([64, 128, 256]);
    for (const image of stored.images) {
      const meta = await sharp(image.data).metadata();
      expect(meta).to.include({ format: 'webp', width: image.size, height: image.size });
      expect(meta.exif, `EXIF at ${image.size}`).to.equal(undefined);
      expect(meta.xmp, `XMP at ${image.size}`).to.equal(undefined);
      expect(meta.icc, `ICC at ${image.size}`).to.equal(undefined);
      expect(meta.comments, `comments at ${image.size}`).to.equal(undefined);
      const bytes = image.data.toString('latin1');
      for (const planted of Object.values(PLANTED)) expect(bytes).not.to.include(planted);
    }
  });

  it('serves each size from its own origin, typed, nosniff, privately cached; other sizes and ids are 404', async () => {
    const ada = await buildUser();
    const avatarId = idOf((await upload(ada, await photoWithMetadata())).body.user.avatarUrl);
    const stored = await AvatarModel.findById(avatarId).orFail();
    for (const size of [64, 128, 256]) {
      const res = await fetch(`${app.url}/api/avatars/${avatarId}/${size}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('image/webp');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('cache-control')).to.equal('private, max-age=86400, immutable');
      expect(res.headers.get('cross-origin-resource-policy')).to.equal('same-origin');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(stored.images.find((i) => i.size === size)!.data)).to.equal(true);
    }
    for (const path of [
      `/api/avatars/${avatarId}/100`,
      `/api/avatars/${avatarId}/64x`,
      `/api/avatars/${'A'.repeat(22)}/64`,
      '/api/avatars/not-an-id/64',
    ])
      expectError(await app.get(path), 404, 'not_found');
  });

  it('reads the type from the content, never the declared type: PNG and WebP are taken, a GIF called PNG is not', async () => {
    const ada = await buildUser();
    for (const photo of [await photoPng(), await photoWebp()]) {
      const res = await upload(ada, photo, { headers: { 'content-type': 'image/jpeg' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const served = await fetch(`${app.url}${res.body.user.avatarUrl!}`);
      const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      expect(meta).to.include({ format: 'webp', width: 128, height: 128 });
    }
    const kept = (await UserModel.findById(ada._id).orFail()).avatarId;
    for (const [bytes, declared] of [
      [await photoGif(), 'image/png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/jpeg'],
      [Buffer.from('%PDF-1.7 not a photo'), 'application/octet-stream'],
    ] as const)
      expectError(
        await upload(ada, bytes, { headers: { 'content-type': declared } }),
        415,
        'avatar_unsupported_type',
        'file',
      );
    // A JSON body is no image either.
    expectError(
      await app.request('PUT', '/api/me/avatar', { as: ada, body: { avatarUrl: '/x.png' } }),
      415,
      'avatar_unsupported_type',
      'file',
    );
    expect((await UserModel.findById(ada._id).orFail()).avatarId).to.equal(kept);
  });

  it('refuses what is too large in bytes or in pixels, damaged or empty, with the field', async () => {
    const ada = await buildUser();
    const overLimit = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
    (await photoWithMetadata()).copy(overLimit);
    expectError(await upload(ada, overLimit), 413, 'avatar_too_large', 'file');
    expectError(await upload(ada, await pixelBomb()), 413, 'avatar_too_large', 'file');
    expectError(await upload(ada, brokenJpeg()), 400, 'avatar_unreadable', 'file');
    expectError(await upload(ada, new Uint8Array(0)), 400, 'validation_error', 'file');
    expect(await AvatarModel.countDocuments({ userId: ada._id })).to.equal(0);
    expect((await UserModel.findById(ada._id).orFail()).avatarId).to.equal(null);
  });

  it('turns the photo upright by its EXIF orientation before cropping it square', async () => {
    const ada = await buildUser();
    // The dark corner is top left as stored; orientation 6 shows it rotated a quarter turn clockwise.
    const sideways = await sharp(await photoPng(640, 480))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const res = await upload(ada, sideways);
    const stored = await AvatarModel.findById(idOf(res.body.user.avatarUrl)).orFail();
    const large = stored.images.find((i) => i.size === 256)!.data;
    const { data, info } = await sharp(large).raw().toBuffer({ resolveWithObject: true });
    const brightness = (x: number, y: number) => {
      const at = (y * info.width + x) * info.channels;
      return data[at] + data[at + 1] + data[at + 2];
    };
    expect(brightness(250, 10), 'top right is the dark corner').to.be.below(150);
    expect(brightness(5, 10), 'top left is the green').to.be.above(250);
  });

  it('replacing the photo deletes the old one; removing it goes back to initials', async () => {
    const ada = await buildUser();
    const first = idOf((await upload(ada, await photoPng())).body.user.avatarUrl);
    const second = idOf((await upload(ada, await photoWebp())).body.user.avatarUrl);
    expect(second).not.to.equal(first);
    expectError(await app.get(`/api/avatars/${first}/64`), 404, 'not_found');
    expect((await app.get(`/api/avatars/${second}/64`)).status).to.equal(200);
    expect(await AvatarModel.countDocuments({ userId: ada._id })).to.equal(1);

    const removed = await app.delete<Answer>('/api/me/avatar', { as: ada });
    expect(removed.status).to.equal(200);
    expect(removed.body.user.avatarUrl).to.equal(null);
    expectError(await app.get(`/api/avatars/${second}/64`), 404, 'not_found');
    expect(await AvatarModel.countDocuments({ userId: ada._id })).to.equal(0);
  });

  it("another person cannot remove or replace one's photo", async () => {
    const [ada, bob] = [await buildUser(), await buildUser()];
    const adas = idOf((await upload(ada, await photoPng())).body.user.avatarUrl);
    await upload(bob, await photoWebp());
    expect((await app.delete<Answer>('/api/me/avatar', { as: bob })).body.user.avatarUrl).to.equal(
      null,
    );
    expect((await app.get(`/api/avatars/${adas}/128`)).status).to.equal(200);
    expect((await UserModel.findById(ada._id).orFail()).avatarId).to.equal(adas);
    // The photo routes take no id: there is no way to name someone else's.
    expectError(await app.delete(`/api/me/avatar/${adas}`, { as: bob }), 404, 'not_found');
  });

  it('shows the photo wherever the person appears, as the address it is served at', async () => {
    const group = await buildGroup();
    const ada = await addMember(group);
    const url = (await upload(ada, await photoPng())).body.user.avatarUrl!;
    const discussion = await buildDiscussion({ group });
    await buildComment({ discussion, author: ada, body: 'With a face' });
    const comments = await app.get<{ items: { author: { avatarUrl: string | null } }[] }>(
      `/api/discussions/${String(discussion._id)}/comments`,
      { as: group.coordinator },
    );
    expect(comments.body.items.map((c) => c.author.avatarUrl)).to.deep.equal([url]);
    const members = await app.get(`/api/groups/${String(group._id)}/members`, {
      as: group.coordinator,
    });
    expect(JSON.stringify(members.body)).to.include(url);
  });

  it('P9: a deleted account takes its photo with it (404, nothing left in the database)', async () => {
    const ada = await buildUser();
    const avatarId = idOf((await upload(ada, await photoWithMetadata())).body.user.avatarUrl);
    const res = await app.post(
      '/api/me/delete',
      { password: TEST_PASSWORD, confirm: 'DELETE' },
      { as: ada },
    );
    expect(res.status).to.equal(204);
    for (const size of [64, 128, 256])
      expectError(await app.get(`/api/avatars/${avatarId}/${size}`), 404, 'not_found');
    expect(
      await AvatarModel.countDocuments({ $or: [{ _id: avatarId }, { userId: ada._id }] }),
    ).to.equal(0);
  });

  it('limits uploads to 20 an hour per person (429 with Retry-After)', async () => {
    const ada = await buildUser();
    const small = await photoPng(16, 16);
    for (let i = 0; i < 20; i++) expect((await upload(ada, small)).status).to.equal(200);
    const refused = await upload(ada, small);
    expectError(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).to.be.above(0);
  });

  it('drops the image paths profiles held before uploads existed, at start-up', async () => {
    const ada = await buildUser();
    await UserModel.collection.updateOne(
      { _id: ada._id },
      { $set: { avatarUrl: '/uploads/avatars/old.png' } },
    );
    await dropAvatarPaths();
    const raw = await UserModel.collection.findOne({ _id: ada._id });
    expect(raw).not.to.have.property('avatarUrl');
  });
});
