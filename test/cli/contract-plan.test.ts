// Which operations `coveton contract` leaves out, and the reason it prints for each: the reason
// must be true of how probes travel now (Prism forwards through src/tools/relay.ts, which follows
// nothing and strips a 3xx's Location), not of Prism's own forwarder.
import { describe, expect, it } from 'vitest';
import { planProbes } from '../../src/cli/contract/probes.js';

describe('coveton contract: the operations it does not call', () => {
  it('the OAuth starts are skipped because their 302 reaches Prism without its Location, the callback because it spends a code', () => {
    const { skipped } = planProbes();
    expect(Object.fromEntries(skipped.map((s) => [s.operationId, s.reason]))).toEqual({
      startGoogleOAuth: 'a redirect to the OAuth provider: its Location is removed on the way so that nothing follows it, which leaves the declared 302 nothing to grade',
      startGithubOAuth: 'a redirect to the OAuth provider: its Location is removed on the way so that nothing follows it, which leaves the declared 302 nothing to grade',
      completeOAuth: 'not safe: it exchanges a one-time OAuth code for tokens',
    });
  });
});
