/**
 * A vendor that accepts the connection, reads the request, and then does not answer: never, or only
 * after `answerAfterMs` (later than the client's timeout). What a hung QuickBooks or Xero looks like to
 * the connectors; conformance tests point the real connector at it the way they point it at a replay.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  method: string;
  path: string;
  at: number;
}

export interface UnansweringServer {
  url: string;
  /** Every request received, in order. */
  requests: HeldRequest[];
  /** How many requests gave up waiting (the client closed the connection before any answer). */
  abandoned(): number;
  close(): Promise<void>;
}

export async function startUnansweringServer(
  options: {
    /** Answer after this long (status 200, `answer`'s body) if the client is still there; default never. */
    answerAfterMs?: number;
    answer?: (request: HeldRequest) => unknown;
  } = {},
): Promise<UnansweringServer> {
  const requests: HeldRequest[] = [];
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let abandoned = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const request: HeldRequest = {
      method: incoming.method ?? 'GET',
      path: new URL(incoming.url ?? '/', 'http://vendor').pathname,
      at: Date.now(),
    };
    requests.push(request);
    incoming.resume();
    held.add(outgoing);
    outgoing.on('close', () => {
      held.delete(outgoing);
      if (!outgoing.writableEnded) abandoned += 1;
    });
    if (options.answerAfterMs === undefined) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (outgoing.destroyed) return;
      outgoing
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(options.answer?.(request) ?? {}));
    }, options.answerAfterMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    abandoned: () => abandoned,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
