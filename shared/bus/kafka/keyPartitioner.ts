import { Partitioners, type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';

/** Keys remembered per partition count before the memo starts over (device ids: a fleet, not a stream of uniques). */
const MAX_KEYS = 100_000;

/**
 * kafkajs's DefaultPartitioner (the Java client's murmur2 of the key, modulo the partition count) with
 * each key's partition remembered. kafkajs runs the partitioner for every message, hashing a fresh
 * Buffer of the key each time; a fleet sends the same few thousand ids over and over, so a lookup
 * replaces the hash. The result is the same function of (key, partition count), so a key stays on
 * the partition a Java producer picks. Messages with an explicit partition or without a key go to
 * kafkajs's partitioner unchanged (round-robin over available partitions for keyless ones).
 */
export const keyPartitioner: ICustomPartitioner = () => {
  const hashed = Partitioners.DefaultPartitioner();
  const memo = new Map<number, Map<string, number>>();
  return (args: PartitionerArgs): number => {
    const { key, partition } = args.message;
    if (typeof key !== 'string' || (partition !== undefined && partition !== null)) return hashed(args);
    const count = args.partitionMetadata.length;
    let byKey = memo.get(count);
    if (!byKey) memo.set(count, (byKey = new Map()));
    let p = byKey.get(key);
    if (p === undefined) {
      if (byKey.size >= MAX_KEYS) byKey.clear();
      p = hashed(args);
      byKey.set(key, p);
    }
    return p;
  };
};
