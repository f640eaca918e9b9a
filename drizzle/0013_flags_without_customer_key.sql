ALTER TABLE "collection_flags" DROP CONSTRAINT "collection_flags_customer_id_customers_id_fk";
--> statement-breakpoint
DROP INDEX "collection_flags_customer_idx";