// The one headless Chromium launch used by every browser test and benchmark in the monorepo
// (codecs, wasm, cli, viewer). Plain JS with a hand-written index.d.ts so it needs no build
// step: tests import it straight from the workspace. Private, never packed (test-tarballs.mjs
// skips private packages).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's chromium (packages/codecs/scripts/install-chromium.sh); PYMECOMPRESS_CHROMIUM overrides. */
export const CHROMIUM = process.env.PYMECOMPRESS_CHROMIUM ?? '/usr/bin/chromium';

/** PYMECOMPRESS_SKIP_BROWSER=1 skips the browser tests on machines without Chromium. */
export const SKIP_BROWSER = process.env.PYMECOMPRESS_SKIP_BROWSER === '1';

/**
 * Headless, no sandbox (CI containers run as root), no GPU, and nothing that reaches the
 * network or updates itself on its own, so runs are reproducible and offline.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]);

/** Throws a message saying how to install Chromium (or skip) when it is missing and not skipped. */
export function requireChromium() {
  if (!SKIP_BROWSER && !existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: run packages/codecs/scripts/install-chromium.sh (or set PYMECOMPRESS_SKIP_BROWSER=1)`,
    );
  }
}

/** Launches headless Chromium with CHROMIUM_ARGS (plus `extraArgs`). */
export function launchChromium(extraArgs = []) {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
