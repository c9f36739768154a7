-- The statements of src/gateways/tenant-counts.store.ts, written by `npm run sql:write`: do not edit.

-- countsOfTenant (named prepared statement "tenant-counts")
SELECT kind, key, sum(n)::bigint AS n FROM (
       SELECT kind, key, n FROM tenant_counts WHERE tenant_id = $1
       UNION ALL SELECT kind, key, n FROM tenant_count_changes WHERE tenant_id = $1
     ) c GROUP BY kind, key HAVING sum(n) <> 0 ORDER BY kind, key;

-- fold (named prepared statement "fold-tenant-counts")
WITH taken AS (DELETE FROM tenant_count_changes RETURNING tenant_id, kind, key, n),
          summed AS (SELECT tenant_id, kind, key, sum(n) AS n FROM taken GROUP BY 1, 2, 3)
     INSERT INTO tenant_counts AS c (tenant_id, kind, key, n) SELECT tenant_id, kind, key, n FROM summed ORDER BY 1, 2, 3
     ON CONFLICT (tenant_id, kind, key) DO UPDATE SET n = c.n + EXCLUDED.n;
