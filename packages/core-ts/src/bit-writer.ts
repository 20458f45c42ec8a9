/**
 * MSB-first bit writer into a buffer sized in advance (the encoder knows the exact stream
 * length before writing, so no bounds checks or growth are needed).
 */
export class BitWriter {
  /** Pending bits, right-aligned; only the low `pendingBits` bits are meaningful. */
  private pending = 0;
  private pendingBits = 0;
  private byteIndex = 0;

  constructor(private readonly out: Uint8Array) {}

  /** Appends the low `count` bits of `value`, most significant first; `count` is 0..24. */
  writeBits(value: number, count: number): void {
    // A hot loop may hand back up to 15 pending bits: make room for 24 more.
    while (this.pendingBits >= 8) {
      this.pendingBits -= 8;
      this.out[this.byteIndex++] = this.pending >>> this.pendingBits;
    }
    this.pending = (this.pending << count) | (value & ((1 << count) - 1));
    this.pendingBits += count;
    while (this.pendingBits >= 8) {
      this.pendingBits -= 8;
      this.out[this.byteIndex++] = this.pending >>> this.pendingBits;
    }
  }

  /** Appends a bit sequence of any length (one array element per bit). */
  writePath(path: Uint8Array): void {
    for (let i = 0; i < path.length; i++) this.writeBits(path[i]!, 1);
  }

  /** Hands the state to an inlined hot loop, which must hand it back with `restore`. */
  state(): { pending: number; pendingBits: number; byteIndex: number } {
    return { pending: this.pending, pendingBits: this.pendingBits, byteIndex: this.byteIndex };
  }

  restore(pending: number, pendingBits: number, byteIndex: number): void {
    this.pending = pending;
    this.pendingBits = pendingBits;
    this.byteIndex = byteIndex;
  }

  /** Pads the last partial byte with zero bits; returns the number of bytes written. */
  finish(): number {
    // A hot loop may hand back up to 15 pending bits: flush whole bytes first.
    while (this.pendingBits >= 8) {
      this.pendingBits -= 8;
      this.out[this.byteIndex++] = this.pending >>> this.pendingBits;
    }
    if (this.pendingBits > 0) {
      this.out[this.byteIndex++] = this.pending << (8 - this.pendingBits);
      this.pendingBits = 0;
    }
    return this.byteIndex;
  }
}
