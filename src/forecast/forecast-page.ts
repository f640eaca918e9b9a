import { and, eq } from 'drizzle-orm';
import { customers } from '../db/schema/index.js';
import { localeOf } from '../domain/locale.js';
import { notFound } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type Forecast, organisationForecast } from './forecast.js';

export interface ForecastPage {
  forecast: Forecast;
  locale: string;
  /** The customer, for a customer's own forecast. */
  customer: { id: string; name: string } | null;
}

/** The organisation's forecast page: the next 30 days, every debtor. */
export async function forecastPage(ctx: ServiceContext): Promise<ForecastPage> {
  const [profile, forecast] = await Promise.all([organisationOf(ctx), organisationForecast(ctx)]);
  return { forecast, locale: localeOf(profile.country), customer: null };
}

/** One customer's forecast (404 for a customer of another organisation). */
export async function customerForecastPage(ctx: ServiceContext, customerId: string): Promise<ForecastPage> {
  const [customer] = await ctx.db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, customerId)));
  if (!customer) throw notFound('customer');
  const [profile, forecast] = await Promise.all([
    organisationOf(ctx),
    organisationForecast(ctx, { customerId }),
  ]);
  return { forecast, locale: localeOf(profile.country), customer };
}
