import { expect } from 'chai';
import { startE2E, type E2E } from './harness.js';
import { manyPolls, measure } from './many-polls-scene.js';

describe('web client: a discussion with many polls (Chromium)', function () {
  this.timeout(180_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('keeps the comments within one screen of the top with eight polls, at 1280 px', async () => {
    const w = await manyPolls(e2e);
    const page = await e2e.open(w.members[0], { width: 1280, height: 800 });
    page.setDefaultTimeout(30_000);
    await page.goto(`/d/${w.discussion.id}`);
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    const { height, firstComment } = await measure(page);
    console.log(`      eight polls at 1280 px: page ${height} px tall, first comment at ${firstComment} px`);
    await page.screenshot({ path: '/tmp/work-w15a-shots/before-eight-polls-1280.png', fullPage: true });
    await page.screenshot({ path: '/tmp/work-w15a-shots/before-eight-polls-1280-top.png' });
    expect(firstComment).to.be.below(800);
  });
});
