import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { readTopic } from '../../shared/bus/embedded/fixtures/readTopic.js';
import type { BusRecord } from '../../shared/bus/bus.js';
import { parseDeadLetter } from '../../shared/deadLetters/deadLetter.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embeddedBroker.js';
import { plantPayload, vesselPayload } from './testStreams.js';

const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly stderr: () => string;
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
  waitForLog(msg: string, timeoutMs?: number): Promise<void>;
}

// Each spec spawns the CLI (through tsx, loading every command) once or twice: slow on a loaded machine.
const CLI_TEST_TIMEOUT = 240_000;

function spawnIngest(config: string): Child {
  const child = spawn(process.execPath, [bin, 'ingest', '-c', config, '--stats-every', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    process: child,
    stderr: () => err,
    stdout: () => out,
    exited,
    async waitForLog(msg, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      while (!err.split('\n').some((l) => l.includes(`"msg":"${msg}"`))) {
        if (child.exitCode !== null || Date.now() > end) throw new Error(`ingest did not log "${msg}"; stderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}



describe('driftline ingest (CLI, separate process, embedded bus)', { timeout: CLI_TEST_TIMEOUT }, () => {
  let dir: string;
  let broker: EmbeddedBroker | undefined;
  const children: Child[] = [];

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await broker?.close();
    broker = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(url: string): { config: string; busFile: string } {
    dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-cli-'));
    const busFile = join(dir, 'bus.sqlite');
    const config = join(dir, 'driftline.yaml');
    writeFileSync(config, [
      'sources:',
      '  mqtt:',
      `    url: ${url}`,
      '    protocol_version: 4',
      '    client_id: ingest-cli-test',
      '    reconnect_period: 200ms',
      'bus:',
      '  kind: embedded',
      `  path: ${busFile}`,
      'metrics:',
      '  port: 0',
      'log_level: info',
    ].join('\n'));
    return { config, busFile };
  }

  it('SIGKILL mid-stream then restart: every published QoS 1 message ends up on the bus', async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    const { config, busFile } = writeConfig(broker.url);
    let ingest = spawnIngest(config);
    children.push(ingest);
    await ingest.waitForLog('ingest subscribed');

    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: 'ingest-cli-pub' });
    const n = 3000;
    const sent = Array.from({ length: n }, (_, i) =>
      pub.publishAsync(`driftline/vessels/${100 + (i % 7)}/position`, JSON.stringify(vesselPayload(String(100 + (i % 7)), i)), { qos: 1 }));
    const landed = async () => (await readTopic(busFile, 'vessels')).length;
    const end = Date.now() + 90_000;
    while ((await landed()) < n / 5) {
      if (Date.now() > end) throw new Error(`nothing landed; stderr:\n${ingest.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    ingest.process.kill('SIGKILL');
    expect(await ingest.exited).toBeNull();
    await Promise.all(sent); // the broker has all of them; those not acknowledged by the ingest wait in its session
    const beforeRestart = await landed();
    expect(beforeRestart).toBeLessThan(n);

    ingest = spawnIngest(config);
    children.push(ingest);
    await ingest.waitForLog('ingest subscribed');
    const distinct = async () => new Set((await readTopic(busFile, 'vessels')).map((r) => `${r.key}/${JSON.parse(r.value).timestamp}`)).size;
    const end2 = Date.now() + 90_000;
    while ((await distinct()) < n) {
      if (Date.now() > end2) throw new Error(`only ${await distinct()}/${n} distinct events landed; stderr:\n${ingest.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Redelivered duplicates are possible only for messages in flight at the kill (at-least-once).
    expect((await landed()) - n).toBeLessThanOrEqual(1000);

    ingest.process.kill('SIGINT');
    expect(await ingest.exited).toBe(0);
    const summary = JSON.parse(ingest.stdout().trim().split('\n').at(-1)!);
    expect(summary.dead_letters).toBe(0);
    expect(summary.ingested).toBe(summary.acked);
    await pub.endAsync();
  });

  it('SIGKILL while appends are blocked: messages received but not yet durable were never acknowledged', async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    const { config, busFile } = writeConfig(broker.url);
    let ingest = spawnIngest(config);
    children.push(ingest);
    await ingest.waitForLog('ingest subscribed');
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: 'ingest-cli-pub-2' });
    const publish = (from: number, to: number) => Promise.all(Array.from({ length: to - from }, (_, j) =>
      pub.publishAsync('driftline/plants/p7/telemetry', JSON.stringify({ ...plantPayload('p7', 0), timestamp: 1_700_000_000 + (from + j) * 300 }), { qos: 1 })));
    const distinct = async () => new Set((await readTopic(busFile, 'plants')).map((r) => JSON.parse(r.value).timestamp)).size;
    const waitDistinct = async (n: number) => {
      const end = Date.now() + 90_000;
      while ((await distinct()) < n) {
        if (Date.now() > end) throw new Error(`only ${await distinct()}/${n} landed; stderr:\n${ingest.stderr()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await publish(0, 200);
    await waitDistinct(200);

    // Hold the log's write lock: the ingest receives the next messages but cannot make them durable.
    const lock = new Database(busFile);
    lock.prepare('BEGIN IMMEDIATE').run();
    await publish(200, 400);
    await new Promise((r) => setTimeout(r, 1500));
    ingest.process.kill('SIGKILL');
    await ingest.exited;
    lock.prepare('ROLLBACK').run();
    lock.close();
    expect(await distinct()).toBe(200);

    ingest = spawnIngest(config);
    children.push(ingest);
    await waitDistinct(400);
    ingest.process.kill('SIGTERM');
    expect(await ingest.exited).toBe(0);
    await pub.endAsync();
  });

  it('SIGTERM while still connecting: finishes starting, then drains and exits 0 (not killed mid-start)', async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    // A gate in front of the broker: connections wait in it until it opens, so the ingest is held mid-start.
    const held: Socket[] = [];
    const target = new URL(broker.url);
    const gate = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const open = () => {
      for (const socket of held.splice(0)) {
        const upstream = connect(Number(target.port), target.hostname);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      }
    };
    try {
      const { config } = writeConfig(`mqtt://127.0.0.1:${(gate.address() as AddressInfo).port}`);
      const ingest = spawnIngest(config);
      children.push(ingest);
      await ingest.waitForLog('ingest starting');
      const end = Date.now() + 60_000;
      while (held.length === 0) {
        if (Date.now() > end) throw new Error(`the ingest never connected; stderr:\n${ingest.stderr()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      ingest.process.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      expect(ingest.process.exitCode, 'the signal must not kill the ingest before it has started').toBeNull();
      expect(ingest.process.signalCode).toBeNull();
      open();
      expect(await ingest.exited).toBe(0);
      expect(ingest.stderr()).toContain('"msg":"ingest subscribed"');
      expect(ingest.stderr()).toContain('"why":"SIGTERM"');
      expect(JSON.parse(ingest.stdout().trim().split('\n').at(-1)!)).toEqual({ received: 0, ingested: 0, dead_letters: 0, acked: 0 });
    } finally {
      for (const socket of held) socket.destroy();
      gate.close();
    }
  });

  it('writes dead letters to the dead_letters topic of the embedded bus', async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    const { config, busFile } = writeConfig(broker.url);
    const ingest = spawnIngest(config);
    children.push(ingest);
    await ingest.waitForLog('ingest subscribed');
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    await pub.publishAsync('driftline/vessels/1/position', JSON.stringify({ ...vesselPayload('1', 0), lat: 95 }), { qos: 1 });
    await pub.publishAsync('driftline/plants/p1/telemetry', 'not json', { qos: 1 });
    await pub.endAsync();
    const end = Date.now() + 90_000;
    let letters: ReturnType<typeof parseDeadLetter>[] = [];
    while (letters.length < 2 && Date.now() < end) {
      letters = (await readTopic(busFile, 'dead_letters')).map((r) => parseDeadLetter(r.value));
      await new Promise((r) => setTimeout(r, 50));
    }
    // dead_letters is partitioned by topic, so only per-topic order is kept: compare sorted.
    expect(letters.map((d) => [d.topic, d.reason]).sort()).toEqual([
      ['driftline/plants/p1/telemetry', 'bad_json'],
      ['driftline/vessels/1/position', 'impossible_value'],
    ]);
    ingest.process.kill('SIGTERM');
    expect(await ingest.exited).toBe(0);
  });

  it('a bad config exits 1 with the problem, before connecting anywhere', async () => {
    dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-cli-'));
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'sources:\n  mqtt:\n    url: http://nope\n');
    const child = spawnIngest(config);
    children.push(child);
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toContain('bad.yaml:3: sources.mqtt.url: "http://nope" is not an MQTT broker URL');
  });

  it('an unreachable broker exits 1 with a fix', async () => {
    const { config } = writeConfig('mqtt://127.0.0.1:1');
    const child = spawnIngest(config);
    children.push(child);
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/ECONNREFUSED.*fix: start the broker/);
  });
});
