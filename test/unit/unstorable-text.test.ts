import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsUnstorable, storable, storableText } from '../../src/domain/text.js';
import { siteGuards } from '../../src/web/app.js';
import { installErrorHandlers } from '../../src/web/errors.js';

const nul = String.fromCharCode(0);
const highHalf = String.fromCharCode(0xd83d);
const lowHalf = String.fromCharCode(0xde00);

describe('text PostgreSQL can store', () => {
  it('drops NULs and replaces half characters, leaving whole ones (emoji, accents) alone', () => {
    expect(storableText(`Ac${nul}me`)).toBe('Acme');
    expect(storableText(`Cut ${highHalf}`)).toBe('Cut \uFFFD');
    expect(storableText(`${lowHalf} tail`)).toBe('\uFFFD tail');
    expect(storableText(`Café ${highHalf}${lowHalf}`)).toBe(`Café ${highHalf}${lowHalf}`);
    expect(storable({ name: `A${nul}`, contacts: [{ email: `b${highHalf}@x.example` }], total: 5 })).toEqual({
      name: 'A',
      contacts: [{ email: 'b\uFFFD@x.example' }],
      total: 5,
    });
    expect(holdsUnstorable({ deep: [{ text: `x${nul}` }] })).toBe(true);
    expect(holdsUnstorable({ deep: [{ text: 'Zoë 😀' }] })).toBe(false);
  });
});

describe('requests with text that cannot be stored', () => {
  let app: FastifyInstance;
  let handled = 0;

  beforeAll(async () => {
    // Routes as the app's own are: inside the site, behind its guards.
    app = Fastify({ logger: false });
    installErrorHandlers(app);
    await app.register(async (site) => {
      await siteGuards(site);
      site.post('/save', async (request) => {
        handled += 1;
        return request.body;
      });
      site.get('/search', async () => {
        handled += 1;
        return [];
      });
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('are refused with a clear 400 before any handler runs: NUL in a body or a query, half a character in JSON', async () => {
    const answers = [
      await app.inject({
        method: 'POST',
        url: '/save',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":"Acme\\u0000Ltd"}',
      }),
      await app.inject({ method: 'GET', url: '/search?q=a%00b' }),
      await app.inject({
        method: 'POST',
        url: '/save',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":"half \\ud83d"}',
      }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toMatchObject({ code: 'invalid_characters' });
      expect(answer.json().error.message).toMatch(/cannot be stored/);
    }
    expect(handled).toBe(0);
    const fine = await app.inject({
      method: 'POST',
      url: '/save',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"Zoë 😀"}',
    });
    expect(fine.statusCode).toBe(200);
  });
});
