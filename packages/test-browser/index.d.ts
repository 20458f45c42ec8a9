import type { Browser } from 'playwright-core';

/** Debian's chromium (packages/codecs/scripts/install-chromium.sh); PYMECOMPRESS_CHROMIUM overrides. */
export declare const CHROMIUM: string;
/** PYMECOMPRESS_SKIP_BROWSER=1 skips the browser tests on machines without Chromium. */
export declare const SKIP_BROWSER: boolean;
/** The launch flags every test and benchmark uses. */
export declare const CHROMIUM_ARGS: readonly string[];
/** Throws a message saying how to install Chromium (or skip) when it is missing and not skipped. */
export declare function requireChromium(): void;
/** Launches headless Chromium with CHROMIUM_ARGS (plus `extraArgs`). */
export declare function launchChromium(extraArgs?: readonly string[]): Promise<Browser>;
