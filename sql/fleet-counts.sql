-- The statements of src/gateways/fleet-counts.store.ts, written by `npm run sql:write`: do not edit.

-- counts (named prepared statement "fleet-counts")
SELECT status, health, type, sum(n) AS n FROM (
           SELECT status, health, type, n FROM gateway_counts UNION ALL SELECT status, health, type, n FROM gateway_count_changes
         ) c GROUP BY 1, 2, 3 HAVING sum(n) <> 0;

-- fold (named prepared statement "fold-fleet-counts")
WITH taken AS (DELETE FROM gateway_count_changes RETURNING status, health, type, n),
              summed AS (SELECT status, health, type, sum(n) AS n FROM taken GROUP BY 1, 2, 3)
         INSERT INTO gateway_counts AS c (status, health, type, n) SELECT status, health, type, n FROM summed ORDER BY 1, 2, 3
         ON CONFLICT (status, health, type) DO UPDATE SET n = c.n + EXCLUDED.n;
