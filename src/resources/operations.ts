// The generated operation table (generated/resources.ts) holds one compact row per operation,
// `METHOD /path flags... >returns`, so that the browser bundle carries a few bytes
// per operation instead of an object. Every derived fact is read from the row, here:
//   B / b   a request body, required / optional       Q / q   query parameters, required / optional
//   I       takes an Idempotency-Key                  P<n>:<min>-<max>  a page list, default limit n,
//                                                     the spec's range of limit min to max
//   R       the answer is a redirect (OAuth starts)   U       public: no session token
//   O       a one-time credential rides on it: repeat only if it never reached the server
//   >a >o >v  the success body: an array, an object, another JSON value (none: no body)
import type { OperationSpec } from './types.js';

const RETURNS = { a: 'array', o: 'object', v: 'value' } as const;

export function decodeOperation(row: string): OperationSpec {
  const [method, path, ...flags] = row.split(' ') as [OperationSpec['method'], string, ...string[]];
  const has = (flag: string) => flags.includes(flag);
  const page = flags.find((f) => f[0] === 'P');
  const returns = flags.find((f) => f[0] === '>');
  return {
    method,
    path,
    pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
    body: has('B') ? 'required' : has('b') ? 'optional' : 'none',
    query: has('Q') ? 'required' : has('q') ? 'optional' : 'none',
    idempotent: has('I'),
    pageSize: page?.split(/\D+/).slice(1).map(Number) as OperationSpec['pageSize'],
    redirect: has('R'),
    public: has('U'),
    ...(has('O') ? { repeat: 'if-not-sent' as const } : {}),
    returns: returns ? RETURNS[returns.slice(1) as keyof typeof RETURNS] : 'nothing',
  };
}
