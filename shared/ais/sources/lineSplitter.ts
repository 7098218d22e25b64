/**
 * Splits a byte stream (TCP) into lines. A line split across chunks is carried to the next chunk;
 * a "line" that grows past maxLineLength without a newline is cut off and reported, so a feed that
 * never sends newlines cannot grow memory.
 */
export class LineSplitter {
  private carry = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: (start: string, length: number) => void,
    private readonly maxLineLength = 4096,
  ) {}

  push(chunk: string): void {
    let text = this.carry + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    text = text.slice(start);
    if (text.length > this.maxLineLength) {
      this.onOverlong(text.slice(0, 80), text.length);
      text = '';
    }
    this.carry = text;
  }

  /** The unterminated rest, if any (connection closed mid-line), and reset. */
  takeRest(): string {
    const rest = this.carry;
    this.carry = '';
    return rest;
  }
}
