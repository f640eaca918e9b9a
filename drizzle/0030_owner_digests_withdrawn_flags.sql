ALTER TYPE "public"."collection_flag_status" ADD VALUE 'withdrawn';--> statement-breakpoint
CREATE TABLE "owner_digests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"events" integer NOT NULL,
	"message_id" uuid,
	"slack_status" text DEFAULT 'none' NOT NULL,
	"slack_text" text,
	"slack_attempts" integer DEFAULT 0 NOT NULL,
	"slack_error" text,
	"slack_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "owner_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"amount_minor" bigint,
	"currency" char(3),
	"occurred_at" timestamp with time zone NOT NULL,
	"digest_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collection_flags" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "owner_digests" ADD CONSTRAINT "owner_digests_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owner_events" ADD CONSTRAINT "owner_events_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "owner_digests_org_idx" ON "owner_digests" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "owner_events_waiting_idx" ON "owner_events" USING btree ("org_id","occurred_at") WHERE digest_id is null;--> statement-breakpoint
CREATE INDEX "owner_events_digest_idx" ON "owner_events" USING btree ("digest_id");