import pg from 'pg';

/**
 * A generated organisation straight in SQL: `debtors` customers with a billing contact and
 * `invoicesPerDebtor` open invoices each, due between `newestDueDaysAgo` days ago and 150 days
 * before that (spread by a hash, so runs are repeatable), counted back from `asOf`.
 */
export async function seedDebtors(
  url: string,
  options: { debtors: number; invoicesPerDebtor: number; asOf: string; newestDueDaysAgo: number },
): Promise<{ orgId: string; customerIds: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const org = await client.query<{ id: string }>(
      "insert into organisations (name, currency, time_zone, country) values ('Bench Ltd', 'GBP', 'Europe/London', 'GB') returning id",
    );
    const orgId = org.rows[0]?.id ?? '';
    const connection = await client.query<{ id: string }>(
      "insert into ledger_connections (org_id, vendor, tenant_id) values ($1, 'quickbooks', 'bench') returning id",
      [orgId],
    );
    await client.query(
      `insert into customers (org_id, connection_id, external_id, name, currency)
         select $1, $2, 'c' || n, 'Customer ' || n, 'GBP' from generate_series(1, $3) n`,
      [orgId, connection.rows[0]?.id, options.debtors],
    );
    await client.query(
      `insert into customer_contacts (org_id, customer_id, email, role)
         select org_id, id, external_id || '@example.com', 'billing' from customers where org_id = $1`,
      [orgId],
    );
    await client.query(
      `insert into invoices (org_id, connection_id, customer_id, external_id, number, currency, total_minor, balance_minor, due_date, status)
         select c.org_id, c.connection_id, c.id, c.external_id || '-' || k, 'INV-' || c.external_id || '-' || k, 'GBP',
                50000, 1000 + (hashtext(c.external_id || k) & 65535),
                $3::date - $4::int - ((hashtext(k || c.external_id) & 255) % 150), 'open'
           from customers c cross join generate_series(1, $2) k where c.org_id = $1`,
      [orgId, options.invoicesPerDebtor, options.asOf, options.newestDueDaysAgo],
    );
    await client.query('analyze');
    const ids = await client.query<{ id: string }>('select id from customers where org_id = $1 order by id', [
      orgId,
    ]);
    return { orgId, customerIds: ids.rows.map((row) => row.id) };
  } finally {
    await client.end();
  }
}
