import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import { mosquittoCtl } from './mosquittoControl.js';
import { describeWithService } from './serviceEnv.js';

/** Connects with the `message` handler attached first: a persistent session's queue arrives right after CONNACK. */
function connect(url: string, opts: IClientOptions, onMessage: (topic: string, payload: Buffer) => void = () => {}) {
  const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 10_000, ...opts });
  client.on('message', onMessage);
  return new Promise<{ client: MqttClient; sessionPresent: boolean }>((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, sessionPresent: connack.sessionPresent }));
    client.once('error', reject);
  });
}

function waitFor(cond: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out: ${what()}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describeWithService('mqtt', 'real mosquitto (MQTT_URL)', (service) => {
  const open: MqttClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.endAsync(true)));
  });

  it('round-trips QoS 1 messages in order', async () => {
    const { url } = service();
    const topic = `driftline/smoke/${randomUUID()}`;
    const received: number[] = [];
    const sub = await connect(url, { clientId: `smoke-sub-${randomUUID()}` }, (_t, payload) => {
      received.push(JSON.parse(payload.toString()).seq);
    });
    open.push(sub.client);
    await sub.client.subscribeAsync(topic, { qos: 1 });
    const pub = await connect(url, { clientId: `smoke-pub-${randomUUID()}` });
    open.push(pub.client);
    const n = 200;
    await Promise.all(Array.from({ length: n }, (_, seq) => pub.client.publishAsync(topic, JSON.stringify({ seq }), { qos: 1 })));
    await waitFor(() => received.length >= n, 15_000, () => `${received.length}/${n} messages`);
    expect(received).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  // Proves the broker settings the no-loss tests rely on: persistence across a clean stop/start, and no
  // per-client queue cap (mosquitto's default max_queued_messages 1000 would silently drop the rest).
  it('keeps an offline MQTT 5 persistent session queue of 2500 QoS 1 messages across a broker restart', async () => {
    const { url, ctl } = service();
    if (!ctl) throw new Error('MOSQUITTO_CTL not set: the broker-restart test needs infra/local/mosquitto.sh (source infra/local/up.sh)');
    const topic = `driftline/smoke/${randomUUID()}`;
    const clientId = `smoke-persistent-${randomUUID()}`;
    const session: IClientOptions = { clientId, clean: false, properties: { sessionExpiryInterval: 600 } };

    const first = await connect(url, session);
    await first.client.subscribeAsync(topic, { qos: 1 });
    await first.client.endAsync();

    const n = 2500;
    const pub = await connect(url, { clientId: `smoke-pub-${randomUUID()}` });
    await Promise.all(Array.from({ length: n }, (_, seq) => pub.client.publishAsync(topic, JSON.stringify({ seq }), { qos: 1 })));
    await pub.client.endAsync();

    await mosquittoCtl(ctl, 'stop');
    await mosquittoCtl(ctl, 'start');

    const seen = new Set<number>();
    const again = await connect(url, session, (_t, payload) => {
      seen.add(JSON.parse(payload.toString()).seq);
    });
    open.push(again.client);
    expect(again.sessionPresent).toBe(true);
    await waitFor(() => seen.size >= n, 30_000, () => `${seen.size}/${n} queued messages after restart`);
    expect(seen.size).toBe(n);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(n - 1);
    // Clean up the session so it does not linger in the broker's persistence file.
    await again.client.endAsync();
    open.pop();
    const cleanup = await connect(url, { clientId, clean: true, properties: { sessionExpiryInterval: 0 } });
    await cleanup.client.endAsync();
  });
});
