// Real worker processes (`src/main.ts --role worker`) for test/reliability/crash.ts, started and
// SIGKILLed at will. Every one gets the same settings (heartbeat, keys, emulator), as a fleet would.
import { freePort } from '../../src/free-port.js';
import { type RunningProcess, runTypeScript } from '../helpers/processes.js';

export interface CrashWorker {
  name: string;
  process: RunningProcess;
  startedAt: number;
}

export class CrashWorkers {
  readonly live: CrashWorker[] = [];
  private readonly all: CrashWorker[] = [];
  private started = 0;

  constructor(
    private readonly label: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    process.once('exit', () => {
      for (const worker of this.all)
        if (worker.process.child.exitCode === null) worker.process.child.kill('SIGKILL');
    });
  }

  /** Spawns one worker; resolves at once (it takes a few seconds to start taking jobs). */
  async spawn(): Promise<CrashWorker> {
    this.started += 1;
    const name = `${this.label}-w${this.started}`;
    const port = await freePort();
    const worker: CrashWorker = {
      name,
      startedAt: Date.now(),
      process: runTypeScript('src/main.ts', ['--role', 'worker'], {
        ...this.env,
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      }),
    };
    this.live.push(worker);
    this.all.push(worker);
    return worker;
  }

  /** Resolves once the worker logged that it started (its queues are set up and it takes jobs). */
  ready(worker: CrashWorker, timeoutMs = 60_000): Promise<void> {
    return worker.process.waitForOutput('dunwell started', timeoutMs);
  }

  /** SIGKILLs a live worker and waits until it is gone. */
  async kill(worker: CrashWorker): Promise<void> {
    this.live.splice(this.live.indexOf(worker), 1);
    worker.process.child.kill('SIGKILL');
    await worker.process.exited;
  }

  /** SIGTERMs every live worker (a graceful stop) and returns their exit codes. */
  async stopAll(): Promise<Array<number | null>> {
    const stopping = this.live.splice(0);
    for (const worker of stopping) worker.process.child.kill('SIGTERM');
    return (await Promise.all(stopping.map((worker) => worker.process.exited))).map((exit) => exit.code);
  }

  /** Lines from any worker's output that look like errors or crash recovery (for the report). */
  grep(pattern: RegExp): string[] {
    return this.all.flatMap((worker) =>
      worker.process
        .output()
        .split('\n')
        .filter((line) => pattern.test(line))
        .map((line) => `${worker.name}: ${line.slice(0, 400)}`),
    );
  }
}
