ALTER TYPE "public"."message_status" ADD VALUE 'awaiting_approval' BEFORE 'pending';--> statement-breakpoint
ALTER TYPE "public"."message_status" ADD VALUE 'uncertain' BEFORE 'failed';