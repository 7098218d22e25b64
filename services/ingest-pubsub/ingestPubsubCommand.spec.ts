import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PubSub } from '@google-cloud/pubsub';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusRecord } from '../../shared/bus/bus.js';
import { readTopic } from '../../shared/bus/embedded/fixtures/readTopic.js';
import { parseDeadLetter } from '../../shared/deadLetters/deadLetter.js';
import { describeWithService } from '../../tests/services/serviceEnv.js';
import { plantPayload } from '../ingest-mqtt/testStreams.js';

const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));

function spawnCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stdout: () => out, stderr: () => err };
}


describeWithService('pubsub', 'driftline ingest-pubsub (CLI, separate process, embedded bus)', (service) => {
  let dir: string | undefined;
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pulls a subscription onto the bus, dead-letters a forged device, drains on SIGTERM and prints its counts', { timeout: 240_000 }, async () => {
    const { emulatorHost, projectId } = service();
    const admin = new PubSub({ projectId, apiEndpoint: emulatorHost, emulatorMode: true });
    cleanup.push(() => admin.close());
    const id = `cli-devices-${randomUUID()}`;
    const [topic] = await admin.createTopic(id);
    const [sub] = await topic.createSubscription(`${id}-driftline`);
    cleanup.push(() => topic.delete(), () => sub.delete());

    dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-pubsub-cli-'));
    const busFile = join(dir, 'bus.sqlite');
    const config = join(dir, 'driftline.yaml');
    writeFileSync(config, [
      'sources:',
      '  pubsub:',
      `    project_id: ${projectId}`,
      `    emulator_host: ${emulatorHost}`,
      `    subscriptions: [{ subscription: ${id}-driftline, stream: plants }]`,
      'bus: { kind: embedded, path: ' + busFile + ' }',
      'metrics: { port: 0 }',
      'log_level: info',
    ].join('\n'));
    const cli = spawnCli(['ingest-pubsub', '-c', config, '--stats-every', '60']);
    cleanup.push(async () => { if (cli.child.exitCode === null) cli.child.kill('SIGKILL'); });
    const end = Date.now() + 120_000;
    while (!cli.stderr().includes('"msg":"Pub/Sub ingest pulling"')) {
      if (cli.child.exitCode !== null || Date.now() > end) throw new Error(`the ingest did not start; stderr:\n${cli.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 0; i < 5; i++) await topic.publishMessage({ json: plantPayload('hall-1', i), attributes: { deviceId: 'hall-1' } });
    await topic.publishMessage({ json: plantPayload('hall-1', 9), attributes: { deviceId: 'hall-2' } });
    while ((await readTopic(busFile, 'plants')).length < 5 || (await readTopic(busFile, 'dead_letters')).length < 1) {
      if (Date.now() > end) throw new Error(`nothing landed; stderr:\n${cli.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(JSON.parse(cli.stdout().trim().split('\n').at(-1)!)).toEqual({ received: 6, ingested: 5, dead_letters: 1, acked: 6, nacked: 0 });
    expect((await readTopic(busFile, 'plants')).map((r) => r.key)).toEqual(Array(5).fill('hall-1'));
    const [letter] = (await readTopic(busFile, 'dead_letters')).map((r) => parseDeadLetter(r.value));
    expect(letter).toMatchObject({ reason: 'identity_mismatch', source: 'pubsub', stream: 'plants' });
  });
});

describe('driftline ingest-pubsub (config errors)', () => {
  it('exits 1 naming the key when a subscription names no stream, before connecting anywhere', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-pubsub-cli-'));
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'sources:\n  pubsub:\n    subscriptions:\n      - { subscription: plants-in, stream: halls }\n');
    const cli = spawnCli(['ingest-pubsub', '-c', config]);
    expect(await cli.exited).toBe(1);
    rmSync(dir, { recursive: true, force: true });
    expect(cli.stderr()).toContain('bad.yaml:4: sources.pubsub.subscriptions[0].stream: no stream named "halls"');
  });
});
