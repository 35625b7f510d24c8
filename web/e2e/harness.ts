/**
 * End-to-end harness: the real app (same composition root as `npm start`) on
 * a fresh in-memory engine, serving the freshly built web client, driven by
 * Debian's headless Chromium through playwright-core.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../../server/src/web/client.js';
import { startTestApp, type TestApp } from '../../server/src/test/harness.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { SESSION_COOKIE } from '../../server/src/auth/session-token.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOTS = path.join(repoRoot(), 'test-results', 'screenshots');

let built: Promise<void> | null = null;

/** Builds the web client once per test run, so the tests exercise what `npm start` serves. */
export function buildWebClient(): Promise<void> {
  built ??= (async () => {
    const { build } = await import('vite');
    await build({
      configFile: path.join(repoRoot(), 'web', 'vite.config.ts'),
      logLevel: 'warn',
    });
  })();
  return built;
}

export interface E2E {
  app: TestApp;
  browser: Browser;
  /** A new browser window (its own cookies), signed in as `user` when given. */
  open(user?: UserDocument, viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a full-page screenshot to test-results/screenshots/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** `env` adds configuration for the app under test (e.g. `DPO_EMAILS`), as `startTestApp` takes it. */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  await buildWebClient();
  const app = await startTestApp({ ...env, WEB_CLIENT: 'dist' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const contexts: BrowserContext[] = [];
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    app,
    browser,
    async open(user, viewport = { width: 1280, height: 860 }) {
      const context = await browser.newContext({ viewport, baseURL: app.url });
      contexts.push(context);
      if (user) {
        await context.addCookies([
          { name: SESSION_COOKIE, value: app.tokenFor(user), url: app.url, httpOnly: true },
        ]);
      }
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      // A full-page capture draws the sticky top bar where the page is scrolled to: start at the top.
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await browser.close();
      await app.close();
    },
  };
}
