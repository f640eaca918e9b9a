import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { replaceSession } from '../accounts/replace-session.js';
import { sessionOf } from '../accounts/session-of.js';
import { type SignedIn, sessionLifetimeMs } from '../accounts/sessions.js';
import { signOut } from '../accounts/sign-out.js';
import { AppError, notFound } from '../errors.js';
import type { Storage } from '../services/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The person signed in on this browser, loaded by `loadSession`; null when signed out. */
    signedIn: SignedIn | null;
  }
}

const stateCookie = 'dunwell_oauth';
const sessionCookie = 'dunwell_session';
const choiceCookie = 'dunwell_choice';
const stateSchema = z.object({
  vendor: z.string(),
  purpose: z.enum(['connect', 'signin']),
  state: z.string(),
  verifier: z.string(),
  returnTo: z.string().optional(),
});
const choiceSchema = z.object({ vendor: z.string(), choiceId: z.uuid() });

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

/** Why a browser went to the vendor: to connect a company, or only to say who it is. */
export type OAuthPurpose = 'connect' | 'signin';

/** Binds an OAuth `state` and PKCE verifier to this browser for ten minutes (a signed, HttpOnly cookie). */
export function rememberOAuthState(
  reply: FastifyReply,
  policy: CookiePolicy,
  login: { vendor: string; purpose: OAuthPurpose; state: string; verifier: string; returnTo?: string },
): void {
  reply.setCookie(stateCookie, JSON.stringify(login), {
    signed: true,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: 600,
  });
}

/**
 * The PKCE verifier (and where to go next) when the callback's `state` is the one this browser was
 * sent off with for this purpose, else null. The cookie is spent either way.
 */
export function takeOAuthState(
  request: FastifyRequest,
  reply: FastifyReply,
  login: { vendor: string; purpose: OAuthPurpose; state: string },
): { verifier: string; returnTo: string | undefined } | null {
  const remembered = read(request, stateCookie, stateSchema);
  reply.clearCookie(stateCookie, { path: '/' });
  if (!remembered || remembered.vendor !== login.vendor || remembered.purpose !== login.purpose) return null;
  const expected = Buffer.from(remembered.state);
  const given = Buffer.from(login.state);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { verifier: remembered.verifier, returnTo: remembered.returnTo }
    : null;
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
  if (!params.success || !sessionOrgIds(request).includes(params.data.orgId)) throw notFound('organisation');
  return params.data.orgId;
}

/** The organisations this browser may act for (none when not signed in). */
export function sessionOrgIds(request: FastifyRequest): string[] {
  return request.signedIn?.orgIds ?? [];
}

/** The signed-in person, or a 401 for an API call. Pages redirect to sign-in instead (see pages). */
export function signedInUser(request: FastifyRequest): SignedIn {
  if (!request.signedIn) throw new AppError(401, 'signed_out', 'Please sign in.');
  return request.signedIn;
}

/** Loads the session named by the cookie, once per request, into `request.signedIn`. */
export async function loadSession(storage: Storage, request: FastifyRequest): Promise<void> {
  const raw = request.cookies[sessionCookie];
  if (!raw) return;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  request.signedIn = await sessionOf(storage, unsigned.value);
}

/** Signs this browser in as the user: a new session (never a reused one, against fixation). */
export async function startSession(
  storage: Storage,
  request: FastifyRequest,
  reply: FastifyReply,
  policy: CookiePolicy,
  userId: string,
): Promise<void> {
  const { token, signedIn } = await replaceSession(storage, {
    userId,
    previousSessionId: request.signedIn?.sessionId ?? null,
  });
  reply.setCookie(sessionCookie, token, {
    signed: true,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: sessionLifetimeMs / 1000,
  });
  request.signedIn = signedIn;
}

/** Signs this browser out. The company stays connected; its sending (live, preview, paused) is unchanged. */
export async function endSession(
  storage: Storage,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (request.signedIn) await signOut(storage, request.signedIn.sessionId);
  request.signedIn = null;
  reply.clearCookie(sessionCookie, { path: '/' });
}

/**
 * Where to go after signing in: a path inside the app, or the app's start. Anything that could leave
 * the site (`//evil`, `/\\evil`, `https://…`, encoded tricks) is refused.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/app';
  if (!/^\/app(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(value)) return '/app';
  if (value.includes('//') || value.includes('/..')) return '/app';
  return value;
}

/** The token a form or API call must send back; bound to this session (or to "signed out"). */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: csrfUserInfo(request) });
}

export function csrfUserInfo(request: FastifyRequest): string {
  return request.signedIn?.sessionId ?? 'signed-out';
}
