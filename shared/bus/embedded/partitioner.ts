/**
 * Key → partition, the same way Kafka's default partitioner (and kafkajs's DefaultPartitioner) does
 * it: `(murmur2(utf8(key)) & 0x7fffffff) % partitions`. Any stable hash would keep a key's events in
 * one partition and so in order; using Kafka's means a key lands on the same partition number on the
 * embedded bus and on a Kafka topic with the same partition count, which makes logs and lag figures
 * comparable when a deployment moves between them. The mapping is part of the log format: changing
 * it (or a topic's partition count) would split a key's history across partitions.
 */
const seed = 0x9747b28c;
const m = 0x5bd1e995;
const encoder = new TextEncoder();

/** 32-bit MurmurHash2 (Austin Appleby), as Kafka's Java client computes it; signed 32-bit result. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = seed ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2] << 16;
  if (tail >= 2) h ^= data[whole + 1] << 8;
  if (tail >= 1) {
    h ^= data[whole];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionFor(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partition count must be a positive integer, got ${partitions}`);
  }
  return (murmur2(encoder.encode(key)) & 0x7fffffff) % partitions;
}
