/**
 * What every Accounting API call goes through, in order:
 * bearer token (401) → `xero-tenant-id` connected for the token's user (403) → scope (401 AuthorizationUnsuccessful)
 * → limits (429) → added latency (holding a concurrency slot) → injected 500 → Idempotency-Key replay (writes)
 * → handler → injected hang (the answer, replayed or new, held back past the client's timeout: the write has
 * landed, the client cannot know) → envelope `{"Id","Status":"OK","ProviderName","DateTimeUTC",…}` as in Xero's examples.
 * X-DayLimit-Remaining, X-MinLimit-Remaining and X-AppMinLimit-Remaining go on every answer from the limits step on.
 *
 * Idempotency-Key (writes, per tenant, at most 128 characters): the first answer — success or validation error —
 * is remembered for 6 minutes and replayed for the same key; the same key with another method, URL or body gets
 * 400 "Idempotency Key: … is used with a different request." The 6-minute window and that message come from
 * integrators' notes, not from Xero's reference (uncertain).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FaultSettings, injectFaults } from '../../kit/faults.js';
import type { HeldAnswers } from '../../kit/held-answers.js';
import { bearerToken } from '../../kit/oauth.js';
import type { Counters } from '../counters.js';
import {
  forbidden,
  JSON_TYPE,
  serverError,
  tooManyRequests,
  unauthorized,
  validationElement,
  validationError,
  XeroHttpError,
} from '../faults.js';
import type { Directory } from '../oauth/directory.js';
import type { Grant, GrantStore } from '../oauth/grants.js';
import { limitHeaders, type RateLimiter } from '../rate-limiter.js';
import type { Ledger } from '../store/ledger.js';
import { LedgerError } from '../store/ledger.js';
import type { Organisation } from '../store/model.js';
import { envelopeDate } from '../time.js';

export const IDEMPOTENCY_WINDOW_MS = 6 * 60_000;
const MAX_IDEMPOTENCY_KEY = 128;

export type Json = Record<string, unknown>;
export type ScopeNeed =
  | 'invoices.read'
  | 'invoices.write'
  | 'payments.read'
  | 'contacts.read'
  | 'settings.read'
  | 'accounts.read';

const SCOPES: Record<ScopeNeed, (scope: string) => boolean> = {
  'invoices.read': (s) => /^accounting\.(transactions|invoices)(\.read)?$/.test(s),
  'invoices.write': (s) => /^accounting\.(transactions|invoices)$/.test(s),
  'payments.read': (s) => /^accounting\.(transactions|payments)(\.read)?$/.test(s),
  'contacts.read': (s) => /^accounting\.contacts(\.read)?$/.test(s),
  // Lenient: any accounting scope may read the organisation (which granular scope covers it is uncertain).
  'settings.read': (s) => s.startsWith('accounting.'),
  // GET /Accounts: accounting.settings or accounting.settings.read (xero_accounting.yaml, getAccounts).
  'accounts.read': (s) => /^accounting\.settings(\.read)?$/.test(s),
};

export interface ApiDeps {
  orgs: Map<string, Organisation>;
  ledger(tenantId: string): Ledger;
  grants: GrantStore;
  directory: Directory;
  limiter: RateLimiter;
  counters: Counters;
  /** Answers the hang fault is holding back. */
  held: HeldAnswers;
  settings(): FaultSettings;
  now(): number;
  baseUrl(): string;
  appName: string;
}

export interface ApiContext {
  org: Organisation;
  ledger: Ledger;
  grant: Grant;
  query: Record<string, string | undefined>;
  headers: FastifyRequest['headers'];
  body: unknown;
  params: Record<string, string>;
  now: number;
  baseUrl: string;
}

/** A handler returns the payload under the envelope, or throws XeroHttpError / LedgerError. */
export type ApiHandler = (ctx: ApiContext) => Json;

function send(reply: FastifyReply, error: XeroHttpError) {
  return reply.code(error.status).headers(error.headers).type(error.contentType).send(error.body);
}

export function tenantHeader(request: FastifyRequest): string | undefined {
  const value = request.headers['xero-tenant-id'];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;
}

function fingerprint(request: FastifyRequest): string {
  return `${request.method} ${request.url} ${JSON.stringify(request.body ?? null)}`;
}

export async function runApi(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  handler: ApiHandler,
  options: { write: boolean; scope: ScopeNeed },
) {
  reply.header('xero-correlation-id', randomUUID());
  const token = bearerToken(request) ?? '';
  const access = deps.grants.checkAccess(token);
  if (!access.ok) return send(reply, unauthorized(access.detail));
  const tenantId = tenantHeader(request);
  const org = tenantId ? deps.orgs.get(tenantId) : undefined;
  if (!org || !deps.directory.isConnected(access.grant.userId, org.tenantId)) return send(reply, forbidden());
  if (!access.grant.scopes.some(SCOPES[options.scope]))
    return send(reply, unauthorized('AuthorizationUnsuccessful'));

  const admission = deps.limiter.admit(org.tenantId);
  reply.headers(limitHeaders(admission.remaining));
  if (!admission.ok) {
    deps.counters.throttled(admission.problem);
    const detail = `Rate limit exceeded: ${admission.problem}`;
    const headers = {
      'retry-after': String(admission.retryAfterSeconds),
      'x-rate-limit-problem': admission.problem,
    };
    return send(reply, tooManyRequests(detail, headers));
  }
  reply.raw.once('close', admission.release);
  try {
    const faults = await injectFaults(deps.settings(), deps.held, deps.counters, options.write);
    if (faults === 'error') return send(reply, serverError());
    // False for a hung answer whose client gave up: nothing to send (Fastify sends nothing then).
    const held = () => faults.mayAnswer(reply.raw);
    const key = options.write ? request.headers['idempotency-key'] : undefined;
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : undefined;
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
        // Guess: the wording for an over-long key is not documented.
        const message = `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`;
        return send(reply, validationError([validationElement({}, [message])]));
      }
      const remembered = org.idempotency.get(idempotencyKey);
      if (remembered && deps.now() - remembered.at < IDEMPOTENCY_WINDOW_MS) {
        if (remembered.fingerprint !== fingerprint(request)) {
          const message = `Idempotency Key: ${idempotencyKey} is used with a different request.`;
          return send(reply, validationError([validationElement({}, [message])]));
        }
        if (!(await held())) return undefined;
        return reply
          .code(remembered.status)
          .header('idempotent-replayed', 'true')
          .type(remembered.contentType)
          .send(remembered.body);
      }
    }
    const answer = execute(deps, request, org, access.grant, handler);
    if (idempotencyKey !== undefined) {
      org.idempotency.set(idempotencyKey, { ...answer, fingerprint: fingerprint(request), at: deps.now() });
    }
    if (!(await held())) return undefined;
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  } catch (error) {
    admission.release();
    throw error;
  }
}

/** Xero's query parameter names ignore case (IDs, ids, pageSize, pagesize…); handlers read lower-case keys. */
function lowerCaseKeys(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    out[key.toLowerCase()] = Array.isArray(value)
      ? value.join(',')
      : typeof value === 'string'
        ? value
        : undefined;
  }
  return out;
}

function execute(
  deps: ApiDeps,
  request: FastifyRequest,
  org: Organisation,
  grant: Grant,
  handler: ApiHandler,
): { status: number; contentType: string; body: string } {
  const ctx: ApiContext = {
    org,
    ledger: deps.ledger(org.tenantId),
    grant,
    query: lowerCaseKeys(request.query),
    headers: request.headers,
    body: request.body,
    params: request.params as Record<string, string>,
    now: deps.now(),
    baseUrl: deps.baseUrl(),
  };
  try {
    const payload = handler(ctx);
    const envelope = {
      Id: randomUUID(),
      Status: 'OK',
      ProviderName: deps.appName,
      DateTimeUTC: envelopeDate(deps.now()),
      ...payload,
    };
    return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(envelope) };
  } catch (error) {
    const failure =
      error instanceof LedgerError ? validationError([validationElement({}, error.messages)]) : error;
    if (!(failure instanceof XeroHttpError)) throw error;
    return { status: failure.status, contentType: failure.contentType, body: failure.body };
  }
}
