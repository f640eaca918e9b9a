CREATE TYPE "public"."collection_flag_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."collection_task_status" AS ENUM('open', 'done', 'dismissed');--> statement-breakpoint
CREATE TABLE "collection_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"kinds" jsonb NOT NULL,
	"invoice_ids" jsonb NOT NULL,
	"days_overdue" integer NOT NULL,
	"recommendation" jsonb NOT NULL,
	"status" "collection_flag_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision" text
);
--> statement-breakpoint
CREATE TABLE "collection_policies" (
	"org_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"policy" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_policies_org_id_version_pk" PRIMARY KEY("org_id","version")
);
--> statement-breakpoint
CREATE TABLE "collection_steps" (
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"kind" text NOT NULL,
	"effect_key" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	CONSTRAINT "collection_steps_invoice_id_step_key_pk" PRIMARY KEY("invoice_id","step_key")
);
--> statement-breakpoint
CREATE TABLE "collection_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"description" text NOT NULL,
	"invoice_ids" jsonb NOT NULL,
	"status" "collection_task_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "opted_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "collection_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_flags" ADD CONSTRAINT "collection_flags_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_flags" ADD CONSTRAINT "collection_flags_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_policies" ADD CONSTRAINT "collection_policies_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_steps" ADD CONSTRAINT "collection_steps_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_steps" ADD CONSTRAINT "collection_steps_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_steps" ADD CONSTRAINT "collection_steps_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_tasks" ADD CONSTRAINT "collection_tasks_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collection_flags_idempotency_key" ON "collection_flags" USING btree ("org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "collection_flags_pending_idx" ON "collection_flags" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "collection_steps_customer_idx" ON "collection_steps" USING btree ("org_id","customer_id","taken_at");--> statement-breakpoint
CREATE UNIQUE INDEX "collection_tasks_idempotency_key" ON "collection_tasks" USING btree ("org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "collection_tasks_open_idx" ON "collection_tasks" USING btree ("org_id","status","created_at");