import { describe, expect, it } from 'vitest';
import { refusedAddress, refusedUrl } from './ssrf-guard.js';

describe('webhook target guard', () => {
  it('refuses private, loopback, link-local and metadata addresses by default', () => {
    for (const address of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ])
      expect(refusedAddress(address, 'none'), address).not.toBeNull();
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])
      expect(refusedAddress(address, 'none')).toBeNull();
  });

  it('allows loopback only when configured, and private ranges only with `private`', () => {
    expect(refusedAddress('127.0.0.1', 'loopback')).toBeNull();
    expect(refusedAddress('::1', 'loopback')).toBeNull();
    expect(refusedAddress('10.0.0.1', 'loopback')).not.toBeNull();
    expect(refusedAddress('169.254.169.254', 'loopback')).not.toBeNull();
    expect(refusedAddress('10.0.0.1', 'private')).toBeNull();
  });

  it('refuses URLs that are not http(s), carry credentials or name a refused host', () => {
    expect(refusedUrl('ftp://example.com/x', 'none')).toMatch(/http/);
    expect(refusedUrl('https://user:pw@example.com/x', 'none')).toMatch(/credentials/);
    expect(refusedUrl('http://localhost:8080/hook', 'none')).toMatch(/loopback/);
    expect(refusedUrl('http://[::1]:8080/hook', 'none')).toMatch(/loopback/);
    expect(refusedUrl('http://169.254.169.254/latest/meta-data', 'loopback')).toMatch(/link-local/);
    expect(refusedUrl('https://hooks.example.com/gcp', 'none')).toBeNull();
    expect(refusedUrl('http://127.0.0.1:9999/hook', 'loopback')).toBeNull();
  });
});
