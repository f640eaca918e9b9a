ALTER TABLE "ledger_connections" ADD COLUMN "full_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ledger_connections" ADD COLUMN "sync_progress" jsonb;