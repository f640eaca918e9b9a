CREATE TABLE "customer_phones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"consent_at" timestamp with time zone,
	"consent_source" text,
	"consent_method" text,
	"consent_recorded_by" text,
	"sms_opted_out_at" timestamp with time zone,
	"sms_opt_out_source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_sms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_sid" text NOT NULL,
	"from_phone" text NOT NULL,
	"to_phone" text NOT NULL,
	"body" text NOT NULL,
	"keyword" text,
	"org_id" uuid,
	"customer_id" uuid,
	"status" text DEFAULT 'received' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"phone_id" uuid,
	"idempotency_key" text NOT NULL,
	"to_phone" text NOT NULL,
	"body" text NOT NULL,
	"segments" integer NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"provider_sid" text,
	"error_code" integer,
	"error_message" text,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_status_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"sms_id" uuid NOT NULL,
	"status" text NOT NULL,
	"error_code" integer,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer_phones" ADD CONSTRAINT "customer_phones_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_phones" ADD CONSTRAINT "customer_phones_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_sms" ADD CONSTRAINT "inbound_sms_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_phone_id_customer_phones_id_fk" FOREIGN KEY ("phone_id") REFERENCES "public"."customer_phones"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_status_events" ADD CONSTRAINT "sms_status_events_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_status_events" ADD CONSTRAINT "sms_status_events_sms_id_sms_messages_id_fk" FOREIGN KEY ("sms_id") REFERENCES "public"."sms_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_phones_customer_phone_key" ON "customer_phones" USING btree ("org_id","customer_id","phone");--> statement-breakpoint
CREATE INDEX "customer_phones_phone_idx" ON "customer_phones" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_sms_provider_sid_key" ON "inbound_sms" USING btree ("provider_sid");--> statement-breakpoint
CREATE INDEX "inbound_sms_org_idx" ON "inbound_sms" USING btree ("org_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_messages_idempotency_key" ON "sms_messages" USING btree ("org_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_messages_provider_sid_key" ON "sms_messages" USING btree ("provider_sid");--> statement-breakpoint
CREATE INDEX "sms_messages_customer_idx" ON "sms_messages" USING btree ("org_id","customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_status_events_key" ON "sms_status_events" USING btree ("org_id","sms_id","status");