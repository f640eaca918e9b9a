CREATE TABLE "owner_notification_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"slack_webhook_url" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "owner_notification_settings" ADD CONSTRAINT "owner_notification_settings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;