import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AppReport, ClusterReport, NodeReport } from '../protocol/types.js';
import type { InventoryProvider, InventoryReport } from './inventory.js';

/** The parts of `kubectl get nodes,pods -o json` the report reads. */
interface KubeObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; generateName?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: {
    addresses?: { type: string; address: string }[];
    capacity?: Record<string, string>;
    conditions?: { type: string; status: string }[];
    nodeInfo?: { kubeletVersion?: string };
    phase?: string;
    containerStatuses?: { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string } } }[];
  };
}

const SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  m: 1e-3,
  '': 1,
};

/** A Kubernetes quantity ("16318460Ki", "4", "3500m", "2G") as a plain number. */
export function parseQuantity(quantity: string | undefined): number {
  const match = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec((quantity ?? '').trim());
  if (!match) return 0;
  const factor = SUFFIXES[match[2]];
  return factor === undefined ? 0 : Number(match[1]) * factor;
}

/** A pod's app name: its `app.kubernetes.io/name` or `app` label, else its name without the generated suffix. */
function appName(pod: KubeObject): string {
  const labels = pod.metadata?.labels ?? {};
  const generated = pod.metadata?.generateName?.replace(/-$/, '').replace(/-[a-z0-9]{6,10}$/, '');
  return (labels['app.kubernetes.io/name'] ?? labels.app ?? labels['k8s-app'] ?? generated ?? pod.metadata?.name ?? 'unknown').slice(
    0,
    100,
  );
}

/** RUNNING, NOT_READY, CRASHLOOP, or the pod's phase in upper case (PENDING, SUCCEEDED, FAILED, UNKNOWN). */
function appStatus(pod: KubeObject): string {
  const containers = pod.status?.containerStatuses ?? [];
  if (containers.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff')) return 'CRASHLOOP';
  const phase = (pod.status?.phase ?? 'Unknown').toUpperCase();
  if (phase === 'RUNNING' && containers.some((c) => c.ready === false)) return 'NOT_READY';
  return phase;
}

export interface MicroK8sOptions {
  /** Namespaces whose pods are not reported as apps; default kube-system. */
  skipNamespaces?: string[];
  /** The cluster's load balancer and shared storage, reported at registration. */
  cluster?: ClusterReport;
  /** Runs kubectl and answers its standard output; default `microk8s kubectl …`. */
  kubectl?: (args: string[]) => Promise<string>;
}

const run = promisify(execFile);
const microk8sKubectl = async (args: string[]) =>
  (await run('microk8s', ['kubectl', ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 20_000 })).stdout;

/** Turns the JSON of `kubectl get nodes,pods -A -o json` into the node report. */
export function nodesFromKubectl(json: string, skipNamespaces: string[] = ['kube-system']): NodeReport[] {
  const items = (JSON.parse(json) as { items?: KubeObject[] }).items ?? [];
  const pods = items.filter((item) => item.kind === 'Pod' && !skipNamespaces.includes(item.metadata?.namespace ?? ''));
  return items
    .filter((item) => item.kind === 'Node')
    .map((node) => {
      const name = node.metadata?.name ?? 'unknown';
      const status = node.status ?? {};
      const capacity = status.capacity ?? {};
      const address = status.addresses?.find((a) => a.type === 'InternalIP') ?? status.addresses?.find((a) => a.type === 'ExternalIP');
      const apps: AppReport[] = pods
        .filter((pod) => pod.spec?.nodeName === name)
        .map((pod) => ({
          name: appName(pod),
          status: appStatus(pod),
          restarts: (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
        }))
        .slice(0, 100);
      return {
        hostname: name,
        ipAddress: address?.address ?? '0.0.0.0',
        cpuCores: Math.floor(parseQuantity(capacity.cpu)),
        memoryMb: Math.floor(parseQuantity(capacity.memory) / 2 ** 20),
        diskGb: Math.floor(parseQuantity(capacity['ephemeral-storage']) / 2 ** 30),
        ready: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        ...(status.nodeInfo?.kubeletVersion ? { kubernetesVersion: status.nodeInfo.kubeletVersion.replace(/^v/, '') } : {}),
        apps,
      };
    });
}

/** A gateway cluster: its MicroK8s nodes, their readiness and Kubernetes version, and the apps (pods) on each. */
export class MicroK8sInventory implements InventoryProvider {
  constructor(private readonly options: MicroK8sOptions = {}) {}

  async collect(): Promise<InventoryReport> {
    const kubectl = this.options.kubectl ?? microk8sKubectl;
    const nodes = nodesFromKubectl(await kubectl(['get', 'nodes,pods', '--all-namespaces', '-o', 'json']), this.options.skipNamespaces);
    if (nodes.length === 0) throw new Error('kubectl reported no nodes');
    return { nodes, ...(this.options.cluster ? { cluster: this.options.cluster } : {}) };
  }
}
