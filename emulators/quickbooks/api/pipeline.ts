/**
 * What every Accounting API request goes through, in order:
 * bearer token (401) → token's realm (403) → minorversion ≥ 75 (400) → per-realm limits (429) → added latency
 * (holding a concurrency slot, so latency makes the concurrent limit reachable) → injected 500 →
 * requestid replay (writes) → handler → injected hang (the answer, replayed or new, held back past the
 * client's timeout: the write has landed, the client cannot know). Handler faults become Intuit's Fault bodies.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FaultSettings, injectFaults } from '../../kit/faults.js';
import type { HeldAnswers } from '../../kit/held-answers.js';
import { bearerToken } from '../../kit/oauth.js';
import type { Counters } from '../counters.js';
import {
  authenticationFault,
  authorizationFault,
  type FaultBody,
  FaultError,
  faultResponse,
  invalidValue,
  systemFault,
  throttleFault,
} from '../faults.js';
import type { GrantStore } from '../oauth/grants.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { Company } from '../store/company.js';
import type { Ledger } from '../store/ledger.js';
import { isoResponseTime } from '../time.js';
import type { JsonObject } from './body.js';
import type { ApiContext } from './context.js';

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const MIN_MINOR_VERSION = 75;
const MAX_REQUEST_ID = 50;

export interface RuntimeSettings extends FaultSettings {
  /** Share of 429 answers sent as XML (see RateLimitOptions.xmlFraction). */
  xmlFraction: number;
}

export interface ApiDeps {
  companies: Map<string, Company>;
  ledger(realmId: string): Ledger;
  grants: GrantStore;
  limiter: RateLimiter;
  counters: Counters;
  /** Answers the hang fault is holding back. */
  held: HeldAnswers;
  settings(): RuntimeSettings;
  now(): number;
  baseUrl(): string;
}

export type ApiHandler = (ctx: ApiContext, request: FastifyRequest) => JsonObject;

function sendFault(reply: FastifyReply, fault: FaultBody) {
  return reply.code(fault.status).type(fault.contentType).send(fault.body);
}

export async function runApi(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  handler: ApiHandler,
  options: { write: boolean },
) {
  reply.header('intuit_tid', randomUUID());
  const realmId = (request.params as { realmId: string }).realmId;
  const query = request.query as Record<string, string | undefined>;

  const token = bearerToken(request);
  const access = deps.grants.checkAccess(token ?? '');
  if (!access.ok) {
    reply.header('www-authenticate', 'Bearer realm="Intuit", error="invalid_token"');
    return sendFault(
      reply,
      authenticationFault(token ? access.detail : 'Authorization header missing', deps.now()),
    );
  }
  const company = deps.companies.get(realmId);
  if (!company || access.grant.realmId !== realmId) return sendFault(reply, authorizationFault(deps.now()));

  const minorVersion = query['minorversion'];
  if (minorVersion !== undefined && !(Number(minorVersion) >= MIN_MINOR_VERSION)) {
    const fault = invalidValue(
      'minorversion',
      `minorversion ${minorVersion} is no longer supported; the minimum is ${MIN_MINOR_VERSION}`,
    );
    return sendFault(reply, faultResponse(fault, deps.now()));
  }

  const settings = deps.settings();
  const admission = deps.limiter.admit(realmId);
  if (!admission.ok) {
    deps.counters.throttled();
    return sendFault(reply, throttleFault(deps.now(), Math.random() < settings.xmlFraction));
  }
  reply.raw.once('close', admission.release);
  try {
    const faults = await injectFaults(settings, deps.held, deps.counters, options.write);
    if (faults === 'error') return sendFault(reply, faultResponse(systemFault(), deps.now()));
    const answerWith = async (status: number, body: string) => {
      // A hung answer whose client gave up: nothing to send (Fastify sends nothing for a closed connection).
      if (!(await faults.mayAnswer(reply.raw))) return undefined;
      return reply.code(status).type(JSON_TYPE).send(body);
    };
    const requestId = options.write ? query['requestid'] : undefined;
    if (requestId !== undefined) {
      // The limit is documented; the error code Intuit uses for it is not (2010 is a guess).
      if (requestId.length > MAX_REQUEST_ID) {
        const fault = invalidValue('requestid', `requestid must be at most ${MAX_REQUEST_ID} characters`);
        return sendFault(reply, faultResponse(fault, deps.now()));
      }
      const remembered = company.idempotency.get(requestId);
      if (remembered) return await answerWith(remembered.status, remembered.body);
    }
    const ctx: ApiContext = {
      company,
      ledger: deps.ledger(realmId),
      query,
      baseUrl: deps.baseUrl(),
      now: deps.now(),
    };
    let answer: { status: number; body: string };
    try {
      answer = {
        status: 200,
        body: JSON.stringify({ ...handler(ctx, request), time: isoResponseTime(deps.now()) }),
      };
    } catch (error) {
      if (!(error instanceof FaultError)) throw error;
      answer = faultResponse(error, deps.now());
    }
    if (requestId !== undefined) company.idempotency.set(requestId, answer);
    return await answerWith(answer.status, answer.body);
  } catch (error) {
    admission.release();
    throw error;
  }
}
