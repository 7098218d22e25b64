import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { assignBySubscription, subscriptionAssigner } from './subscriptionAssigner.js';

describe('assignBySubscription', () => {
  it('gives each topic\'s partitions only to members subscribed to it, each partition to exactly one member', () => {
    const members = [
      { memberId: 'b', topics: ['vessels'] },
      { memberId: 'a', topics: ['vessels'] },
      { memberId: 'c', topics: ['plants'] },
      { memberId: 'd', topics: ['plants', 'dead_letters'] },
    ];
    const counts = new Map([['vessels', 4], ['plants', 3], ['dead_letters', 1]]);
    const plan = assignBySubscription(members, counts);
    expect(plan.get('a')).toEqual({ vessels: [0, 2] });
    expect(plan.get('b')).toEqual({ vessels: [1, 3] });
    expect(Object.keys(plan.get('c')!)).toEqual(['plants']);
    expect(plan.get('d')!.dead_letters).toEqual([0]);
    const plants = [...(plan.get('c')!.plants ?? []), ...(plan.get('d')!.plants ?? [])].sort();
    expect(plants).toEqual([0, 1, 2]);
  });

  it('leaves a member with no partitions an empty assignment (more members than partitions)', () => {
    const plan = assignBySubscription([{ memberId: 'x', topics: ['t'] }, { memberId: 'y', topics: ['t'] }], new Map([['t', 1]]));
    expect(plan.get('x')).toEqual({ t: [0] });
    expect(plan.get('y')).toEqual({});
  });

  it('encodes the plan as kafkajs member assignments read from the members\' join metadata', async () => {
    const assigner = subscriptionAssigner(async (topics) => new Map(topics.map((t) => [t, 2])))({} as never);
    const meta = (topics: string[]) => assigner.protocol({ topics }).metadata;
    const out = await assigner.assign({ members: [{ memberId: 'm1', memberMetadata: meta(['x']) }, { memberId: 'm2', memberMetadata: meta(['y']) }], topics: ['x'] });
    const decoded = Object.fromEntries(out.map((o) => [o.memberId, AssignerProtocol.MemberAssignment.decode(o.memberAssignment)!.assignment]));
    expect(decoded).toEqual({ m1: { x: [0, 1] }, m2: { y: [0, 1] } });
  });
});
