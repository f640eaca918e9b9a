import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';

const stateCookie = 'dunwell_oauth';
const sessionCookie = 'dunwell_session';
const choiceCookie = 'dunwell_choice';
const stateSchema = z.object({ vendor: z.string(), state: z.string(), verifier: z.string() });
const choiceSchema = z.object({ vendor: z.string(), choiceId: z.uuid() });
const sessionSchema = z.object({ orgIds: z.array(z.uuid()).max(50) });

export interface CookiePolicy {
  /** Secure cookies when the service is reached over https. */
  secure: boolean;
}

function read<Value>(request: FastifyRequest, name: string, schema: z.ZodType<Value>): Value | null {
  const raw = request.cookies[name];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(unsigned.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Binds an OAuth `state` and PKCE verifier to this browser for ten minutes (a signed, HttpOnly cookie). */
export function rememberOAuthState(
  reply: FastifyReply,
  policy: CookiePolicy,
  login: { vendor: string; state: string; verifier: string },
): void {
  reply.setCookie(stateCookie, JSON.stringify(login), {
    signed: true,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/connect',
    maxAge: 600,
  });
}

/**
 * The PKCE verifier when the callback's `state` is the one this browser was sent off with, else
 * null. The cookie is spent either way.
 */
export function takeOAuthState(
  request: FastifyRequest,
  reply: FastifyReply,
  vendor: string,
  state: string,
): string | null {
  const remembered = read(request, stateCookie, stateSchema);
  reply.clearCookie(stateCookie, { path: '/connect' });
  if (!remembered || remembered.vendor !== vendor) return null;
  const expected = Buffer.from(remembered.state);
  const given = Buffer.from(state);
  return expected.length === given.length && timingSafeEqual(expected, given) ? remembered.verifier : null;
}

/** Binds a pending choice of company to this browser for fifteen minutes. */
export function rememberChoice(
  reply: FastifyReply,
  policy: CookiePolicy,
  vendor: string,
  choiceId: string,
): void {
  reply.setCookie(choiceCookie, JSON.stringify({ vendor, choiceId }), {
    signed: true,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/connect',
    maxAge: 900,
  });
}

/** The pending choice this browser holds for `vendor`, if any. */
export function rememberedChoice(request: FastifyRequest, vendor: string): string | null {
  const choice = read(request, choiceCookie, choiceSchema);
  return choice && choice.vendor === vendor ? choice.choiceId : null;
}

export function forgetChoice(reply: FastifyReply): void {
  reply.clearCookie(choiceCookie, { path: '/connect' });
}

const orgParams = z.object({ orgId: z.uuid() });

/** The organisation of the path, when this session belongs to it; otherwise the same 404 as a missing one. */
export function sessionOrg(request: FastifyRequest): string {
  const params = orgParams.safeParse(request.params);
  if (!params.success || !sessionOrgIds(request).includes(params.data.orgId))
    throw new AppError(404, 'not_found', 'No such organisation.');
  return params.data.orgId;
}

/** The organisations this browser may act for. */
export function sessionOrgIds(request: FastifyRequest): string[] {
  return read(request, sessionCookie, sessionSchema)?.orgIds ?? [];
}

export function addSessionOrg(
  request: FastifyRequest,
  reply: FastifyReply,
  policy: CookiePolicy,
  orgId: string,
): void {
  const orgIds = [orgId, ...sessionOrgIds(request).filter((id) => id !== orgId)].slice(0, 50);
  reply.setCookie(sessionCookie, JSON.stringify({ orgIds }), {
    signed: true,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: 30 * 86_400,
  });
}
