import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type {
  LedgerConnector,
  LedgerIdentity,
  LedgerTenant,
  LedgerTokens,
  Vendor,
} from '../../connectors/ledger.js';
import { memoryTokenStore, openConnection } from '../../connectors/shared/connection.js';
import { connectionChoices, ledgerConnections, organisations } from '../db/schema/index.js';
import { timeZoneOfPlace } from '../domain/place-time-zone.js';
import { AppError } from '../errors.js';
import { openSealedTokens, sealedTokenColumns } from '../ledger/connection-tokens.js';
import type { LedgerContext } from '../ledger/context.js';
import type { SyncRequests } from '../sync/sync-requests.js';

/** How long a person has to pick a company when a grant covers several. */
const choiceLifetimeMs = 15 * 60_000;

export function connectorFor(ctx: LedgerContext, vendor: Vendor): LedgerConnector {
  const connector = ctx.connectors[vendor];
  if (!connector) throw new AppError(404, 'vendor_not_configured', `${vendor} is not set up on this server.`);
  return connector;
}

/**
 * Starts a connection: a fresh state value and PKCE verifier (both kept by the caller in the browser
 * session) and the consent URL. Vendors whose client cannot send PKCE ignore the challenge.
 */
export function startConnect(
  ctx: LedgerContext,
  vendor: Vendor,
  redirectUri: string,
  purpose: 'connect' | 'signin' = 'connect',
): { state: string; codeVerifier: string; url: string } {
  const state = randomBytes(24).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  return {
    state,
    codeVerifier,
    url: connectorFor(ctx, vendor)[purpose === 'connect' ? 'consentUrl' : 'signInUrl']({
      state,
      redirectUri,
      codeChallenge,
    }),
  };
}

export interface ConnectResult {
  orgId: string;
  connectionId: string;
  reconnected: boolean;
}

/** Connecting a company also signs in the person who consented: `userId` is theirs. */
export type ConnectOutcome = { userId: string } & (
  | ({ kind: 'connected' } & ConnectResult)
  | { kind: 'choose'; choiceId: string; tenants: LedgerTenant[] }
);

/**
 * Finishes a connection from the vendor's callback. One company: connect it. Several (a Xero login
 * with several organisations): keep the grant aside for the person to choose.
 */
export async function completeConnect(
  ctx: LedgerContext,
  requests: SyncRequests,
  vendor: Vendor,
  callback: { callbackUrl: string; redirectUri: string; codeVerifier?: string },
  /** Admits the person who consented (or refuses them) before anything is stored; returns their user id. */
  admit: (identity: LedgerIdentity | null) => Promise<string>,
): Promise<ConnectOutcome> {
  const connector = connectorFor(ctx, vendor);
  const grant = await connector.exchangeCallback(callback);
  const userId = await admit(grant.identity);
  const [only, ...others] = grant.tenants;
  if (!only)
    throw new AppError(
      400,
      'no_company',
      'No company was shared with Dunwell. Please try again and pick one.',
    );
  if (others.length === 0)
    return {
      kind: 'connected',
      userId,
      ...(await connectTenant(ctx, requests, connector, grant.tokens, only)),
    };

  const choiceId = randomUUID();
  // Expired choices hold sealed tokens no one will use: clear them out as new ones arrive.
  await ctx.db.delete(connectionChoices).where(lt(connectionChoices.expiresAt, new Date()));
  await ctx.db.insert(connectionChoices).values({
    id: choiceId,
    vendor,
    ...sealedTokenColumns(ctx.cipher, `connection-choice:${choiceId}`, grant.tokens),
    accessTokenExpiresAt: grant.tokens.accessTokenExpiresAt,
    tenants: grant.tenants,
    expiresAt: new Date(Date.now() + choiceLifetimeMs),
  });
  return { kind: 'choose', userId, choiceId, tenants: grant.tenants };
}

/** The companies a pending choice offers, or null when it is unknown or expired. */
export async function pendingChoice(ctx: LedgerContext, vendor: Vendor, choiceId: string) {
  const [choice] = await ctx.db
    .select()
    .from(connectionChoices)
    .where(
      and(
        eq(connectionChoices.id, choiceId),
        eq(connectionChoices.vendor, vendor),
        gt(connectionChoices.expiresAt, new Date()),
      ),
    );
  return choice ?? null;
}

/** Connects the company the person chose, and removes the others from the grant. */
export async function completeChoice(
  ctx: LedgerContext,
  requests: SyncRequests,
  vendor: Vendor,
  choiceId: string,
  tenantId: string,
): Promise<ConnectResult> {
  const choice = await pendingChoice(ctx, vendor, choiceId);
  if (!choice) throw new AppError(400, 'choice_expired', 'This choice has expired. Please connect again.');
  const tenant = choice.tenants.find((candidate) => candidate.tenantId === tenantId);
  if (!tenant) throw new AppError(400, 'invalid_request', 'That company was not part of this connection.');
  const connector = connectorFor(ctx, vendor);
  const tokens = openSealedTokens(ctx.cipher, `connection-choice:${choiceId}`, {
    access: choice.accessTokenSealed,
    refresh: choice.refreshTokenSealed,
    accessExpiresAt: choice.accessTokenExpiresAt,
    refreshExpiresAt: choice.refreshTokenExpiresAt,
  });
  const result = await connectTenant(ctx, requests, connector, tokens, tenant);
  await ctx.db.delete(connectionChoices).where(eq(connectionChoices.id, choiceId));
  await connector.releaseTenants?.(
    tokens,
    choice.tenants.filter((candidate) => candidate.tenantId !== tenantId),
  );
  return result;
}

/**
 * Stores a grant for one company: reconnects its existing connection (its data is kept) or creates
 * an organisation (in preview, with the company's time zone) and connection for it, then queues a sync.
 */
async function connectTenant(
  ctx: LedgerContext,
  requests: SyncRequests,
  connector: LedgerConnector,
  grantTokens: LedgerTokens,
  tenant: LedgerTenant,
): Promise<ConnectResult> {
  const vendor = connector.vendor;
  const [existing] = await ctx.db
    .select()
    .from(ledgerConnections)
    .where(and(eq(ledgerConnections.vendor, vendor), eq(ledgerConnections.tenantId, tenant.tenantId)))
    .orderBy(desc(ledgerConnections.createdAt))
    .limit(1);
  if (existing) {
    await ctx.db
      .update(ledgerConnections)
      .set({
        ...sealedTokenColumns(ctx.cipher, `ledger-connection:${existing.id}`, grantTokens),
        status: 'active',
        lastError: null,
        disconnectedAt: null,
      })
      .where(eq(ledgerConnections.id, existing.id));
    await requests.sync(existing.id, existing.fullSyncedAt ? 'incremental' : 'full');
    return { orgId: existing.orgId, connectionId: existing.id, reconnected: true };
  }

  const connectionId = randomUUID();
  const tokens = memoryTokenStore(grantTokens);
  // Described before anything is stored, so the organisation gets its real name and currency.
  const company = await connector.describeTenant(
    openConnection({
      connector,
      connectionId,
      tenantId: tenant.tenantId,
      homeCurrency: 'USD',
      tokens,
      withRefreshLock: (work) => work(),
    }),
  );
  // The books' own zone (Xero), else one for the address's state or the country (QuickBooks has
  // none); the go-live checklist shows where it came from for the owner to confirm.
  const place = timeZoneOfPlace(company.country, company.region);
  const origin = company.timeZone
    ? { timeZone: company.timeZone, source: 'ledger' as const }
    : place
      ? { timeZone: place.timeZone, source: place.from }
      : null;
  const orgId = await ctx.db.transaction(async (tx) => {
    const [organisation] = await tx
      .insert(organisations)
      .values({
        name: company.name,
        currency: company.currency,
        country: company.country,
        timeZone: origin?.timeZone ?? 'UTC',
        // A new organisation plans and shows, and sends nothing until its owner goes live.
        sending: 'preview',
        sendingChangedAt: new Date(),
        settings: { timeZoneOrigin: origin },
      })
      .returning({ id: organisations.id });
    if (!organisation) throw new Error('organisation insert returned nothing');
    await tx.insert(ledgerConnections).values({
      id: connectionId,
      orgId: organisation.id,
      vendor,
      tenantId: tenant.tenantId,
      tenantName: tenant.name ?? company.name,
      status: 'active',
      ...sealedTokenColumns(ctx.cipher, `ledger-connection:${connectionId}`, tokens.current()),
    });
    return organisation.id;
  });
  await requests.sync(connectionId, 'full');
  return { orgId, connectionId, reconnected: false };
}
