/**
 * The page queries of the naive read server (naive-read-server.ts): what the service's lists run
 * (keyset over (created_at, id), newest first, on the same indexes), written by hand. `$2, $3` is
 * the cursor's (created_at, id), both null for the first page. The fleet status reads the same
 * maintained counts as the service.
 */
const keyset = (alias: string, at: string, id: string) =>
  `(${at}::timestamptz IS NULL OR (${alias}.created_at, ${alias}.id) < (${at}::timestamptz, ${id}::uuid))`;

export const NAIVE_READS = {
  gateways: `SELECT g.* FROM gateways g WHERE g.tenant_id = $1 AND ${keyset('g', '$2', '$3')}
             ORDER BY g.created_at DESC, g.id DESC LIMIT $4`,
  nodes: `SELECT n.* FROM gateway_nodes n WHERE n.tenant_id = $1 AND n.gateway_id = ANY($2::uuid[]) ORDER BY n.hostname, n.ip_address`,
  profiles: `SELECT p.*, a.id AS active_gateway_id, a.type AS gateway_type, a.status AS gateway_status
             FROM management_profiles p LEFT JOIN gateways a ON a.profile_id = p.id AND a.status <> 'DEREGISTERED'
             WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND ${keyset('p', '$2', '$3')}
             ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
  commands: `SELECT c.* FROM commands c WHERE c.tenant_id = $1 AND c.gateway_id = $2 AND ${keyset('c', '$3', '$4')}
             ORDER BY c.created_at DESC, c.id DESC LIMIT $5`,
  audit: `SELECT e.* FROM audit_events e WHERE e.tenant_id = $1 AND ${keyset('e', '$2', '$3')}
          ORDER BY e.created_at DESC, e.id DESC LIMIT $4`,
  status: `SELECT kind, key, sum(n)::bigint AS n FROM (
             SELECT kind, key, n FROM tenant_counts WHERE tenant_id = $1
             UNION ALL SELECT kind, key, n FROM tenant_count_changes WHERE tenant_id = $1
           ) c GROUP BY kind, key HAVING sum(n) <> 0`,
} as const;
