import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Which non-public targets a webhook may call (WEBHOOK_ALLOWED_PRIVATE_TARGETS). */
export type PrivateTargets = 'none' | 'loopback' | 'private';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Private, link-local (cloud metadata), carrier-grade NAT, unspecified, multicast and reserved ranges. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** Why an address may not be called, or null when it may. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function refusedAddress(address: string, allowed: PrivateTargets): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (LOOPBACK.check(ip, family)) return allowed === 'none' ? `${address} is a loopback address` : null;
  if (NON_PUBLIC.check(ip, family)) return allowed === 'private' ? null : `${address} is a private, link-local or reserved address`;
  return null;
}

/**
 * Why a webhook URL is refused before any request is made (scheme, credentials, a literal address
 * or `localhost` that is not allowed), or null. Host names are checked again on every delivery, on
 * the addresses they resolve to (`guardedLookup`), so DNS cannot point one at an internal service later.
 */
export function refusedUrl(value: string, allowed: PrivateTargets): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http:// or https:// URL';
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refusedAddress(host, allowed);
  if ((host === 'localhost' || host.endsWith('.localhost')) && allowed === 'none') return `${host} is a loopback address`;
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses (with an error) a host resolving to an address not allowed. */
export function guardedLookup(allowed: PrivateTargets) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refused = refusedAddress(address, allowed);
        if (refused)
          return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${refused}`), { code: 'EREFUSED_TARGET' }), []);
      }
      const all = (options as { all?: boolean }).all;
      if (all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
