/** Bundles test/browser/page.ts for the browser and opens it in headless Chromium. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PYMECOMPRESS_CHROMIUM ?? '/usr/bin/chromium';
export const skipBrowser = process.env.PYMECOMPRESS_SKIP_BROWSER === '1';
if (!skipBrowser && !existsSync(CHROMIUM)) {
  throw new Error(
    `${CHROMIUM} not found: run packages/codecs/scripts/install-chromium.sh (or set PYMECOMPRESS_SKIP_BROWSER=1)`,
  );
}

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
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setContent('<!doctype html><title>pmc wasm</title><body></body>');
  await page.addScriptTag({ content: js });
  return { browser, page, errors };
}
