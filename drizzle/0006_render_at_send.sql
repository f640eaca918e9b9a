ALTER TABLE "outbound_messages" ALTER COLUMN "subject" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_messages" ALTER COLUMN "body_html" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_messages" ALTER COLUMN "body_text" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "render_inputs" jsonb;--> statement-breakpoint
CREATE INDEX "collection_steps_effect_idx" ON "collection_steps" USING btree ("org_id","effect_key");