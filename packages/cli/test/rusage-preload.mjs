// Loaded with `node --import` by the hostile-file tests: reports the CLI process's peak RSS.
import { writeFileSync } from 'node:fs';

const out = process.env.PYMECOMPRESS_TEST_RUSAGE_FILE;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
