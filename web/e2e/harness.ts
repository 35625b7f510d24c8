/**
 * End-to-end harness: the real app (same composition root as `npm start`) on
 * a fresh in-memory engine, serving the freshly built web client, driven by
 * Debian's headless Chromium through playwright-core.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../../server/src/web/client.js';
import { startTestApp, type TestApp } from '../../server/src/test/harness.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { SESSION_COOKIE } from '../../server/src/auth/session-token.js';
import { freshness, writeStamp } from '../../scripts/build/stamps.js';
import { WEB } from '../../scripts/build/targets.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOW_TO_GET_CHROMIUM =
  'install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary';
/** The one line a developer without Chromium sees, however many browser suites are skipped. */
export const CHROMIUM_MISSING = `Chromium not found at ${CHROMIUM}: the browser tests (web/e2e) are pending; ${HOW_TO_GET_CHROMIUM}.`;
let missingReported = false;
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

/**
 * Builds the web client once per test run, unless the last build (of a test
 * run or of `npm start`) was made from the sources as they are (scripts/build),
 * so the tests exercise what `npm start` serves.
 */
export function buildWebClient(): Promise<void> {
  built ??= (async () => {
    const state = await freshness(repoRoot(), WEB);
    if (state.fresh) return;
    const { build } = await import('vite');
    await build({
      configFile: path.join(repoRoot(), 'web', 'vite.config.ts'),
      logLevel: 'warn',
    });
    await writeStamp(repoRoot(), WEB, state.fingerprint);
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

function chromiumInstalled(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Without Chromium, skips the suite whose `before all` hook this is (its tests
 * show as pending) and says once how to get it; under `CI=true` a missing
 * browser fails instead, so CI cannot pass without running the browser tests.
 */
function requireChromium(hook: Mocha.Context): void {
  if (chromiumInstalled()) return;
  if (process.env.CI === 'true') {
    throw new Error(
      `Chromium not found at ${CHROMIUM}, and CI=true runs the browser tests: ${HOW_TO_GET_CHROMIUM}.`,
    );
  }
  if (!missingReported) console.warn(`\n  ${CHROMIUM_MISSING}\n`);
  missingReported = true;
  hook.skip();
}

/**
 * Call from the suite's `before` hook, as `startE2E(this)`: the hook is what is
 * skipped when Chromium is missing. `env` adds configuration for the app under
 * test (e.g. `DPO_EMAILS`), as `startTestApp` takes it. A failed start closes
 * what it opened, so the next suite starts on a clean slate.
 */
export async function startE2E(
  hook: Mocha.Context,
  env: Record<string, string> = {},
): Promise<E2E> {
  requireChromium(hook);
  await buildWebClient();
  await mkdir(SCREENSHOTS, { recursive: true });
  const app = await startTestApp({ ...env, WEB_CLIENT: 'dist' });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  } catch (error) {
    await app.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
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
