// Where requests go: what the code says wins over the process environment, two answers in the
// code are refused, and an environment is one of the API's own (new-user review, findings 1
// and 14).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton, CovetonInputError } from '../../src/index.js';

afterEach(() => vi.unstubAllEnvs());

/** A fetch that records the URL of every request it is given. */
function recorder() {
  const urls: string[] = [];
  const fetch = async (r: Request) => {
    urls.push(r.url);
    return new Response('{"msg":"Auth successful"}', { headers: { 'Content-Type': 'application/json' } });
  };
  return { urls, fetch };
}

function refusal(options: object): CovetonInputError | undefined {
  try {
    createCoveton(options as never);
  } catch (error) {
    return error as CovetonInputError;
  }
  return undefined;
}

describe('where requests go', () => {
  it('sends to the environment the code names, whatever COVETON_BASE_URL says; without one, COVETON_BASE_URL wins over production', async () => {
    vi.stubEnv('COVETON_BASE_URL', 'http://127.0.0.1:4010');
    const { urls, fetch } = recorder();
    await createCoveton({ environment: 'sandbox', fetch }).utils.testAuth();
    await createCoveton({ environment: 'production', fetch }).utils.testAuth();
    await createCoveton({ fetch }).utils.testAuth();
    await createCoveton({ baseUrl: 'https://api.example.test/v1', fetch }).utils.testAuth();
    expect(urls).toEqual([
      'https://sandbox.api.coveton.com/v1/utils/authtest',
      'https://api.coveton.com/v1/utils/authtest',
      'http://127.0.0.1:4010/utils/authtest',
      'https://api.example.test/v1/utils/authtest',
    ]);
  });

  it('refuses baseUrl and environment given together, naming both, before anything is sent', () => {
    const { urls, fetch } = recorder();
    const error = refusal({ baseUrl: 'https://api.example.test/v1', environment: 'sandbox', fetch });
    expect(error).toBeInstanceOf(CovetonInputError);
    expect([error!.field, error!.message]).toEqual(['baseUrl', 'baseUrl: replaces environment: pass one of them']);
    expect(urls).toEqual([]);
    // Left undefined, either one means "not given" (process.env.X unset, say).
    expect(refusal({ baseUrl: undefined, environment: 'sandbox', fetch })).toBeUndefined();
    expect(refusal({ baseUrl: 'https://api.example.test/v1', environment: undefined, fetch })).toBeUndefined();
  });

  it("refuses a name of Object.prototype as an environment, naming the valid ones, not as a bad baseUrl", () => {
    for (const environment of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'staging']) {
      const error = refusal({ environment });
      expect(error, environment).toBeInstanceOf(CovetonInputError);
      expect([error!.field, error!.message]).toEqual(['environment', `environment: must be 'production' or 'sandbox', got "${environment}"`]);
    }
  });
});
