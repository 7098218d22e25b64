/**
 * Seeded, deterministic pseudo-random numbers for the simulators (vessel fleet, cooling plant).
 *
 * Generator: sfc32 (Chris Doty-Humphrey's "small fast counting" generator, public domain) seeded via
 * splitmix32 over a string/number key. It is fast in JS (32-bit integer ops only), passes PractRand
 * at the sizes we use, and—unlike `Math.random`—reproduces the same stream on every machine, so a
 * training run or a benchmark can be repeated bit for bit from its seed.
 *
 * `fork(label)` derives a child stream from this stream's *key* and the label, not from its current
 * state: a child is the same whatever the parent has drawn before, so adding a draw to one vessel's
 * simulation does not change any other vessel.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;
  /** the key this stream was made from; children derive from it */
  readonly key: string;

  constructor(seed: number | string) {
    this.key = String(seed);
    let h = hashString(this.key);
    const next = (): number => {
      // splitmix32 step: spreads a single hash into four well-mixed state words
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    // discard the first outputs: sfc32 needs a few rounds to mix a fresh state
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** next 32-bit unsigned integer */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** uniform in [a, b) */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** normal(mean, sd) via Box–Muller; the second variate of each pair is kept for the next call */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next(); // log(0) would be -Infinity
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** integer uniform in [a, b], both ends included */
  int(a: number, b: number): number {
    if (!Number.isInteger(a) || !Number.isInteger(b) || b < a) {
      throw new RangeError(`Random.int: need integers a <= b, got a=${a}, b=${b}`);
    }
    return a + Math.floor(this.next() * (b - a + 1));
  }

  /** one element of a non-empty array, uniformly */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick: the array is empty; pass at least one item');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** exponential with the given mean (inter-arrival times of a Poisson process) */
  exponential(mean: number): number {
    let u = 0;
    while (u === 0) u = this.next();
    return -mean * Math.log(u);
  }

  /** true with probability p */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** an independent child stream named by `label`; depends only on this stream's key and the label */
  fork(label: string | number): Random {
    return new Random(`${this.key}/${String(label)}`);
  }
}

/** 32-bit FNV-1a followed by a murmur3 finaliser: cheap and well spread for short keys */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
