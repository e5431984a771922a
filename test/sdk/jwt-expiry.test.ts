// The `exp` of an access token is read from its base64url payload, which carries no padding:
// atob decodes it without (the forgiving base64 of the HTML spec), whatever its length.
import { describe, expect, it } from 'vitest';
import { jwtExpiry } from '../../src/session/tokens.js';

const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('jwtExpiry', () => {
  it('reads exp from an unpadded payload of every length, with - and _ in it', () => {
    const lengths = new Set<number>();
    for (let pad = 0; pad < 4; pad++) {
      const claims = { exp: 1_800_000_000, sub: `usr_${'x'.repeat(pad)}`, bin: '\u00fb\u00ff\u00fe' };
      lengths.add(token(claims).split('.')[1]!.length % 4);
      expect(jwtExpiry(token(claims))).toBe(1_800_000_000_000);
    }
    expect(lengths).toEqual(new Set([0, 2, 3]));
    expect(token({ bin: '\u00fb\u00ff\u00fe' })).toMatch(/[-_]/);
  });

  it('an opaque token, a payload that is not JSON or not base64, or exp not a number: undefined', () => {
    for (const t of ['opaque_access_1', 'a.!!!.c', `a.${Buffer.from('not json').toString('base64url')}.c`, token({ exp: '1800000000' }), token({})]) {
      expect(jwtExpiry(t)).toBeUndefined();
    }
  });
});
