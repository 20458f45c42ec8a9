// Live differential properties against the real pymecompress 0.3.6 (Python worker).
import { loadBackends } from '../backends.js';
import { registerDifferentialSuite, useReferenceWorker } from '../differential.js';

const { targets } = await loadBackends();
const worker = useReferenceWorker();
for (const t of targets) registerDifferentialSuite(t, worker);
