import type Database from 'better-sqlite3';

/**
 * Consumer-group ownership on the embedded bus. The embedded bus is the one-machine bus: each
 * (group, topic) has at most one live consumer, which owns all of the topic's partitions. Scaling a
 * group out across consumers is what the Kafka bus is for.
 *
 * Ownership is a row naming the owner's process id and a random member id, plus a generation
 * number that increases at every takeover. A new consumer takes over when the owner's process is
 * gone (found with `kill(pid, 0)`: on one machine that is exact, so a consumer restarted after
 * `kill -9` takes over at once instead of waiting out a session timeout). A commit checks the
 * generation in its own transaction, so a consumer that lost ownership can never overwrite the
 * offsets of its successor (Kafka's fencing by generation id).
 */
export class GroupBusyError extends Error {
  constructor(group: string, topic: string, ownerPid: number) {
    super(
      `consumer group '${group}' already has a live consumer of topic '${topic}' (process ${ownerPid}); ` +
      'the embedded bus allows one consumer per group and topic: stop that process, or use another group name');
    this.name = 'GroupBusyError';
  }
}

export class FencedError extends Error {
  constructor(group: string, topic: string) {
    super(
      `consumer of group '${group}' no longer owns topic '${topic}': another consumer took the group over, so this ` +
      'commit was refused (its records will be reprocessed by the new owner); close this consumer');
    this.name = 'FencedError';
  }
}

/** Member ids of consumers open in this process, to tell a live owner from a stale row with our own pid. */
const liveMembers = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface MemberRow {
  generation: number;
  owner_pid: number | null;
  owner_id: string | null;
}

export class GroupMembership {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      get: db.prepare<[string, string], MemberRow>('SELECT generation, owner_pid, owner_id FROM group_members WHERE grp = ? AND topic = ?'),
      put: db.prepare(
        'INSERT INTO group_members (grp, topic, generation, owner_pid, owner_id, joined_at) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (grp, topic) DO UPDATE SET generation = excluded.generation, owner_pid = excluded.owner_pid, ' +
        'owner_id = excluded.owner_id, joined_at = excluded.joined_at'),
      release: db.prepare('UPDATE group_members SET owner_pid = NULL, owner_id = NULL WHERE grp = ? AND topic = ? AND owner_id = ?'),
      deleteGroup: db.prepare('DELETE FROM group_members WHERE grp = ?'),
      groups: db.prepare<[], { grp: string; topic: string }>('SELECT grp, topic FROM group_members ORDER BY grp, topic'),
    };
  }

  /** Takes ownership of each topic for the group; returns the generation per topic. All or nothing. */
  join(group: string, topics: readonly string[], memberId: string): Map<string, number> {
    const generations = new Map<string, number>();
    this.db.transaction(() => {
      for (const topic of topics) {
        const row = this.statements.get.get(group, topic);
        if (row?.owner_id && row.owner_pid !== null && row.owner_id !== memberId && this.ownerAlive(row.owner_pid, row.owner_id)) {
          throw new GroupBusyError(group, topic, row.owner_pid);
        }
        const generation = (row?.generation ?? 0) + 1;
        this.statements.put.run(group, topic, generation, process.pid, memberId, Date.now());
        generations.set(topic, generation);
      }
    }).immediate();
    liveMembers.add(memberId);
    return generations;
  }

  private ownerAlive(pid: number, ownerId: string): boolean {
    if (pid === process.pid) return liveMembers.has(ownerId);
    return processAlive(pid);
  }

  /** Throws FencedError unless the member still owns the topic at this generation. Call inside a write transaction. */
  assertOwner(group: string, topic: string, memberId: string, generation: number): void {
    const row = this.statements.get.get(group, topic);
    if (!row || row.owner_id !== memberId || row.generation !== generation) throw new FencedError(group, topic);
  }

  leave(group: string, topics: readonly string[], memberId: string): void {
    liveMembers.delete(memberId);
    this.db.transaction(() => {
      for (const topic of topics) this.statements.release.run(group, topic, memberId);
    }).immediate();
  }

  /** Forgets a group: its offsets stop holding back retention. */
  deleteGroup(group: string): void {
    this.db.transaction(() => {
      this.statements.deleteGroup.run(group);
    }).immediate();
  }

  subscriptions(): { group: string; topic: string }[] {
    return this.statements.groups.all().map((r) => ({ group: r.grp, topic: r.topic }));
  }
}
