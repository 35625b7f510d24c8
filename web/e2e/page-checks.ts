/**
 * Checks the browser tests share: a page never reloaded (live updates, not a
 * refresh, brought what it shows) and screenshots at both widths.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { E2E } from './harness.js';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

/** Marks the document: the mark survives only if the page is never reloaded. */
export const mark = (page: Page) => page.evaluate('window.sameDocument = true');

export const neverReloaded = async (page: Page) =>
  expect(await page.evaluate('window.sameDocument === true'), 'no page reload').to.equal(true);

/** A screenshot at desktop width, then one at phone width, back to desktop. */
export async function shootBothWidths(e2e: E2E, page: Page, name: string): Promise<void> {
  await e2e.screenshot(page, `${name}-1280`);
  await page.setViewportSize(PHONE);
  await e2e.screenshot(page, `${name}-390`);
  await page.setViewportSize(DESKTOP);
}
