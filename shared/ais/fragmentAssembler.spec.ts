import { describe, expect, it } from 'vitest';
import { FragmentAssembler, type FragmentDrop } from './fragmentAssembler.js';
import { parseNmeaLine, type VdmSentence } from './nmeaSentence.js';

function sentence(count: number, n: number, seq: string, channel: string, payload: string, fill = 0): VdmSentence {
  const body = `AIVDM,${count},${n},${seq},${channel},${payload},${fill}`;
  let x = 0;
  for (const c of body) x ^= c.charCodeAt(0);
  return parseNmeaLine(`!${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`) as VdmSentence;
}

function assembler(maxAgeMs = 1000, maxPending = 4) {
  const drops: FragmentDrop[] = [];
  return { a: new FragmentAssembler({ maxAgeMs, maxPending, onDrop: (d) => drops.push(d) }), drops };
}

describe('FragmentAssembler', () => {
  it('passes single-sentence messages straight through', () => {
    const { a, drops } = assembler();
    const m = a.push(sentence(1, 1, '', 'A', '15M67FC000G?ufbE`FepT@3n00Sa'), 'feed', 5, 3);
    expect(m).toMatchObject({ payload: '15M67FC000G?ufbE`FepT@3n00Sa', fillBits: 0, channel: 'A', arrivedAt: 5 });
    expect(m!.fragments.map((f) => f.line)).toEqual([3]);
    expect(drops).toEqual([]);
  });

  it('joins interleaved messages by sequential id and channel; fill bits come from the last fragment', () => {
    const { a, drops } = assembler();
    expect(a.push(sentence(3, 1, '1', 'A', 'AAA'), 'feed', 0)).toBeNull();
    expect(a.push(sentence(2, 1, '2', 'A', 'BBB'), 'feed', 1)).toBeNull();
    expect(a.push(sentence(2, 1, '1', 'B', 'CCC'), 'feed', 2)).toBeNull();
    expect(a.push(sentence(3, 2, '1', 'A', 'aaa'), 'feed', 3)).toBeNull();
    expect(a.push(sentence(2, 2, '2', 'A', 'bbb', 2), 'feed', 4)).toMatchObject({ payload: 'BBBbbb', fillBits: 2, arrivedAt: 1 });
    expect(a.push(sentence(2, 2, '1', 'B', 'ccc', 4), 'feed', 5)).toMatchObject({ payload: 'CCCccc', fillBits: 4, channel: 'B' });
    expect(a.push(sentence(3, 3, '1', 'A', '000', 1), 'feed', 6)).toMatchObject({ payload: 'AAAaaa000', fillBits: 1 });
    expect(drops).toEqual([]);
    expect(a.pendingCount).toBe(0);
  });

  it('keeps the same sequential id on two feeds apart', () => {
    const { a } = assembler();
    a.push(sentence(2, 1, '5', 'A', 'HH'), 'feed1', 0);
    a.push(sentence(2, 1, '5', 'A', 'PP'), 'feed2', 0);
    expect(a.push(sentence(2, 2, '5', 'A', 'pp'), 'feed2', 0)?.payload).toBe('PPpp');
    expect(a.push(sentence(2, 2, '5', 'A', 'hh'), 'feed1', 0)?.payload).toBe('HHhh');
  });

  it('drops, with reasons: a later fragment without its first, out of order, superseded, expired, evicted, and at flush', () => {
    const { a, drops } = assembler(1000, 2);
    a.push(sentence(2, 2, '1', 'A', 'ww'), 'f', 0);
    a.push(sentence(3, 1, '2', 'A', 'aa'), 'f', 0);
    a.push(sentence(3, 3, '2', 'A', 'cc'), 'f', 0);
    a.push(sentence(2, 1, '3', 'A', 'dd'), 'f', 0);
    a.push(sentence(2, 1, '3', 'A', 'ee'), 'f', 10);
    a.push(sentence(2, 1, '4', 'A', 'ff'), 'f', 20);
    a.push(sentence(2, 1, '5', 'A', 'gg'), 'f', 30); // over maxPending 2: the oldest (3/ee) goes
    a.expire(1025); // 4/ff arrived at 20: older than 1000 ms at 1025
    a.flush();
    expect(drops.map((d) => [d.reason, d.fragments.map((f) => f.sentence.payload)])).toEqual([
      ['fragment 2 of 2 (sequential id "1", channel "A") arrived without fragment 1', ['ww']],
      ['fragment 3 of 3 (sequential id "2", channel "A") arrived when fragment 2 was expected', ['aa', 'cc']],
      ['incomplete message superseded: a new fragment 1 with sequential id "3", channel "A" arrived before fragment 2 of 2', ['dd']],
      ['incomplete message evicted: more than 2 messages waiting for fragments', ['ee']],
      ['incomplete message expired: 1 of 2 fragments within 1000 ms', ['ff']],
      ['incomplete message at end of input: 1 of 2 fragments', ['gg']],
    ]);
    expect(a.pendingCount).toBe(0);
  });

  it('expires a stale first fragment when its late second fragment finally arrives', () => {
    const { a, drops } = assembler(1000);
    a.push(sentence(2, 1, '1', 'A', 'aa'), 'f', 0);
    expect(a.push(sentence(2, 2, '1', 'A', 'bb'), 'f', 400)).not.toBeNull();
    a.push(sentence(2, 1, '1', 'A', 'aa'), 'f', 2000);
    expect(a.push(sentence(2, 2, '1', 'A', 'bb'), 'f', 3500)).toBeNull();
    expect(drops.map((d) => d.reason)).toEqual([
      'incomplete message expired: 1 of 2 fragments within 1000 ms',
      'fragment 2 of 2 (sequential id "1", channel "A") arrived without fragment 1',
    ]);
  });
});
