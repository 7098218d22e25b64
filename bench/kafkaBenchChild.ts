/**
 * Sides of bench:kafka in a process of their own, driven over the IPC channel: `open` (connect, join),
 * `run` (send everything / wait for everything), `close`, one side at a time. The process is kept over
 * the warm-up and every round, so its code is compiled by the JIT like the in-process sides'.
 * `SideProcess` is the bench's end of it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openSide, type Mark, type RunSpec, type Side, type SideName } from './kafkaBenchSides.js';

type Request = { cmd: 'open'; side: SideName; spec: RunSpec } | { cmd: 'run' } | { cmd: 'close' };
type Reply = { ok: true; mark?: Mark } | { ok: false; error: string };

export class SideProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<never>;

  constructor(readonly label: string) {
    this.child = fork(fileURLToPath(import.meta.url), ['side'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.exited = new Promise<never>((_, reject) => {
      this.child.once('exit', (code, signal) => reject(new Error(`bench:kafka: the ${label} process exited (${signal ?? code})`)));
    });
    this.exited.catch(() => {});
  }

  /** Sets `name` up in the child; the returned side runs and closes there. */
  async open(name: SideName, spec: RunSpec): Promise<Side> {
    await this.ask({ cmd: 'open', side: name, spec });
    return {
      run: async () => (await this.ask({ cmd: 'run' }))!,
      close: async () => { await this.ask({ cmd: 'close' }); },
    };
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill(), 10_000);
    await gone;
    clearTimeout(timer);
  }

  private ask(req: Request): Promise<Mark | undefined> {
    return Promise.race([this.exited, new Promise<Mark | undefined>((resolve, reject) => {
      this.child.once('message', (reply: Reply) => (reply.ok ? resolve(reply.mark) : reject(new Error(`bench:kafka ${this.label}: ${reply.error}`))));
      this.child.send(req);
    })]);
  }
}

if (process.argv[2] === 'side' && process.send) {
  let side: Side | undefined;
  const reply = (r: Reply) => process.send!(r);
  // The bench disconnecting is the signal to leave.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (req: Request) => {
    void (async () => {
      try {
        if (req.cmd === 'open') {
          side = await openSide(req.side, req.spec);
          reply({ ok: true });
        } else if (req.cmd === 'run') {
          reply({ ok: true, mark: await side!.run() });
        } else {
          await side?.close();
          side = undefined;
          reply({ ok: true });
        }
      } catch (err) {
        reply({ ok: false, error: (err as Error).stack ?? String(err) });
      }
    })();
  });
}
