ALTER TABLE "ledger_writes" DROP CONSTRAINT "ledger_writes_connection_id_ledger_connections_id_fk";
--> statement-breakpoint
ALTER TABLE "ledger_writes" DROP CONSTRAINT "ledger_writes_invoice_id_invoices_id_fk";
--> statement-breakpoint
ALTER TABLE "outbound_messages" DROP CONSTRAINT "outbound_messages_customer_id_customers_id_fk";
