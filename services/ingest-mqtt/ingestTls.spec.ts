import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest } from './ingestService.js';
import { MemoryProducer } from './memoryProducer.js';
import { testSetup, vesselPayload } from './testStreams.js';

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=driftline test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const name of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${name}.pem`,
      ...(name === 'server' ? ['-extfile', 'server.ext'] : []));
  }
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key'), serverCert: join(dir, 'server.pem'), serverKey: join(dir, 'server.key') };
}

describe('MQTT ingest over TLS with a client certificate and username/password', () => {
  let server: Server;
  let broker: Aedes;
  let url: string;
  let certs: ReturnType<typeof makeCertificates>;

  beforeAll(async () => {
    certs = makeCertificates(mkdtempSync(join(tmpdir(), 'driftline-tls-')));
    broker = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        const ok = username === 'ingest' && password?.toString() === 's3cret';
        done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 }), ok);
      },
    });
    server = createServer({
      key: readFileSync(certs.serverKey),
      cert: readFileSync(certs.serverCert),
      ca: readFileSync(certs.ca),
      requestCert: true,
      rejectUnauthorized: true,
    }, broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `mqtts://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => broker.close(() => r()));
  });

  const tls = () => ({ ca: certs.ca, cert: certs.cert, key: certs.key });

  it('connects with the configured CA, client certificate and credentials, and ingests', async () => {
    const t = testSetup({ url, username: 'ingest', password: 's3cret', tls: tls() });
    const producer = new MemoryProducer();
    const service = await startIngest({ mqtt: t.mqtt, streams: t.streams, producer, protocolVersion: 4 });
    try {
      const pub = await mqtt.connectAsync(url, {
        protocolVersion: 4, username: 'ingest', password: 's3cret',
        ca: readFileSync(certs.ca), cert: readFileSync(certs.cert), key: readFileSync(certs.key),
      });
      await pub.publishAsync(t.vesselTopic('42'), JSON.stringify(vesselPayload('42', 0)), { qos: 1 });
      await pub.endAsync();
      const end = Date.now() + 10_000;
      while (service.stats().acked < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      expect(producer.records('vessels').map((r) => r.key)).toEqual(['42']);
    } finally {
      await service.stop();
    }
  });

  it('a wrong password fails the start with a fix naming the credentials', async () => {
    const t = testSetup({ url, username: 'ingest', password: 'wrong', tls: tls(), reconnect_period: '10s' });
    await expect(startIngest({ mqtt: t.mqtt, streams: t.streams, producer: new MemoryProducer(), protocolVersion: 4 }))
      .rejects.toThrow(/fix: check sources\.mqtt\.username and password/);
  });

  it('without the client certificate the broker refuses the connection', async () => {
    const t = testSetup({ url, username: 'ingest', password: 's3cret', tls: { ca: certs.ca }, reconnect_period: '10s' });
    await expect(startIngest({ mqtt: t.mqtt, streams: t.streams, producer: new MemoryProducer(), protocolVersion: 4 }))
      .rejects.toThrow(/^MQTT mqtts:\/\/127\.0\.0\.1:\d+: /);
  });

  it('an unreadable CA file is reported at its config key', async () => {
    const t = testSetup({ url, tls: { ca: '/nonexistent/ca.pem' } });
    await expect(startIngest({ mqtt: t.mqtt, streams: t.streams, producer: new MemoryProducer(), protocolVersion: 4 }))
      .rejects.toThrow(/^sources\.mqtt\.tls\.ca: cannot read "\/nonexistent\/ca\.pem"/);
  });

  it('an untrusted server certificate is refused when reject_unauthorized is on (the default)', async () => {
    const t = testSetup({ url, username: 'ingest', password: 's3cret', tls: { cert: certs.cert, key: certs.key }, reconnect_period: '10s' });
    await expect(startIngest({ mqtt: t.mqtt, streams: t.streams, producer: new MemoryProducer(), protocolVersion: 4 }))
      .rejects.toThrow(/certificate/i);
  });
});
