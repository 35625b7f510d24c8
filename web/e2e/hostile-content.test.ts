import { expect } from 'chai';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { CommentDto, DiscussionDto, PollDto } from '../../shared/dto.js';
import { DiscussionModel } from '../../server/src/models/discussion.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { buildPoll } from '../../server/src/test/factories-polls.js';
import { SCREENSHOTS, startE2E, type E2E } from './harness.js';

/** Markdown a hostile member may write as a discussion's context. */
function hostileContext(otherDiscussionId: string): string {
  return [
    '# Agenda <script>window.__pwned = "context script"</script>',
    '',
    `Read [the other discussion](/d/${otherDiscussionId}) and [your settings](/settings#email-notifications).`,
    'See [the agenda](https://example.org/agenda) or [write to us](mailto:board@example.org).',
    '',
    '- [backslash](/\\evil.example)',
    '- [protocol relative](//evil.example/d/1)',
    '- [script](javascript:window.__pwned="link")',
    '- [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '- [lenient](https:evil.example)',
    '- [unknown page](/nowhere/at/all)',
    '- <img src=x onerror="window.__pwned = \'img\'"> and <a href="javascript:alert(1)">raw html</a>',
    '',
    `A huge word: ${'W'.repeat(5000)}`,
    '',
    `${'a *b'.repeat(20000)}`,
    '',
    '[unclosed](/d/x '.repeat(200),
  ].join('\n');
}

const HOSTILE_COMMENTS = [
  '<script>window.__pwned = "comment script"</script> still here',
  'Weird links: https://evil.example\u202e/gpj.exe and javascript:alert(1) and [x](/\\evil.example)',
  `${'Z'.repeat(20000 - 20)} end of a long one`,
];

/** The page as one sees it (the full page is tens of thousands of pixels tall here). */
async function viewportShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

describe('web client: hostile Markdown and text never blank a discussion (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  async function world() {
    const author = await buildUser({ name: 'Mallory Quill' });
    const reader = await buildUser({ name: 'Rosa Lind' });
    const group = await buildGroup({ coordinator: author, privacy: 'open', name: 'Harbour Choir' });
    await addMember(group, reader);
    const start = async (title: string, context: string) => {
      const res = await e2e.app.post<{ discussion: DiscussionDto }>(
        '/api/discussions',
        { groupId: String(group._id), title, context },
        { as: author },
      );
      expect(res.status).to.equal(201);
      return res.body.discussion;
    };
    const other = await start('Choir robes', 'Which colour?');
    const discussion = await start('Concert programme', hostileContext(other.id));
    const comments: CommentDto[] = [];
    for (const body of [...HOSTILE_COMMENTS, 'A plain comment that must show.'])
      comments.push(await comment(discussion.id, author, body));
    return { author, reader, group, discussion, other, comments };
  }

  async function comment(discussionId: string, user: UserDocument, body: string) {
    const res = await e2e.app.post<{ comment: CommentDto }>(
      `/api/discussions/${discussionId}/comments`,
      { body },
      { as: user },
    );
    expect(res.status, JSON.stringify(res.body).slice(0, 200)).to.equal(201);
    return res.body.comment;
  }

  /** Fails the test on any error the page throws or logs, except those a test expects. */
  function watchErrors(page: Page, expected: RegExp | null = null): string[] {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !(expected && expected.test(m.text()))) errors.push(m.text());
    });
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    return errors;
  }

  async function openDiscussion(page: Page, d: DiscussionDto) {
    await page.goto(`/d/${d.id}`);
    await page.getByRole('heading', { level: 1, name: d.title }).waitFor();
  }

  it('renders hostile context and comments safely, and every link behaves', async () => {
    const { reader, discussion, other } = await world();
    const page = await e2e.open(reader);
    const errors = watchErrors(page);
    await openDiscussion(page, discussion);

    const context = page.locator('.discussion-context');
    const comments = page.getByTestId('comment');
    await comments.filter({ hasText: 'A plain comment that must show.' }).waitFor();
    expect(await comments.count()).to.equal(4);
    await comments.filter({ hasText: 'still here' }).waitFor();
    await comments.filter({ hasText: 'end of a long one' }).waitFor();

    // Markup in records is text, never markup.
    await context.getByText('<script>window.__pwned = "context script"</script>').waitFor();
    expect(await page.locator('main script, main img[src="x"]').count()).to.equal(0);
    await comments.getByText('<script>', { exact: false }).first().waitFor();

    // Links that are not safe are text: no anchor at all, whatever the trick.
    for (const name of ['backslash', 'protocol relative', 'script', 'data', 'lenient']) {
      await context.getByText(name, { exact: true }).waitFor();
      expect(await context.getByRole('link', { name, exact: true }).count(), name).to.equal(0);
    }
    expect(
      await page.locator('main a[href^="javascript:" i], main a[href^="data:" i]').count(),
    ).to.equal(0);
    const hrefs = await page.evaluate<string[]>(
      "[...document.querySelectorAll('main a[href]')].map((a) => a.href)",
    );
    for (const href of hrefs) expect(href, href).to.not.match(/evil\.example/);

    // External links are plain, and tell the browser to share nothing.
    const agenda = context.getByRole('link', { name: 'the agenda' });
    expect(await agenda.getAttribute('href')).to.equal('https://example.org/agenda');
    expect((await agenda.getAttribute('rel'))?.split(' ').sort()).to.deep.equal([
      'nofollow',
      'noopener',
      'noreferrer',
    ]);
    const mail = context.getByRole('link', { name: 'write to us' });
    expect(await mail.getAttribute('href')).to.equal('mailto:board@example.org');
    // A same-origin path that is no page of the app is loaded by the browser, not the router.
    const nowhere = context.getByRole('link', { name: 'unknown page' });
    expect(await nowhere.getAttribute('rel')).to.contain('nofollow');

    // Clicking the text of a hostile link goes nowhere and breaks nothing.
    await context.getByText('backslash', { exact: true }).click();
    expect(new URL(page.url()).pathname).to.equal(`/d/${discussion.id}`);

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 860 });
      const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(scrollWidth, `no sideways scrolling at ${width}px`).to.be.at.most(width);
      await e2e.screenshot(page, `hostile-discussion-${width}`);
      await viewportShot(page, `hostile-discussion-${width}-top`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });

    // Internal links stay in the app (no reload: the marker survives) and land on the page.
    await page.evaluate('window.__samePage = true');
    await context.getByRole('link', { name: 'the other discussion' }).click();
    await page.getByRole('heading', { level: 1, name: other.title }).waitFor();
    expect(await page.evaluate('window.__samePage')).to.equal(true);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: discussion.title }).waitFor();
    await context.getByRole('link', { name: 'your settings' }).click();
    await page.getByRole('region', { name: 'Email notifications' }).waitFor();
    expect(await page.evaluate('window.__samePage')).to.equal(true);

    expect(await page.evaluate('window.__pwned')).to.equal(undefined);
    expect(errors).to.deep.equal([]);
  });

  it('shows one unrenderable record as a note and the rest of the page around it', async () => {
    const { reader, discussion, comments } = await world();
    const stored = (await DiscussionModel.findById(discussion.id))!;
    await buildPoll({ discussion: stored, title: 'Which date?' });
    await buildPoll({ discussion: stored, title: 'Broken poll' });
    const page = await e2e.open(reader);
    const errors = watchErrors(page, /Quorum could not show|The above error occurred|Cannot read/);
    // A record the client cannot render, as a server bug or an old client could deliver it.
    const broken = comments[0].id;
    await page.route(`**/api/discussions/${discussion.id}/comments*`, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { items?: CommentDto[] };
      for (const c of body.items ?? []) if (c.id === broken) Object.assign(c, { body: null });
      await route.fulfill({ response: res, json: body });
    });
    await page.route(`**/api/discussions/${discussion.id}/polls*`, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { items?: PollDto[] };
      for (const p of body.items ?? [])
        if (p.title === 'Broken poll') Object.assign(p, { options: null, settings: null });
      await route.fulfill({ response: res, json: body });
    });
    await openDiscussion(page, discussion).catch(async (e: unknown) => {
      await e2e.screenshot(page, 'broken-record-failed');
      throw e;
    });

    const notes = page.getByText('This part could not be shown.');
    await page
      .getByTestId('comment')
      .filter({ hasText: 'A plain comment that must show.' })
      .waitFor();
    await page.getByTestId('poll-card').filter({ hasText: 'Which date?' }).waitFor();
    await page.getByRole('note', { name: 'comment not shown' }).waitFor();
    await page.getByRole('note', { name: 'poll not shown' }).waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 860 });
      await e2e.screenshot(page, `broken-record-${width}`);
      await page.getByTestId('poll-card').first().scrollIntoViewIfNeeded();
      await viewportShot(page, `broken-record-${width}-polls`);
      await page.getByRole('note', { name: 'comment not shown' }).scrollIntoViewIfNeeded();
      await viewportShot(page, `broken-record-${width}-comments`);
    }
    const labels = await page.evaluate<string[]>(
      "[...document.querySelectorAll('[role=note]')].map((n) => n.getAttribute('aria-label'))",
    );
    expect(labels).to.deep.equal(['poll not shown', 'comment not shown']);
    expect(await notes.count()).to.equal(2);
    expect(await page.getByTestId('comment').count()).to.equal(3);
    await page.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    expect(errors).to.deep.equal([]);
  });
});
