import { describe, expect, it } from 'vitest';
import type { DeadLetterRow } from '../../schemas/tables/deadLetters.js';
import type { PredictionRow } from '../../schemas/tables/predictions.js';
import { LandingQueue, type Landing } from './landingQueue.js';
import type { ProcessorOutput } from './streamProcessor.js';

const prediction = (id: string) => ({ row_id: id }) as PredictionRow;
const deadLetter = (id: string) => ({ id }) as DeadLetterRow;
const output = (ids: string[], dead: string[] = []): ProcessorOutput => ({ predictions: ids.map(prediction), lateEvents: [], deadLetters: dead.map(deadLetter) });
const ids = (l: Landing) => [...l.output.predictions.map((p) => p.row_id), ...l.output.deadLetters.map((d) => d.id)];

/** A warehouse whose writes finish when the test says so. */
class ManualLander {
  readonly landings: Landing[] = [];
  private finish: ((err?: Error) => void)[] = [];

  readonly land = (l: Landing): Promise<void> => {
    this.landings.push(l);
    return new Promise((resolve, reject) => this.finish.push((err) => (err ? reject(err) : resolve())));
  };

  get inFlight(): number {
    return this.finish.length;
  }

  async complete(err?: Error): Promise<void> {
    const f = this.finish.shift();
    if (!f) throw new Error('no landing in flight');
    f(err);
    await new Promise((r) => setImmediate(r));
  }
}

describe('LandingQueue', () => {
  it('lands one batch at a time, and what is added meanwhile lands together next, in order', async () => {
    const w = new ManualLander();
    const q = new LandingQueue(w.land);
    q.add(output(['a']), 1, 10);
    q.add(output(['b']), 2, 20);
    q.add(output([], ['x']), 3, 30);
    q.add(output(['c']), 4, 40);
    expect(w.inFlight).toBe(1);
    expect(q.queuedRows).toBe(3);
    expect(q.recordsLanded).toBe(0);
    await w.complete();
    expect(q.recordsLanded).toBe(10);
    expect(w.landings.map(ids)).toEqual([['a'], ['b', 'c', 'x']]);
    expect(w.landings[1]!.parts).toEqual([{ firedAt: 2, rows: 1 }, { firedAt: 4, rows: 1 }]);
    expect(w.landings[1]!.records).toBe(40);
    await w.complete();
    expect(q.recordsLanded).toBe(40);
    expect(w.inFlight).toBe(0);
  });

  it('counts records without output as landed only once everything before them landed', async () => {
    const w = new ManualLander();
    const q = new LandingQueue(w.land);
    q.add(output([]), 1, 5);
    expect(q.recordsLanded).toBe(5);
    expect(w.landings).toHaveLength(0);
    q.add(output(['a']), 2, 10);
    q.add(output([]), 3, 15);
    expect(q.recordsLanded).toBe(5);
    await w.complete();
    expect(q.recordsLanded).toBe(10);
    // the empty turn rode along as a landing with no rows, after 'a'
    await w.complete();
    expect(q.recordsLanded).toBe(15);
    expect(w.landings.map(ids)).toEqual([['a'], []]);
  });

  it('settle resolves once everything added so far is durable', async () => {
    const w = new ManualLander();
    const q = new LandingQueue(w.land);
    q.add(output(['a']), 1, 1);
    q.add(output(['b']), 2, 2);
    let settled = false;
    const s = q.settle().then(() => { settled = true; });
    await w.complete();
    expect(settled).toBe(false);
    await w.complete();
    await s;
    expect(settled).toBe(true);
    expect(q.recordsLanded).toBe(2);
  });

  it('keeps a failed landing queued ahead of later output, lands nothing until settle retries it, and settle reports the failure', async () => {
    const w = new ManualLander();
    const q = new LandingQueue(w.land);
    q.add(output(['a']), 1, 1);
    await w.complete(new Error('disk full'));
    expect(q.failing).toBe(true);
    q.add(output(['b']), 2, 2);
    expect(w.inFlight).toBe(0); // not retried by add: the loop decides when
    const first = expect(q.settle()).rejects.toThrow('still full');
    expect(w.landings.map(ids)).toEqual([['a'], ['a', 'b']]);
    await w.complete(new Error('still full'));
    await first;
    expect(q.recordsLanded).toBe(0);
    const second = q.settle();
    await w.complete();
    await second;
    expect(q.failing).toBe(false);
    expect(q.recordsLanded).toBe(2);
    expect(w.landings.map(ids)).toEqual([['a'], ['a', 'b'], ['a', 'b']]);
    expect(w.landings[2]!.parts).toEqual([{ firedAt: 1, rows: 1 }, { firedAt: 2, rows: 1 }]);
  });
});
