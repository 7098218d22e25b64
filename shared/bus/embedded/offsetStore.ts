import type Database from 'better-sqlite3';

/**
 * Committed consumer-group offsets, in the same file as the log: a commit is one small write
 * transaction, and the offset stored is the next offset the group should read (Kafka semantics).
 */
export class OffsetStore {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      get: db.prepare<[string, number], { next_offset: number }>('SELECT next_offset FROM group_offsets WHERE grp = ? AND pid = ?'),
      put: db.prepare(
        'INSERT INTO group_offsets (grp, pid, next_offset, committed_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (grp, pid) DO UPDATE SET next_offset = excluded.next_offset, committed_at = excluded.committed_at'),
      deleteGroup: db.prepare('DELETE FROM group_offsets WHERE grp = ?'),
      // per partition, the lowest offset some subscribed group still needs; a group that never
      // committed needs everything (0), so nothing it has not seen is ever deleted
      safeToDelete: db.prepare<[], { pid: number; safe: number }>(`
        SELECT p.id AS pid, MIN(COALESCE(o.next_offset, 0)) AS safe
        FROM partitions p
        JOIN group_members g ON g.topic = p.topic
        LEFT JOIN group_offsets o ON o.grp = g.grp AND o.pid = p.id
        GROUP BY p.id`),
    };
  }

  committed(group: string, pid: number): number | undefined {
    return this.statements.get.get(group, pid)?.next_offset;
  }

  /** Call inside the caller's write transaction (it checks group ownership in the same one). */
  put(group: string, pid: number, offset: number, now = Date.now()): void {
    this.statements.put.run(group, pid, offset, now);
  }

  deleteGroup(group: string): number {
    return this.statements.deleteGroup.run(group).changes;
  }

  /** Per partition of every subscribed topic: records below this offset every group has committed. */
  safeToDelete(): { pid: number; safe: number }[] {
    return this.statements.safeToDelete.all();
  }
}
