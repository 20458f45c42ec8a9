// The one place that works out which Node headers node-gyp builds against (`nodedir`): node-gyp
// cannot download headers on our machines, and a user's install must not either. An explicit,
// non-empty npm_config_nodedir wins; else the running Node's own prefix, whose include/node holds
// the headers when Node ships them. Used by install.mjs and prebuild.mjs (imported) and by
// build-native.sh and the root scripts/setup.sh (`node packages/native/scripts/nodedir.mjs`
// prints it). Ships with the package (install.mjs needs it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The install prefix of the running Node (`<prefix>/bin/node`). */
export function nodePrefix() {
  return dirname(dirname(process.execPath));
}

/** Whether `dir` holds Node's N-API headers (`include/node/node_api.h`). */
export function hasNodeHeaders(dir) {
  return existsSync(join(dir, 'include', 'node', 'node_api.h'));
}

/**
 * npm_config_nodedir when set, else the running Node's prefix. With `requireHeaders`, the prefix is
 * only returned when it ships the headers (undefined otherwise: node-gyp's own default applies).
 */
export function resolveNodedir(env = process.env, { requireHeaders = false } = {}) {
  if (env.npm_config_nodedir) return env.npm_config_nodedir;
  const prefix = nodePrefix();
  return !requireHeaders || hasNodeHeaders(prefix) ? prefix : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${resolveNodedir()}\n`);
}
