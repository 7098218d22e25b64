import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `driftline <command>` run as its own process (bin/driftline.js), as the crash tests need. */
export const driftlineBin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Service {
  readonly child: ChildProcess;
  /** everything the process wrote, stdout and stderr */
  output: string;
}

/** Starts `driftline ...args`; its output goes to `service.output` and is appended to `log`. */
export function start(args: string[], log: string[]): Service {
  const child = spawn(process.execPath, [driftlineBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const service: Service = { child, output: '' };
  const take = (d: Buffer) => {
    service.output += d.toString();
    log.push(d.toString());
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return service;
}

/** Waits (under load, tsx and model loading take seconds) until the process has said `pattern`. */
export async function said(service: Service, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pattern.test(service.output)) {
    if (service.child.exitCode !== null) throw new Error(`process exited early:\n${service.output}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}:\n${service.output}`);
    await sleep(100);
  }
}

/** The exit code once the process has exited (null when a signal ended it). */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
