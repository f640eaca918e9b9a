import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

const stateCookie = 'dunwell_oauth';
const sessionCookie = 'dunwell_session';
const stateSchema = z.object({ vendor: z.string(), state: z.string() });
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

/** Binds an OAuth `state` to this browser for ten minutes (a signed, HttpOnly cookie). */
export function rememberOAuthState(
  reply: FastifyReply,
  policy: CookiePolicy,
  vendor: string,
  state: string,
): void {
  reply.setCookie(stateCookie, JSON.stringify({ vendor, state }), {
    signed: true,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/connect',
    maxAge: 600,
  });
}

/** True when the callback's `state` is the one this browser was sent off with; the cookie is spent. */
export function takeOAuthState(
  request: FastifyRequest,
  reply: FastifyReply,
  vendor: string,
  state: string,
): boolean {
  const remembered = read(request, stateCookie, stateSchema);
  reply.clearCookie(stateCookie, { path: '/connect' });
  if (!remembered || remembered.vendor !== vendor) return false;
  const expected = Buffer.from(remembered.state);
  const given = Buffer.from(state);
  return expected.length === given.length && timingSafeEqual(expected, given);
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
