-- Runbooks became versioned: each existing runbook gets its body as version 1 and links to the model it was written for.
-- Run after the migration that creates runbook_versions and runbooks.links (idempotent; drizzle statement breakpoints).
INSERT INTO runbook_versions (runbook_id, number, title, body, message, author_id, created_at)
SELECT r.id, 1, r.title, r.body, 'Imported from the unversioned runbook', r.updated_by, r.updated_at
FROM runbooks r
WHERE NOT EXISTS (SELECT 1 FROM runbook_versions v WHERE v.runbook_id = r.id);
--> statement-breakpoint

UPDATE runbooks r
SET links = jsonb_set(r.links, '{models}', jsonb_build_array(m.slug))
FROM models m
WHERE m.id = r.model_id AND r.links -> 'models' = '[]'::jsonb;
