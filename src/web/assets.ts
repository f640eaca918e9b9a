import type { FastifyInstance } from 'fastify';
import { appScript } from './app/pages/script.js';
import { appStyles } from './app/pages/styles.js';

/** The settings pages' style sheet and small script, served from here so the CSP can stay 'self'. */
export async function assetRoutes(app: FastifyInstance) {
  app.get('/assets/app.css', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(appStyles),
  );
  app.get('/assets/app.js', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/javascript; charset=utf-8')
      .send(appScript),
  );
}
