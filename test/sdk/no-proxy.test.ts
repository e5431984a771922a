// NO_PROXY as curl reads it, decided without a socket: one row per entry and URL.
import { describe, expect, it } from 'vitest';
import { bypassesProxy, parseNoProxy } from '../../src/transport/no-proxy.js';

const rows: [noProxy: string, url: string, direct: boolean][] = [
  ['', 'http://127.0.0.1/', false],
  ['*', 'https://api.coveton.com/', true],
  ['*, example.com', 'http://10.1.2.3/', true],
  // names: the host and everything below it, with or without a leading dot or star
  ['coveton.com', 'https://coveton.com/', true],
  ['coveton.com', 'https://api.coveton.com/', true],
  ['.coveton.com', 'https://api.coveton.com/', true],
  ['.coveton.com', 'https://coveton.com/', true],
  ['*.coveton.com', 'https://api.coveton.com/', true],
  ['coveton.com', 'https://notcoveton.com/', false],
  ['COVETON.com.', 'https://API.coveton.com/', true],
  ['localhost', 'http://127.0.0.1/', false],
  // IPv4: addresses and ranges
  ['127.0.0.1', 'http://127.0.0.1:8080/', true],
  ['127.0.0.0/8', 'http://127.255.0.1/', true],
  ['10.0.0.0/8', 'http://11.0.0.1/', false],
  ['192.168.1.0/24', 'http://192.168.1.77/', true],
  ['192.168.1.0/24', 'http://192.168.2.77/', false],
  ['0.0.0.0/0', 'http://8.8.8.8/', true],
  ['10.0.0.0/33', 'http://10.0.0.1/', false], // no such range: ignored
  // IPv6: literals bare or bracketed, ranges, an IPv4 tail
  ['::1', 'http://[::1]:4010/', true],
  ['[::1]', 'http://[::1]/', true],
  ['0:0:0:0:0:0:0:1', 'http://[::1]/', true],
  ['::1', 'http://127.0.0.1/', false],
  ['::2', 'http://[::1]/', false],
  ['fe80::/10', 'http://[fe80::1234]/', true],
  ['fe80::/10', 'http://[fec0::1]/', false],
  ['2001:db8::/32', 'https://[2001:db8:ffff::1]/', true],
  ['2001:db8::/32', 'https://[2001:db9::1]/', false],
  ['::ffff:10.0.0.0/104', 'http://[::ffff:10.9.8.7]/', true],
  ['::/0', 'http://[2606:4700::1]/', true],
  ['::/0', 'http://10.0.0.1/', false],
  // ports: only that port; the scheme's default when the URL names none
  ['[::1]:4010', 'http://[::1]:4010/', true],
  ['[::1]:4010', 'http://[::1]:4011/', false],
  ['127.0.0.1:80', 'http://127.0.0.1/', true],
  ['api.coveton.com:443', 'https://api.coveton.com/', true],
  ['api.coveton.com:443', 'http://api.coveton.com/', false],
  ['api.coveton.com:x', 'https://api.coveton.com/', false], // not a port: ignored
  // lists: commas and spaces
  ['example.com 10.0.0.0/8,  ::1', 'http://10.2.3.4/', true],
  ['example.com,,10.0.0.0/8', 'http://[::1]/', false],
];

describe('NO_PROXY', () => {
  it.each(rows)('NO_PROXY=%j, %s: direct %s', (noProxy, url, direct) => {
    expect(bypassesProxy(new URL(url), parseNoProxy(noProxy))).toBe(direct);
  });
});
