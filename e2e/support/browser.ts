// Headless Chromium for the dashboard tests and the renderer benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import type { Cleanup } from '../../test/support/tmp.js';

export const CHROMIUM_PATH = process.env.TCE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...extraArgs],
  });
}

/** A browser closed when the test (or suite) ends. */
export async function browserFor(t: Cleanup, extraArgs: string[] = []): Promise<Browser> {
  const browser = await launchBrowser(extraArgs);
  t.after(() => browser.close());
  return browser;
}

/** Collects page errors and CSP violations, so a test can assert the page ran clean. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** Where screenshots go: $TCE_TEST_OUTPUT (set by the test runner), else test-output/. */
export function outputPath(name: string): string {
  const dir = process.env.TCE_TEST_OUTPUT ?? 'test-output';
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
