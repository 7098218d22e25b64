import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectingHandlers } from '../../../tests/ais/collectingHandlers.js';
import { UdpNmeaSource } from './udpNmeaSource.js';

const TYPE1 = '!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C';
const TYPE5 = [
  '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
  '!AIVDM,2,2,1,A,88888888880,2*25',
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sender(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

const send = (socket: Socket, port: number, text: string) =>
  new Promise<void>((resolve, reject) => socket.send(text, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));

describe('UdpNmeaSource (real sockets on 127.0.0.1)', () => {
  it('decodes datagrams of one or several lines and rejects garbage with a reason', async () => {
    const handlers = new CollectingHandlers();
    const source = new UdpNmeaSource(handlers, { port: 0, host: '127.0.0.1' });
    const { port } = await source.start();
    cleanups.push(() => source.stop());
    const a = await sender();
    await send(a, port, TYPE1);
    await send(a, port, `${TYPE5[0]}\r\n${TYPE5[1]}\r\n`);
    await send(a, port, '\u0000\u0001binary junk');
    await handlers.until((h) => h.messages.length === 2 && h.rejects.length === 1);
    expect(handlers.positions.map((p) => p.key)).toEqual(['366053209']);
    expect(handlers.vessels.map((v) => v.vessel.shipname)).toEqual(['EVER DIADEM']);
    expect(handlers.rejects[0].reason).toMatch(/not an NMEA sentence/);
  });

  it('joins fragments only with fragments from the same sender', async () => {
    const handlers = new CollectingHandlers();
    const source = new UdpNmeaSource(handlers, { port: 0, host: '127.0.0.1' });
    const { port } = await source.start();
    cleanups.push(() => source.stop());
    const a = await sender();
    const b = await sender();
    // both senders use sequential id 1 on channel A at the same time
    await send(a, port, TYPE5[0]);
    await send(b, port, TYPE5[0]);
    await send(b, port, TYPE5[1]);
    await send(a, port, TYPE5[1]);
    await handlers.until((h) => h.messages.length === 2);
    expect(handlers.rejects).toEqual([]);
    expect(new Set(handlers.messages.map((m) => m.nmea.length))).toEqual(new Set([2]));
  });

  it('reports a fragment whose rest never comes once it expires', async () => {
    const handlers = new CollectingHandlers();
    const source = new UdpNmeaSource(handlers, { port: 0, host: '127.0.0.1', maxFragmentAgeMs: 100 });
    const { port } = await source.start();
    cleanups.push(() => source.stop());
    await send(await sender(), port, TYPE5[0]);
    await handlers.until((h) => h.rejects.length === 1, 3000);
    expect(handlers.rejects[0]).toMatchObject({ sentence: TYPE5[0], reason: 'incomplete message expired: 1 of 2 fragments within 100 ms' });
  });
});
