/** A one-line progress bar on stderr, shown only on a TTY and without --quiet. */
import { fmtRate } from './format.js';

export class Progress {
  readonly #enabled: boolean;
  readonly #total: number;
  readonly #label: string;
  readonly #start = performance.now();
  #last = 0;

  constructor(label: string, total: number, quiet: boolean) {
    this.#enabled = !quiet && process.stderr.isTTY === true && total > 1;
    this.#total = total;
    this.#label = label;
  }

  update(done: number, bytes: number): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (done < this.#total && now - this.#last < 100) return;
    this.#last = now;
    const width = 30;
    const filled = Math.round((width * done) / this.#total);
    const secs = (now - this.#start) / 1000;
    process.stderr.write(
      `\r${this.#label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.#total} frames  ${fmtRate(bytes, secs)} `,
    );
  }

  done(): void {
    if (this.#enabled) process.stderr.write('\n');
  }
}
