-- A QuickBooks payment that only applies a credit memo to an invoice (TotalAmt 0: how write-offs and
-- settlements are booked) is not cash, and a payment that also applied credit had its credit allocated
-- as cash. The zero-cash ones go; QuickBooks connections take one full sync to read their payments again.
DELETE FROM payments p USING ledger_connections c
WHERE p.connection_id = c.id AND c.vendor = 'quickbooks' AND p.amount_minor = 0;
--> statement-breakpoint
UPDATE ledger_connections SET sync_cursor = sync_cursor - 'changes' WHERE vendor = 'quickbooks';
