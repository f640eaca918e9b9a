import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logDestination } from '../../src/logger.js';

/** A stream standing in for stdout, a terminal or not. */
function output(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  stream.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  return { stream, written: () => written };
}

describe('where log lines go', () => {
  it('writes readable lines on a terminal in development, still redacted', () => {
    const terminal = output(true);
    const destination = logDestination({ environment: 'development', output: terminal.stream });
    expect(destination).toBeDefined();
    const logger = createLogger('info', destination);
    logger.info({ accessToken: 'secret-access-token-value' }, 'connected the books');
    const text = terminal.written();
    expect(text).toContain('connected the books');
    expect(text.trimStart().startsWith('{')).toBe(false);
    expect(text).not.toContain('secret-access-token-value');
  });

  it('keeps JSON lines in production, and when the output is not a terminal', () => {
    expect(logDestination({ environment: 'production', output: output(true).stream })).toBeUndefined();
    expect(logDestination({ environment: 'development', output: output(false).stream })).toBeUndefined();
  });
});
