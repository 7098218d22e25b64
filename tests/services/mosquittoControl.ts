import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Stops or starts the local mosquitto through `infra/local/mosquitto.sh` (the path up.sh exports as
 * MOSQUITTO_CTL). `stop` sends SIGTERM and waits for exit, so the broker writes its persistence file first;
 * `start` returns once the port answers.
 */
export async function mosquittoCtl(ctl: string, action: 'stop' | 'start'): Promise<void> {
  try {
    await run(ctl, [action], { timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${ctl} ${action} failed: ${e.stderr?.trim() || e.message}`);
  }
}
