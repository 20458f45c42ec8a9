// The package's install hook: node-gyp-build loads a matching prebuild or compiles the addon.
// When no header location is configured and the running Node ships its headers
// (<prefix>/include/node), point node-gyp at them, so building never needs to download
// anything (offline machines, locked-down CI). An explicit npm_config_nodedir wins.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const env = { ...process.env };
const prefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  env.npm_config_nodedir = prefix;
}
const require = createRequire(import.meta.url);
const nodeGypBuild = join(dirname(require.resolve('node-gyp-build/package.json')), 'bin.js');
const result = spawnSync(process.execPath, [nodeGypBuild], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
