CREATE TABLE "debtor_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"inbound_email_id" uuid NOT NULL,
	"class" text NOT NULL,
	"confidence" real NOT NULL,
	"why" text DEFAULT '' NOT NULL,
	"promised_date" date,
	"returns_on" date,
	"from_address" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD COLUMN "org_id" uuid;--> statement-breakpoint
ALTER TABLE "debtor_replies" ADD CONSTRAINT "debtor_replies_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "debtor_replies_customer_idx" ON "debtor_replies" USING btree ("org_id","customer_id","received_at");--> statement-breakpoint
CREATE INDEX "debtor_replies_unread_idx" ON "debtor_replies" USING btree ("org_id","customer_id") WHERE "debtor_replies"."read_at" is null;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;