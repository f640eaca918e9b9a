import type { FastifyInstance } from 'fastify';
import { HeldAnswers } from './held-answers.js';

/** Listening and stopping, as every emulator offers them. */
export interface EmulatorLifecycle {
  /** The base URL (`http://127.0.0.1:port`) once listening; empty before. */
  readonly url: string;
  /** Listens on 127.0.0.1; port 0, the default, takes any free port. */
  listen(port?: number): Promise<void>;
  /** Waits for webhook deliveries under way, drops the answers held back, then stops the server. */
  close(): Promise<void>;
}

interface Served {
  app: FastifyInstance;
  /** Runs before the first request can arrive (making the signing key, so no token call waits for it). */
  warmUp(): Promise<unknown>;
  /** What closing waits for first (webhook deliveries under way). */
  settle(): Promise<unknown>;
}

/**
 * The part of an emulator that is the same for every vendor: its address, the answers its hang fault
 * holds back, listening and stopping. The vendor's app is built after the host, with closures that
 * read `url` when a request comes, and handed over with `serve`.
 */
export class EmulatorHost implements EmulatorLifecycle {
  url = '';
  /** Answers the hang fault is holding back. */
  readonly held = new HeldAnswers();
  private served: Served | undefined;

  serve(served: Served): void {
    this.served = served;
  }

  async listen(port = 0): Promise<void> {
    const served = this.servedApp();
    await served.warmUp();
    this.url = await served.app.listen({ port, host: '127.0.0.1' });
  }

  async close(): Promise<void> {
    const served = this.servedApp();
    await served.settle();
    this.held.dropAll();
    await served.app.close();
  }

  private servedApp(): Served {
    if (!this.served) throw new Error('The emulator has no app to serve yet');
    return this.served;
  }
}
