import { describe, expect, it } from 'vitest';
import { reportHash, type GatewayReport } from './node-report.js';

const node = (hostname: string, extra: object = {}) => ({
  hostname,
  ipAddress: `10.0.0.${hostname.length}`,
  cpuCores: 4,
  memoryMb: 8192,
  diskGb: 40,
  ready: true,
  apps: [
    { name: 'vprobe', status: 'RUNNING', restarts: 0 },
    { name: 'collector', status: 'RUNNING', restarts: 1 },
  ],
  ...extra,
});
const report = (nodes: object[], extra: Partial<GatewayReport> = {}): GatewayReport =>
  ({ softwareVersion: '0.9.6', configurationVersion: 3, nodes, ...extra }) as GatewayReport;

describe('reportHash', () => {
  it('is the same for the same facts in another order', () => {
    const a = report([node('n1'), node('n22')]);
    const b = report([
      node('n22', {
        apps: [
          { name: 'collector', status: 'RUNNING', restarts: 1 },
          { name: 'vprobe', status: 'RUNNING', restarts: 0 },
        ],
      }),
      node('n1'),
    ]);
    expect(reportHash(a)).toBe(reportHash(b));
  });

  it('is the same for the same prerequisite facts listed in another order', () => {
    const facts = (order: 1 | -1) => ({
      peers: [
        { hostname: 'a', address: '10.0.0.1', resolves: true, reachable: true },
        { hostname: 'b', address: null, resolves: false, reachable: true },
      ].sort(() => order),
      egress: [
        { endpoint: 'quay.io:443', reachable: true },
        { endpoint: 'ghcr.io:443', reachable: false },
      ].sort(() => order),
      microk8s: { running: true, addons: order === 1 ? ['dns', 'metallb'] : ['metallb', 'dns'] },
    });
    expect(reportHash(report([node('n1', facts(1))]))).toBe(reportHash(report([node('n1', facts(-1))])));
  });

  it.each([
    ['readiness', report([node('n1', { ready: false }), node('n22')])],
    [
      'an app status',
      report([
        node('n1', {
          apps: [
            { name: 'vprobe', status: 'CRASHLOOP', restarts: 0 },
            { name: 'collector', status: 'RUNNING', restarts: 1 },
          ],
        }),
        node('n22'),
      ]),
    ],
    [
      'an app restart',
      report([
        node('n1', {
          apps: [
            { name: 'vprobe', status: 'RUNNING', restarts: 1 },
            { name: 'collector', status: 'RUNNING', restarts: 1 },
          ],
        }),
        node('n22'),
      ]),
    ],
    ['a node size', report([node('n1', { memoryMb: 4096 }), node('n22')])],
    ['a node gone', report([node('n1')])],
    ['the software version', report([node('n1'), node('n22')], { softwareVersion: '1.0.0' })],
    ['the configuration version', report([node('n1'), node('n22')], { configurationVersion: 4 })],
    ['a hypervisor host', report([node('n1', { hypervisorHost: { id: 'host-1' } }), node('n22')])],
    ['the storage mount', report([node('n1', { storage: { mounted: false, writable: false } }), node('n22')])],
    ['a peer', report([node('n1', { peers: [{ hostname: 'n22', resolves: true, reachable: true }] }), node('n22')])],
    ['egress', report([node('n1', { egress: [{ endpoint: 'quay.io:443', reachable: false }] }), node('n22')])],
    ['MicroK8s', report([node('n1', { microk8s: { running: true, addons: ['dns'] } }), node('n22')])],
    ['the releases', report([node('n1', { releases: [{ name: 'gateway-manager', version: '0.9.6' }] }), node('n22')])],
    ["a node's software version", report([node('n1', { softwareVersion: '0.9.5' }), node('n22')])],
  ])('changes with %s', (_, changed) => {
    expect(reportHash(changed)).not.toBe(reportHash(report([node('n1'), node('n22')])));
  });
});
