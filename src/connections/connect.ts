import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { LedgerConnector, Vendor } from '../../connectors/ledger.js';
import { memoryTokenStore, openConnection } from '../../connectors/shared/connection.js';
import { ledgerConnections, organisations } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { sealedTokenColumns } from '../ledger/connection-tokens.js';
import type { LedgerContext } from '../ledger/context.js';
import type { SyncRequests } from '../sync/sync-requests.js';

export function connectorFor(ctx: LedgerContext, vendor: Vendor): LedgerConnector {
  const connector = ctx.connectors[vendor];
  if (!connector) throw new AppError(404, 'vendor_not_configured', `${vendor} is not set up on this server.`);
  return connector;
}

/** Starts a connection: a fresh state value (kept by the caller in the browser session) and the consent URL. */
export function startConnect(
  ctx: LedgerContext,
  vendor: Vendor,
  redirectUri: string,
): { state: string; url: string } {
  const state = randomBytes(24).toString('base64url');
  return { state, url: connectorFor(ctx, vendor).consentUrl({ state, redirectUri }) };
}

export interface ConnectResult {
  orgId: string;
  connectionId: string;
  reconnected: boolean;
}

/**
 * Finishes a connection from the vendor's callback: exchanges the code, then either reconnects the
 * company's existing connection (its data is kept) or creates an organisation and connection for it,
 * and queues a sync.
 */
export async function completeConnect(
  ctx: LedgerContext,
  requests: SyncRequests,
  vendor: Vendor,
  callback: { callbackUrl: string; redirectUri: string },
): Promise<ConnectResult> {
  const connector = connectorFor(ctx, vendor);
  const grant = await connector.exchangeCallback(callback);
  const tenant = grant.tenants[0];
  if (!tenant) throw new AppError(400, 'no_company', 'The grant did not include a company to connect.');

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
        ...sealedTokenColumns(ctx.cipher, existing.id, grant.tokens),
        status: 'active',
        lastError: null,
        disconnectedAt: null,
      })
      .where(eq(ledgerConnections.id, existing.id));
    await requests.sync(existing.id, existing.fullSyncedAt ? 'incremental' : 'full');
    return { orgId: existing.orgId, connectionId: existing.id, reconnected: true };
  }

  const connectionId = randomUUID();
  const tokens = memoryTokenStore(grant.tokens);
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
  const orgId = await ctx.db.transaction(async (tx) => {
    const [organisation] = await tx
      .insert(organisations)
      .values({ name: company.name, currency: company.currency, country: company.country })
      .returning({ id: organisations.id });
    if (!organisation) throw new Error('organisation insert returned nothing');
    await tx.insert(ledgerConnections).values({
      id: connectionId,
      orgId: organisation.id,
      vendor,
      tenantId: tenant.tenantId,
      tenantName: tenant.name ?? company.name,
      status: 'active',
      ...sealedTokenColumns(ctx.cipher, connectionId, tokens.current()),
    });
    return organisation.id;
  });
  await requests.sync(connectionId, 'full');
  return { orgId, connectionId, reconnected: false };
}
