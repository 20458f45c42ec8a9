/** Bundles test/browser/page.ts for the browser and opens it in headless Chromium. */
import { fileURLToPath } from 'node:url';
import { launchChromium, requireChromium, SKIP_BROWSER } from '@pymecompress/test-browser';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';

// The launcher, path and skip switch have one home (packages/test-browser).
export { CHROMIUM } from '@pymecompress/test-browser';
export const skipBrowser = SKIP_BROWSER;
requireChromium();

const pkg = fileURLToPath(new URL('..', import.meta.url));

export async function bundlePage(): Promise<string> {
  const r = await build({
    entryPoints: [fileURLToPath(new URL('./browser/page.ts', import.meta.url))],
    absWorkingDir: pkg,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'PMC',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

export async function openPage(
  js: string,
): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setContent('<!doctype html><title>pmc wasm</title><body></body>');
  await page.addScriptTag({ content: js });
  return { browser, page, errors };
}
