-- Journeys: one waiting flag and one open "find an address" task per debtor. Flags and tasks raised per
-- invoice before this are merged: the newest of each debtor's waiting flags keeps the invoices of all of
-- them, and the others are closed with a reason a person can read.
WITH ranked AS (
	SELECT id, customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id) AS n
	FROM collection_flags WHERE status = 'pending'
), merged AS (
	SELECT r.customer_id, jsonb_agg(DISTINCT ids.value) AS invoice_ids
	FROM ranked r
	JOIN collection_flags f ON f.id = r.id
	CROSS JOIN LATERAL jsonb_array_elements(f.invoice_ids) AS ids(value)
	GROUP BY r.customer_id
	HAVING count(DISTINCT r.id) > 1
)
UPDATE collection_flags f SET invoice_ids = m.invoice_ids
FROM ranked r, merged m
WHERE f.id = r.id AND r.n = 1 AND m.customer_id = r.customer_id;
--> statement-breakpoint
UPDATE collection_flags f SET status = 'rejected', decided_at = now(), decided_by = 'system',
	decision = 'merged into the newest flag of this customer (one flag per customer)'
FROM (
	SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id) AS n
	FROM collection_flags WHERE status = 'pending'
) r
WHERE f.id = r.id AND r.n > 1;
--> statement-breakpoint
-- Address tasks were keyed "<customer>:<step>-address:<digest>"; their steps now say what they are.
UPDATE collection_steps SET step_key = 'find-address'
WHERE kind = 'task' AND effect_key ~ '^[0-9a-f-]+:[a-z0-9-]+-address:';
--> statement-breakpoint
UPDATE collection_tasks t SET status = 'dismissed', closed_at = now(), closed_by = 'system'
FROM (
	SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id) AS n
	FROM collection_tasks
	WHERE status = 'open' AND idempotency_key ~ '^[0-9a-f-]+:[a-z0-9-]+-address:'
) r
WHERE t.id = r.id AND r.n > 1;
