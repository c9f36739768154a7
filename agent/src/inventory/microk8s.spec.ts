import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MicroK8sInventory, nodesFromKubectl, parseQuantity } from './microk8s.js';

const fixture = () => readFile(new URL('../../test/fixtures/microk8s-get-nodes-pods.json', import.meta.url), 'utf8');

describe('MicroK8s inventory', () => {
  it('reads quantities as Kubernetes writes them', () => {
    expect(parseQuantity('4')).toBe(4);
    expect(parseQuantity('3500m')).toBe(3.5);
    expect(parseQuantity('16318460Ki')).toBe(16318460 * 1024);
    expect(parseQuantity('2Gi')).toBe(2 * 1024 ** 3);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('nonsense')).toBe(0);
    expect(parseQuantity(undefined)).toBe(0);
  });

  it('turns a recorded `kubectl get nodes,pods -o json` into nodes with readiness, version, sizes and apps (kube-system left out)', async () => {
    const nodes = nodesFromKubectl(await fixture());
    expect(nodes).toEqual([
      {
        hostname: 'gw-node-1',
        ipAddress: '10.20.0.11',
        cpuCores: 4,
        memoryMb: 15935,
        diskGb: 97,
        ready: true,
        kubernetesVersion: '1.28.3',
        apps: [{ name: 'vprobe', status: 'RUNNING', restarts: 0 }],
      },
      {
        hostname: 'gw-node-2',
        ipAddress: '10.20.0.12',
        cpuCores: 4,
        memoryMb: 15935,
        diskGb: 97,
        ready: true,
        kubernetesVersion: '1.28.3',
        apps: [
          { name: 'vprobe', status: 'RUNNING', restarts: 2 },
          { name: 'collector', status: 'CRASHLOOP', restarts: 8 },
        ],
      },
      {
        hostname: 'gw-node-3',
        ipAddress: '10.20.0.13',
        cpuCores: 2,
        memoryMb: 7841,
        diskGb: 48,
        ready: false,
        kubernetesVersion: '1.28.3',
        apps: [{ name: 'discovery', status: 'PENDING', restarts: 0 }],
      },
    ]);
  });

  it('reports system pods when asked to, and the cluster facts given to it', async () => {
    const json = await fixture();
    const calls: string[][] = [];
    const inventory = new MicroK8sInventory({
      skipNamespaces: [],
      cluster: { loadBalancerIp: '172.25.252.5' },
      kubectl: async (args) => {
        calls.push(args);
        return json;
      },
    });
    const report = await inventory.collect();
    expect(calls).toEqual([['get', 'nodes,pods', '--all-namespaces', '-o', 'json']]);
    expect(report.cluster).toEqual({ loadBalancerIp: '172.25.252.5' });
    expect(report.nodes[0].apps!.map((app) => app.name)).toEqual(['calico-node', 'vprobe']);
    expect(report.nodes[1].apps!.map((app) => app.name)).toEqual(['kube-dns', 'vprobe', 'collector']);
  });

  it('an empty cluster or a failing kubectl is an error (the agent then keeps its previous report)', async () => {
    await expect(new MicroK8sInventory({ kubectl: async () => '{"kind":"List","items":[]}' }).collect()).rejects.toThrow('no nodes');
    await expect(
      new MicroK8sInventory({ kubectl: async () => Promise.reject(new Error('microk8s: not found')) }).collect(),
    ).rejects.toThrow('not found');
  });
});
