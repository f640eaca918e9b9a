ALTER TABLE "debtor_replies" ALTER COLUMN "message_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "debtor_replies" ALTER COLUMN "inbound_email_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "debtor_replies" ADD COLUMN "inbound_sms_id" uuid;--> statement-breakpoint
ALTER TABLE "debtor_replies" ADD COLUMN "matched_by" text DEFAULT 'token' NOT NULL;--> statement-breakpoint
CREATE INDEX "customer_contacts_lower_email_idx" ON "customer_contacts" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "inbound_emails_unmatched_idx" ON "inbound_emails" USING btree ("org_id","received_at") WHERE "inbound_emails"."status" = 'unmatched';--> statement-breakpoint
ALTER TABLE "debtor_replies" ADD CONSTRAINT "debtor_replies_one_source" CHECK (("debtor_replies"."inbound_email_id" is null) <> ("debtor_replies"."inbound_sms_id" is null));