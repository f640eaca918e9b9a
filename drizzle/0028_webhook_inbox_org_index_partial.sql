DROP INDEX "webhook_inbox_org_idx";--> statement-breakpoint
CREATE INDEX "webhook_inbox_org_idx" ON "webhook_inbox" USING btree ("org_id","received_at") WHERE "webhook_inbox"."org_id" is not null;