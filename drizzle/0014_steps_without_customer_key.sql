ALTER TABLE "collection_steps" DROP CONSTRAINT "collection_steps_customer_id_customers_id_fk";
