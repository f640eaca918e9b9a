CREATE TYPE "public"."organisation_sending" AS ENUM('preview', 'live', 'paused');--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "sending" "organisation_sending" DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "sending_changed_at" timestamp with time zone;