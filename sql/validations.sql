-- The statements of src/validations/validations.store.ts, written by `npm run sql:write`: do not edit.

-- quiet
SELECT id, tick FROM validation_runs
       WHERE (state = 'RUNNING' OR watch_until IS NOT NULL) AND updated_at < now() - make_interval(secs => $1::double precision / 1000);

-- tenantOfRun
SELECT tenant_id FROM validation_runs WHERE id = $1 AND tenant_id = ANY($2::uuid[]);
