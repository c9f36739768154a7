import { z } from 'zod';

export const MAX_NODES = 64;
export const MAX_APPS_PER_NODE = 100;

/** A non-empty string of at most `max` characters. */
export const text = (max: number) => z.string().min(1).max(max);
export const ipAddress = z.union([z.ipv4(), z.ipv6()]).meta({ example: '10.20.0.11' });

const appReport = z
  .object({
    name: text(100).meta({ example: 'vprobe' }),
    status: text(50).meta({ example: 'RUNNING' }),
    restarts: z.int().min(0).max(1_000_000_000).meta({ example: 0 }),
  })
  .meta({ id: 'AppReport' });

export const MAX_PEERS = 64;
export const MAX_EGRESS_ENDPOINTS = 32;
export const MAX_ADDONS = 64;
export const MAX_RELEASES = 64;

/**
 * The cluster guide's prerequisites as a node sees them (protocol v1 additions, all optional: a
 * gateway that does not report one is assessed "unknown" for it, never failed). See docs/gateway-protocol.md.
 */
const hypervisorHost = z
  .object({
    id: text(200).meta({
      description: 'the physical host, stable across reports (for ESXi, its managed object id or UUID)',
      example: 'host-1021',
    }),
    name: z.string().max(253).optional().meta({ example: 'esx-rack1-01.example.net' }),
  })
  .meta({ description: 'the physical server this VM runs on' });
const hypervisor = z
  .object({
    product: text(100).meta({ example: 'VMware ESXi' }),
    version: text(50).meta({ example: '7.0.3' }),
  })
  .meta({ description: 'the hypervisor of that host' });
const storage = z
  .object({
    server: z.string().max(253).optional().meta({ example: '172.26.111.203' }),
    path: z.string().max(1024).optional().meta({ example: '/shared/gw-1' }),
    mounted: z.boolean(),
    writable: z.boolean(),
  })
  .meta({ description: "the cluster's shared NFS volume as this node sees it" });
const peer = z
  .object({
    hostname: text(253).meta({ example: 'gw-node-2' }),
    address: z
      .string()
      .max(64)
      .optional()
      .meta({ description: 'what the hostname resolved to on this node; absent when it did not resolve', example: '10.20.0.12' }),
    resolves: z.boolean().meta({ description: 'the hostname resolved on this node' }),
    reachable: z.boolean().meta({ description: 'the peer answered a ping at its IP address' }),
  })
  .meta({ id: 'PeerReport' });
const egress = z
  .object({
    endpoint: text(300).meta({ example: 'registry-1.docker.io:443' }),
    reachable: z.boolean(),
  })
  .meta({ id: 'EgressReport' });
const microk8s = z
  .object({
    running: z.boolean(),
    version: z.string().max(50).optional().meta({ example: '1.28.3' }),
    addons: z
      .array(text(100))
      .max(MAX_ADDONS)
      .optional()
      .meta({ description: 'enabled add-ons', example: ['dns', 'metallb'] }),
  })
  .meta({ description: 'MicroK8s on this node' });
const release = z
  .object({
    name: text(200).meta({ example: 'gateway-manager' }),
    version: z.string().max(50).optional().meta({ example: '0.9.6' }),
  })
  .meta({ id: 'ReleaseReport' });

/** One node of the report of sections 1 and 3. */
export const nodeReport = z
  .object({
    hostname: text(253).meta({ example: 'gw-node-1' }),
    ipAddress,
    cpuCores: z.int().min(0).max(4096).meta({ example: 4 }),
    memoryMb: z
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .meta({ example: 8192 }),
    diskGb: z.int().min(0).max(1_000_000).meta({ example: 40 }),
    ready: z.boolean(),
    kubernetesVersion: z.string().max(50).optional().meta({ example: '1.28.3' }),
    apps: z.array(appReport).max(MAX_APPS_PER_NODE).optional(),
    softwareVersion: z
      .string()
      .max(50)
      .optional()
      .meta({ description: "this VM's gateway software version (the OVA it came from)", example: '0.9.6' }),
    hypervisorHost: hypervisorHost.optional(),
    hypervisor: hypervisor.optional(),
    storage: storage.optional(),
    peers: z.array(peer).max(MAX_PEERS).optional().meta({ description: 'each other node of the cluster as this node sees it' }),
    egress: z
      .array(egress)
      .max(MAX_EGRESS_ENDPOINTS)
      .optional()
      .meta({ description: 'outbound reachability of the service and the registries' }),
    microk8s: microk8s.optional(),
    releases: z.array(release).max(MAX_RELEASES).optional().meta({ description: 'the Helm releases installed in the cluster' }),
  })
  .meta({ id: 'NodeReport' });

export const nodeReports = z.array(nodeReport).min(1).max(MAX_NODES);
