import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MOSQUITTO_CTL_SCRIPT } from './mosquittoContainer.js';

const run = promisify(execFile);

// Only the argument handling runs here: stopping and starting a container needs a Docker engine.
describe('mosquittoCtl.sh (MOSQUITTO_CTL for the mosquitto container)', () => {
  it('refuses to run without the container id the setup exports', async () => {
    const env = { ...process.env, DRIFTLINE_MOSQUITTO_CONTAINER: '' };
    await expect(run(MOSQUITTO_CTL_SCRIPT, ['stop'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('DRIFTLINE_MOSQUITTO_CONTAINER is not set'),
    });
  });

  it('accepts the subcommands the broker-restart tests use, and no others', async () => {
    const env = { ...process.env, DRIFTLINE_MOSQUITTO_CONTAINER: 'abc123' };
    await expect(run(MOSQUITTO_CTL_SCRIPT, ['restart'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage:'),
    });
  });
});
