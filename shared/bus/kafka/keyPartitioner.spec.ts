import fc from 'fast-check';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { keyPartitioner } from './keyPartitioner.js';

const metadata = (n: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

describe('keyPartitioner', () => {
  it('picks the partition kafkajs\'s DefaultPartitioner picks for every key and partition count, asked again and again', () => {
    const memo = keyPartitioner();
    const plain = Partitioners.DefaultPartitioner();
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, n) => {
      const args = { topic: 't', partitionMetadata: metadata(n), message: { key, value: 'v' } };
      const expected = plain(args);
      expect(memo(args)).toBe(expected);
      expect(memo(args)).toBe(expected);
    }), { numRuns: 500 });
  });

  it('remembers a key per partition count: after the count changes the key gets the new count\'s partition', () => {
    const memo = keyPartitioner();
    const at = (key: string, n: number) => memo({ topic: 't', partitionMetadata: metadata(n), message: { key, value: null } });
    const four = at('412000007', 4);
    const hundred = at('412000007', 100);
    expect(four).toBe(Partitioners.DefaultPartitioner()({ topic: 't', partitionMetadata: metadata(4), message: { key: '412000007', value: null } }));
    expect(hundred).toBe(Partitioners.DefaultPartitioner()({ topic: 't', partitionMetadata: metadata(100), message: { key: '412000007', value: null } }));
    expect(hundred).not.toBe(four); // this key's partitions differ, so a memo ignoring the count would fail
  });

  it('honours an explicit partition and spreads keyless messages', () => {
    const memo = keyPartitioner();
    expect(memo({ topic: 't', partitionMetadata: metadata(4), message: { key: 'a', value: 'v', partition: 3 } })).toBe(3);
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) seen.add(memo({ topic: 't', partitionMetadata: metadata(4), message: { value: 'v' } }));
    expect(seen.size).toBe(4);
  });
});
