-- The local email transport's record of what it took (#17, finding 8c): written before send returns, read by
-- lookup after a crash between "sending" and "sent", so zero-setup mode recovers as it does with SendGrid.
CREATE TABLE "local_email_sends" (
	"message_id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"provider_message_id" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "local_email_sends" ADD CONSTRAINT "local_email_sends_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "local_email_sends_org_idx" ON "local_email_sends" USING btree ("org_id");