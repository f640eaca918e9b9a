import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { SignedIn } from '../../../src/accounts/sessions.js';
import { actorKey, actorOf } from '../../../src/domain/actor.js';
import { AppError } from '../../../src/errors.js';
import { actingPerson } from '../../../src/services/context.js';
import { accountOf, clock, debtorContextOf, personContext } from '../../../src/web/context.js';
import type { WebServices } from '../../../src/web/services.js';

const orgId = '7c6f1c1e-2a4b-4c3d-9e8f-0a1b2c3d4e5f';
const otherOrgId = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const customerId = '3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const userId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const db = { marker: 'the database' };
const at = new Date('2026-03-02T09:30:00Z');
const services = { ledger: { db }, now: () => at } as unknown as WebServices;

const signedIn: SignedIn = {
  sessionId: 'session-hash',
  userId,
  email: 'owner@example.com',
  orgIds: [orgId],
  organisations: [{ id: orgId, name: 'Owner Ltd' }],
};
const request = (params: Record<string, string>, who: SignedIn | null = signedIn) =>
  ({ params, signedIn: who }) as unknown as FastifyRequest;

describe('the service context of a request', () => {
  it('is the signed-in person, by user id, acting for the organisation of the path, at the services’ clock', () => {
    expect(personContext(services, request({ orgId }))).toEqual({
      orgId,
      actor: { kind: 'person', userId },
      db,
      now: at,
    });
  });

  it('answers 404 for an organisation the session does not belong to, as for one that does not exist', () => {
    let refused: unknown = null;
    try {
      personContext(services, request({ orgId: otherOrgId }));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ statusCode: 404, code: 'not_found', message: 'No such organisation.' });
    expect(() => personContext(services, request({ orgId }, null))).toThrow('No such organisation.');
  });

  it('reads the system clock when the services have none', () => {
    const before = Date.now();
    const now = clock({ ...services, now: undefined } as WebServices).getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('spans the session’s organisations for the JSON API, and nobody’s when signed out', () => {
    const account = accountOf(services, request({}));
    expect(account).toEqual({ orgIds: [orgId], actor: { kind: 'person', userId }, db, now: at });
    expect(actingPerson(account)).toEqual({ kind: 'person', userId });
    const signedOut = accountOf(services, request({}, null));
    expect(signedOut).toEqual({ orgIds: [], actor: null, db, now: at });
    expect(() => actingPerson(signedOut)).toThrow('Please sign in.');
  });

  it('is the debtor a portal link names, on their organisation', () => {
    expect(debtorContextOf(services, { orgId, customerId }, at)).toEqual({
      orgId,
      actor: { kind: 'debtor', customerId },
      db,
      now: at,
    });
  });
});

describe('stored actors', () => {
  it('store who acted, and read back what they stored and what was stored before them', () => {
    expect(actorKey({ kind: 'person', userId })).toBe(`user:${userId}`);
    expect(actorKey({ kind: 'debtor', customerId })).toBe('debtor');
    expect(actorKey({ kind: 'system' })).toBe('system');
    expect(actorKey({ kind: 'system', job: 'collections.evaluate' })).toBe('system:collections.evaluate');
    expect(actorKey({ kind: 'vendor', vendor: 'xero' })).toBe('vendor:xero');

    expect(actorOf(`user:${userId}`)).toEqual({ kind: 'person', userId });
    expect(actorOf('debtor')).toEqual({ kind: 'debtor' });
    expect(actorOf('system')).toEqual({ kind: 'system' });
    expect(actorOf('system:collections.evaluate')).toEqual({ kind: 'system', job: 'collections.evaluate' });
    expect(actorOf('vendor:quickbooks')).toEqual({ kind: 'vendor', vendor: 'quickbooks' });
    // Written by the JSON API before it said who: a person, not known which.
    expect(actorOf('session')).toEqual({ kind: 'person', userId: null });
    expect(actorOf('vendor:sage')).toEqual({ kind: 'unknown', text: 'vendor:sage' });
    expect(actorOf('user:')).toEqual({ kind: 'unknown', text: 'user:' });
  });
});
