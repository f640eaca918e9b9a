CREATE TYPE "public"."credit_kind" AS ENUM('credit_note', 'unapplied_payment', 'overpayment', 'prepayment');--> statement-breakpoint
CREATE TABLE "ledger_credits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"kind" "credit_kind" NOT NULL,
	"number" text,
	"currency" char(3) NOT NULL,
	"remaining_minor" bigint NOT NULL,
	"issue_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "country" char(2);--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "bill_email" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ledger_credits" ADD CONSTRAINT "ledger_credits_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_credits" ADD CONSTRAINT "ledger_credits_connection_id_ledger_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."ledger_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_credits" ADD CONSTRAINT "ledger_credits_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_credits_connection_external_key" ON "ledger_credits" USING btree ("connection_id","kind","external_id");--> statement-breakpoint
CREATE INDEX "ledger_credits_org_customer_idx" ON "ledger_credits" USING btree ("org_id","customer_id");--> statement-breakpoint
-- Invoices already closed before this column: the ledger's last change is the best date known.
UPDATE "invoices" SET "closed_at" = coalesce("vendor_updated_at", "updated_at") WHERE "status" <> 'open' OR "balance_minor" <= 0;
