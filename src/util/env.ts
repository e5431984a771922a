// Reading an environment variable must never throw and never prompt. Deno 2 throws NotCapable
// from `process.env.X` (and prompts on a terminal) without --allow-env, so its permission is
// asked first, quietly; browsers and workers have no `process` at all.

interface DenoLike {
  permissions?: { querySync?: (descriptor: { name: 'env'; variable: string }) => { state: string } };
}

/** The variable's value, or undefined when it is unset, empty, or not readable here. */
export function readEnv(name: string): string | undefined {
  try {
    const deno = (globalThis as { Deno?: DenoLike }).Deno;
    if (deno?.permissions?.querySync && deno.permissions.querySync({ name: 'env', variable: name }).state !== 'granted') return undefined;
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
