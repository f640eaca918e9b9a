import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { deferredChildLogger } from '../../../src/web/deferred-logger.js';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const { time: _time, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(line);
        // The error's stack differs by the frames that wrote it.
        if (rest.err) delete rest.err.stack;
        lines.push(rest);
      }
      done();
    },
  });
  return { logger: createLogger(level, stream) as FastifyBaseLogger, lines };
}

function writeSome(log: FastifyBaseLogger) {
  log.info({ vendor: 'xero' }, 'incoming request');
  log.debug('webhook received');
  log.warn({ vendor: 'xero', token: 'secret-token' }, 'webhook with a bad signature refused');
  log.error({ err: new Error('database unavailable') }, 'request failed');
  log.child({ component: 'inner' }).warn('from a child');
}

describe('a request logger made only when it writes', () => {
  it('writes the lines pino’s child logger writes, at the route’s level, redacted the same way', () => {
    const deferred = capture();
    writeSome(deferredChildLogger(deferred.logger, { reqId: 'r-1' }, { level: 'warn' }));
    const eager = capture();
    writeSome(eager.logger.child({ reqId: 'r-1' }, { level: 'warn' }));

    expect(deferred.lines).toEqual(eager.lines);
    expect(deferred.lines.map((line) => [line['level'], line['msg'], line['reqId']])).toEqual([
      [40, 'webhook with a bad signature refused', 'r-1'],
      [50, 'request failed', 'r-1'],
      [40, 'from a child', 'r-1'],
    ]);
    expect(JSON.stringify(deferred.lines)).not.toContain('secret-token');
  });

  it('without a level of its own, follows its parent’s', () => {
    const deferred = capture('debug');
    const log = deferredChildLogger(deferred.logger, { reqId: 'r-2' }, {});
    expect(log.level).toBe('debug');
    writeSome(log);
    expect(deferred.lines.map((line) => line['msg'])).toEqual([
      'incoming request',
      'webhook received',
      'webhook with a bad signature refused',
      'request failed',
      'from a child',
    ]);
  });
});
