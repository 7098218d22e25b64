import { AssignerProtocol, type Assigner, type GroupMember, type GroupMemberAssignment, type PartitionAssigner } from 'kafkajs';

/** Which topics each member subscribed to (from its join metadata). */
export interface MemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/**
 * Spreads each topic's partitions round-robin over the members subscribed to THAT topic (members sorted
 * by id, so every leader computes the same plan). kafkajs's own RoundRobinAssigner assumes every member
 * subscribes to the leader's topics; the worker runs one consumer per stream in one group, so with it
 * the other streams' partitions would go to members that drop them.
 */
export function assignBySubscription(
  members: readonly MemberSubscription[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Record<string, number[]>> {
  const plan = new Map<string, Record<string, number[]>>();
  for (const m of members) plan.set(m.memberId, {});
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  let turn = 0;
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic)).map((m) => m.memberId).sort();
    const count = partitionCounts.get(topic) ?? 0;
    for (let partition = 0; partition < count; partition++) {
      // `turn` carries over between topics so single-partition topics do not all land on the first member.
      const owner = subscribers[(turn + partition) % subscribers.length]!;
      (plan.get(owner)![topic] ??= []).push(partition);
    }
    turn += count;
  }
  return plan;
}

export const SUBSCRIPTION_ASSIGNER = 'DriftlineSubscriptionRoundRobin';

/** The kafkajs assigner around `assignBySubscription`; `partitionCounts` asks the cluster (admin client). */
export function subscriptionAssigner(
  partitionCounts: (topics: readonly string[]) => Promise<ReadonlyMap<string, number>>,
): PartitionAssigner {
  return (): Assigner => ({
    name: SUBSCRIPTION_ASSIGNER,
    version: 0,
    async assign({ members }: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]> {
      const subscriptions = members.map((m) => ({
        memberId: m.memberId,
        topics: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [],
      }));
      const counts = await partitionCounts([...new Set(subscriptions.flatMap((s) => s.topics))]);
      const plan = assignBySubscription(subscriptions, counts);
      return [...plan].map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }: { topics: string[] }) {
      return { name: SUBSCRIPTION_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  });
}
