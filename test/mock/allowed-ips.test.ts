// allowedIps takes "an IPv4 or IPv6 address, or a CIDR range of either" (IpRange.yaml): a key
// limited to IPv6 addresses or ranges works from them and nowhere else, an address matches in any
// of its spellings, and an IPv4 entry matches the IPv4-mapped IPv6 form a dual-stack socket reports.
import { describe, expect, it } from 'vitest';
import { ipAllowed } from '../../src/mock/credentials.js';
import { PEOPLE, httpClient, outcome } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false, host: '::1' });
const { call, signIn } = httpClient(() => mock().url);

describe('allowedIps, over HTTP from ::1', () => {
  it('IPv6 addresses and ranges that hold ::1 let the key in; others are 403 ip_not_allowed', async () => {
    const { accessToken: token } = await signIn(PEOPLE.ada);
    const from = async (allowedIps: string[]) => {
      const key = await call('POST', '/api-keys', { token, body: { name: `only ${allowedIps.join(' ')}`, type: 'service', environment: 'sandbox', allowedIps } });
      expect(key.status, allowedIps.join(' ')).toBe(201);
      return outcome(await call('GET', '/utils/authtest', { headers: { 'x-api-key': key.body.secret } })).status;
    };
    const statuses: Record<string, number> = {};
    for (const allowed of ['::1', '::1/128', '::/0', '0:0:0:0:0:0:0:1', '::0:1/127', '::2', 'fe80::/10', '127.0.0.1', '0.0.0.0/0']) statuses[allowed] = await from([allowed]);
    expect(statuses).toEqual({ '::1': 200, '::1/128': 200, '::/0': 200, '0:0:0:0:0:0:0:1': 200, '::0:1/127': 200, '::2': 403, 'fe80::/10': 403, '127.0.0.1': 403, '0.0.0.0/0': 403 });
    const refused = await call('POST', '/api-keys', { token, body: { name: 'elsewhere', type: 'service', environment: 'sandbox', allowedIps: ['2001:db8::/32'] } });
    expect(outcome(await call('GET', '/utils/authtest', { headers: { 'x-api-key': refused.body.secret } }))).toEqual({ status: 403, code: 'FORBIDDEN', reason: 'ip_not_allowed' });
  });
});

describe('ipAllowed', () => {
  it('IPv4 entries match the IPv4-mapped IPv6 address of the same host, in both directions', () => {
    expect(ipAllowed('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('::ffff:10.1.2.3', ['10.1.2.3'])).toBe(true);
    expect(ipAllowed('10.1.2.3', ['::ffff:10.1.2.3'])).toBe(true);
    expect(ipAllowed('10.1.2.3', ['::ffff:10.0.0.0/104'])).toBe(true);
    expect(ipAllowed('::ffff:11.1.2.3', ['10.0.0.0/8'])).toBe(false);
  });

  it('ranges hold what their prefix says, no more; entries that are no address never match', () => {
    expect(ipAllowed('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipAllowed('2001:db9::1', ['2001:db8::/32'])).toBe(false);
    expect(ipAllowed('192.168.1.255', ['192.168.1.0/24'])).toBe(true);
    expect(ipAllowed('192.168.2.0', ['192.168.1.0/24'])).toBe(false);
    expect(ipAllowed('127.0.0.1', ['1:2:3/64', ':::/0', '300.0.0.1', 'x', '127.0.0.1/33'])).toBe(false);
  });
});
