import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectingHandlers } from '../../../tests/ais/collectingHandlers.js';
import { TcpNmeaSource, type TcpSourceStatus } from './tcpNmeaSource.js';

const TYPE1 = '!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C';
const TYPE5 = [
  '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
  '!AIVDM,2,2,1,A,88888888880,2*25',
];

function listen(port = 0): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  // net.Server has no closeAllConnections: destroy the accepted sockets on close
  (server as Server & { closeAllConnections?: () => void }).closeAllConnections = () => sockets.forEach((s) => s.destroy());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('TcpNmeaSource (real sockets on 127.0.0.1)', () => {
  it('decodes lines split across TCP chunks, reassembles fragments and rejects bad lines without stopping', async () => {
    const { server, port, sockets } = await listen();
    const handlers = new CollectingHandlers();
    const source = new TcpNmeaSource(handlers, { host: '127.0.0.1', port });
    cleanups.push(() => close(server), () => source.stop());
    source.start();
    await new Promise<void>((resolve) => server.once('connection', () => resolve()));
    const feed = `${TYPE1}\r\n${TYPE5[0]}\r\nnot nmea at all\r\n${TYPE5[1]}\r\n!AIVDM,1,1,,B,15M67FC000G?ufbE\`FepT@3n00Sa,0*5D\r\n`;
    // split mid-sentence to exercise carrying partial lines
    sockets[0].write(feed.slice(0, 20));
    await new Promise((r) => setTimeout(r, 20));
    sockets[0].write(feed.slice(20, 101));
    sockets[0].write(feed.slice(101));
    await handlers.until((h) => h.messages.length === 2 && h.rejects.length === 2);
    expect(handlers.positions).toHaveLength(1);
    expect(handlers.positions[0].key).toBe('366053209');
    expect(handlers.positions[0].position).toMatchObject({ mmsi: '366053209', lat: 37.802118, lon: -122.341618, speed: 0, course: 219.3, heading: 1 });
    expect(handlers.vessels).toHaveLength(1);
    expect(handlers.vessels[0].vessel).toMatchObject({ mmsi: '351759000', shipname: 'EVER DIADEM', length: 295, beam: 32 });
    expect(handlers.rejects.map((r) => r.reason)).toEqual([
      'not an NMEA sentence: expected "!" or "$" at column 1',
      'checksum mismatch: computed 5C, sentence says 5D',
    ]);
    expect(handlers.rejects.every((r) => r.source === `tcp:127.0.0.1:${port}`)).toBe(true);
  });

  it('reconnects with exponential backoff until the feed is up, and again after it drops', async () => {
    // a port with nothing listening: take a free one and release it
    const probe = await listen();
    await close(probe.server);
    const statuses: TcpSourceStatus[] = [];
    const handlers = new CollectingHandlers();
    const source = new TcpNmeaSource(handlers, {
      host: '127.0.0.1',
      port: probe.port,
      backoff: { initialMs: 20, factor: 2, maxMs: 1000, jitter: 0 },
      onStatus: (s) => statuses.push(s),
    });
    cleanups.push(() => source.stop());
    source.start();
    await new Promise((r) => setTimeout(r, 200));
    const refused = statuses.filter((s) => s.state === 'disconnected') as Extract<TcpSourceStatus, { state: 'disconnected' }>[];
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0].error).toMatch(/ECONNREFUSED/);
    expect(refused.slice(0, 3).map((s) => s.retryInMs)).toEqual([20, 40, 80].slice(0, Math.min(3, refused.length)));

    const { server, sockets } = await listen(probe.port);
    cleanups.push(() => close(server));
    await new Promise<void>((resolve) => server.once('connection', () => resolve()));
    sockets[0].write(`${TYPE1}\n`);
    await handlers.until((h) => h.positions.length === 1);

    // the feed drops: the source reconnects (backoff reset after the successful connection)
    const before = statuses.length;
    sockets[0].destroy();
    await new Promise<void>((resolve) => server.once('connection', () => resolve()));
    await until(() => statuses.slice(before).some((s) => s.state === 'connected'));
    const afterDrop = statuses.slice(before);
    expect(afterDrop[0]).toMatchObject({ state: 'disconnected', retryInMs: 20 });
    expect(afterDrop.some((s) => s.state === 'connected')).toBe(true);
    sockets[1].write(`${TYPE1}\n`);
    await handlers.until((h) => h.positions.length === 2);
  });

  it('reports a line cut off by the connection closing', async () => {
    const { server, port, sockets } = await listen();
    const handlers = new CollectingHandlers();
    const source = new TcpNmeaSource(handlers, { host: '127.0.0.1', port, backoff: { initialMs: 5000 } });
    cleanups.push(() => close(server), () => source.stop());
    source.start();
    await new Promise<void>((resolve) => server.once('connection', () => resolve()));
    sockets[0].end(TYPE1.slice(0, 30));
    await handlers.until((h) => h.rejects.length === 1);
    expect(handlers.rejects[0]).toMatchObject({ sentence: TYPE1.slice(0, 30), reason: 'connection closed in the middle of this line' });
  });
});
