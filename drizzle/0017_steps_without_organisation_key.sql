ALTER TABLE "collection_steps" DROP CONSTRAINT "collection_steps_org_id_organisations_id_fk";
