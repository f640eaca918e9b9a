-- One open dispute per invoice (#17): each dispute's invoices get a row of their own, and a partial
-- unique index over the open ones refuses a second open dispute of the same invoice.
CREATE TABLE "dispute_invoices" (
	"dispute_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	CONSTRAINT "dispute_invoices_dispute_id_invoice_id_pk" PRIMARY KEY("dispute_id","invoice_id")
);
--> statement-breakpoint
ALTER TABLE "dispute_invoices" ADD CONSTRAINT "dispute_invoices_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."disputes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_invoices" ADD CONSTRAINT "dispute_invoices_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute_invoices" ADD CONSTRAINT "dispute_invoices_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing open disputes, oldest first: an invoice already under an earlier open dispute stays with that
-- one. A later dispute left with no invoice of its own is merged into the earlier one (its words added to
-- the earlier message, itself resolved as merged, its task closed); one left with some keeps only those.
DO $$
DECLARE
  d record;
  invoice text;
  holder uuid;
  keeper uuid;
  own jsonb;
BEGIN
  FOR d IN SELECT * FROM disputes WHERE status = 'open' ORDER BY created_at, id LOOP
    own := '[]'::jsonb;
    keeper := NULL;
    FOR invoice IN SELECT value FROM jsonb_array_elements_text(d.invoice_ids) LOOP
      SELECT di.dispute_id INTO holder FROM dispute_invoices di
        WHERE di.invoice_id::text = invoice AND di.open;
      IF holder IS NULL THEN
        own := own || to_jsonb(invoice);
        INSERT INTO dispute_invoices (dispute_id, org_id, invoice_id, open)
          SELECT d.id, d.org_id, i.id, true FROM invoices i
          WHERE i.id::text = invoice AND i.org_id = d.org_id;
      ELSE
        keeper := coalesce(keeper, holder);
      END IF;
    END LOOP;
    IF keeper IS NOT NULL AND jsonb_array_length(own) = 0 THEN
      UPDATE disputes
        SET message = message || E'\n\nAlso said on ' || to_char(d.created_at, 'YYYY-MM-DD') || ' (' || d.reason || E'):\n' || d.message
        WHERE id = keeper;
      UPDATE disputes
        SET status = 'resolved', resolved_at = now(), resolved_by = 'system',
            resolution = 'merged into the earlier open dispute of the same invoices (' || keeper || ')'
        WHERE id = d.id;
      UPDATE collection_tasks
        SET status = 'done', closed_at = now(), closed_by = 'system'
        WHERE org_id = d.org_id AND idempotency_key = 'dispute:' || d.id AND status = 'open';
    ELSIF keeper IS NOT NULL THEN
      UPDATE disputes SET invoice_ids = own WHERE id = d.id;
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO dispute_invoices (dispute_id, org_id, invoice_id, open)
SELECT d.id, d.org_id, i.id, false
FROM disputes d
CROSS JOIN LATERAL jsonb_array_elements_text(d.invoice_ids) AS e(invoice)
JOIN invoices i ON i.id::text = e.invoice AND i.org_id = d.org_id
WHERE d.status <> 'open'
ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE INDEX "dispute_invoices_org_idx" ON "dispute_invoices" USING btree ("org_id","invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dispute_invoices_one_open_idx" ON "dispute_invoices" USING btree ("invoice_id") WHERE "dispute_invoices"."open";
