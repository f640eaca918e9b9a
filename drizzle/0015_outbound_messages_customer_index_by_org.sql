DROP INDEX "outbound_messages_customer_idx";--> statement-breakpoint
CREATE INDEX "outbound_messages_customer_idx" ON "outbound_messages" USING btree ("org_id","customer_id","created_at");