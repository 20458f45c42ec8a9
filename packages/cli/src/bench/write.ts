/** `pymecompress bench`, write step: the whole result as JSON, committed atomically. */
import { writeFileAtomic } from '../atomic.js';

export async function writeBenchJson(path: string, result: Record<string, unknown>): Promise<void> {
  // --json replaces an earlier result (the bench has no --force): the one atomic writer.
  await writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`, true);
}
