import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/web/app.js';
import { AppError } from '../../src/web/errors.js';

describe('HTTP error shape', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildApp({ logger: createLogger('silent'), readinessChecks: [], bodyLimit: 1024 });
    app.get('/conflict', async () => {
      throw new AppError(409, 'already_connected', 'This company is already connected.', { vendor: 'xero' });
    });
    app.get('/crash', async () => {
      throw new Error('connection string postgres://user:pw@db leaked');
    });
    app.post(
      '/echo',
      { schema: { body: { type: 'object', required: ['name'] } } },
      async (request) => request.body,
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers unknown routes with 404 and the common shape', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'Nothing at GET /nowhere.',
        requestId: response.headers['x-request-id'],
      },
    });
  });

  it('passes an AppError through with its status, code and details', async () => {
    const response = await app.inject({ method: 'GET', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'already_connected', details: { vendor: 'xero' } });
  });

  it('hides the internals of an unexpected error', async () => {
    const response = await app.inject({ method: 'GET', url: '/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal_error');
    expect(response.body).not.toContain('postgres://');
  });

  it('describes invalid, malformed, oversized and wrongly typed bodies', async () => {
    const invalid = await app.inject({ method: 'POST', url: '/echo', payload: { other: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'invalid_request', details: [{ path: '/name' }] });

    const malformed = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('invalid_request');

    const oversized = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'x'.repeat(2048) } });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json().error.code).toBe('payload_too_large');

    const wrongType = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<name/>',
    });
    expect(wrongType.statusCode).toBe(415);
  });

  it('sets security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
