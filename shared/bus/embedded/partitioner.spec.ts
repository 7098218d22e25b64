import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionFor } from './partitioner.js';

// kafkajs's DefaultPartitioner is the Java-compatible murmur2 one; for keyed messages it ignores
// leaders and uses the partition count, so it is an independent oracle for our implementation.
const kafkajs = Partitioners.DefaultPartitioner();
function kafkaPartition(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
}

describe('partitionFor', () => {
  it('assigns every key the partition Kafka would (kafkajs DefaultPartitioner), for any key and count', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
      expect(partitionFor(key, n)).toBe(kafkaPartition(key, n));
    }), { numRuns: 2000 });
  });

  it('covers every tail length and multi-byte UTF-8', () => {
    for (const key of ['', 'a', 'ab', 'abc', 'abcd', 'abcde', '227006760', 'hall-7', 'é', '日本', '🚢🚢']) {
      for (const n of [1, 3, 4, 16]) expect(partitionFor(key, n)).toBe(kafkaPartition(key, n));
    }
  });

  it('spreads keys over partitions', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[partitionFor(`vessel-${i}`, 8)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => partitionFor('k', 0)).toThrow(/positive integer/);
    expect(() => partitionFor('k', 1.5)).toThrow(/positive integer/);
  });
});
