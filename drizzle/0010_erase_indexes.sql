ALTER TABLE "activity_log" DROP CONSTRAINT "activity_log_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "activity_log" DROP CONSTRAINT "activity_log_invoice_id_invoices_id_fk";
--> statement-breakpoint
ALTER TABLE "collection_steps" DROP CONSTRAINT "collection_steps_invoice_id_invoices_id_fk";
--> statement-breakpoint
DROP INDEX "disputes_customer_idx";--> statement-breakpoint
DROP INDEX "payment_plans_customer_idx";--> statement-breakpoint
DROP INDEX "payment_promises_customer_idx";--> statement-breakpoint
DROP INDEX "settlements_customer_idx";--> statement-breakpoint
DROP INDEX "outbound_messages_customer_idx";--> statement-breakpoint
CREATE INDEX "collection_flags_customer_idx" ON "collection_flags" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "collection_tasks_customer_idx" ON "collection_tasks" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "ledger_writes_invoice_idx" ON "ledger_writes" USING btree ("invoice_id") WHERE "ledger_writes"."invoice_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_customer_idx" ON "payments" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "disputes_customer_idx" ON "disputes" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "payment_plans_customer_idx" ON "payment_plans" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "payment_promises_customer_idx" ON "payment_promises" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "settlements_customer_idx" ON "settlements" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "outbound_messages_customer_idx" ON "outbound_messages" USING btree ("customer_id","created_at");