import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { startPipeline } from '../../services/pipeline/pipeline.js';
import { startSimulator } from '../../services/simulator/simulatorRun.js';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { describeWithService } from '../services/serviceEnv.js';
import { exited, said, sleep, start } from './driftlineProcess.js';
import { testConfig, until } from './pipelineFixture.js';

/** Everything but processed_at, the one column a replay may change. */
const TABLE = `select row_id, stream, key, epoch_ms(window_start), epoch_ms(window_end), pane_timing, pane_index, is_final,
  event_count, model, model_version, model_role, label, value, probabilities::varchar, config_hash from predictions order by row_id`;

async function predictions(path: string): Promise<unknown[][]> {
  const sink = await DuckDbSink.open({ path });
  try {
    return (await sink.query(TABLE)).rows;
  } finally {
    await sink.close();
  }
}

describeWithService('mqtt', 'crash recovery: SIGKILL of the worker and of the ingest mid-run', (mqttService) => {
  it('lands the same predictions, row for row, as an uninterrupted run', async () => {
    const { url } = mqttService();
    const tag = `${process.pid}-${Date.now()}`;

    // No idle timeout: windows then fire only at the final drain, whatever the processing-time
    // pauses of a crash and restart, so both runs emit the same panes and can be compared row for row.
    const settings = { idleTimeout: null };
    // Reference: one uninterrupted in-process run.
    // Topics of this test only: other clients of a shared broker publishing the same dataset to
    // driftline/... would otherwise reach these persistent sessions as extra copies. One root for
    // both runs, since the topics are part of the config hash every row carries.
    const ref = testConfig(url, `driftline-ref-${tag}`, { ...settings, topicRoot: `crash-${tag}` });
    const pipeline = await startPipeline({ config: ref.config, logger: pino({ level: 'warn' }), simulator: ref.config.simulator });
    const published = await pipeline.simulator!.done;
    await until('the reference run to take in the dataset', () => {
      const s = pipeline.status();
      return s.received >= published && s.worker_records === s.ingested;
    });
    await pipeline.drain();
    await pipeline.stop();
    const want = await predictions(join(ref.dir, 'driftline.duckdb'));
    expect(want.length).toBeGreaterThan(100);

    // Crash run: ingest and worker as separate processes sharing the bus file, killed and restarted.
    const crash = testConfig(url, `driftline-crash-${tag}`, { ...settings, topicRoot: `crash-${tag}` });
    const input = crash.input as { sources: { mqtt: Record<string, unknown> } };
    input.sources.mqtt.batch = { max_messages: 100 };
    (crash.input as { log_level: string }).log_level = 'info';
    const file = join(crash.dir, 'driftline.json');
    writeFileSync(file, JSON.stringify(input));
    const config = driftlineConfigSchema.parse(input);
    const log: string[] = [];
    const workerArgs = ['worker', '-c', file, '--drain-when-idle', '15'];
    let ingest = start(['ingest', '-c', file], log);
    let worker = start(workerArgs, log);
    await said(ingest, /ingest subscribed/);
    await said(worker, /worker stats/);
    // ~30 s of publishing: long enough to kill each process mid-stream.
    const sim = await startSimulator(config, { ...config.simulator, speed: (26 * 3600) / 30 }, url, 5);
    try {
      await said(worker, /"records":[1-9]/);
      await sleep(1000);
      worker.child.kill('SIGKILL');
      await exited(worker.child);
      worker = start(workerArgs, log);
      await said(worker, /restored worker checkpoint/);
      await sleep(2000);
      ingest.child.kill('SIGKILL');
      await exited(ingest.child);
      ingest = start(['ingest', '-c', file], log);
      await said(ingest, /ingest subscribed/);
      expect(await sim.done).toBe(published);
    } finally {
      await sim.stop();
    }
    // The worker drains and exits once the bus has been quiet for 15 s.
    const code = await Promise.race([exited(worker.child), sleep(240_000).then(() => 'timeout')]);
    ingest.child.kill('SIGTERM');
    await exited(ingest.child);
    expect(code, log.join('')).toBe(0);
    const got = await predictions(join(crash.dir, 'driftline.duckdb'));
    writeFileSync(join(crash.dir, 'processes.log'), log.join(''));
    expect(got.length, `see ${join(crash.dir, 'processes.log')}`).toBe(want.length);
    expect(got).toEqual(want);
  }, 400_000);
});
