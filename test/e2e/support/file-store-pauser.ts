// A process of node-file-key-store.test.ts that stops itself inside a write: it sets `key`, and
// the first time the store calls `call` (fs/promises `readFile` of the key file: just read under
// the lock; `rename`: about to replace the file) it says `holding` and sends itself SIGSTOP, as
// a paused process or a stalled disk would stop; the parent continues it with SIGCONT.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const [path, key, call] = process.argv.slice(2) as [string, string, 'readFile' | 'rename'];
const fsp = createRequire(import.meta.url)('node:fs/promises') as Record<string, (...args: unknown[]) => Promise<unknown>>;
const original = fsp[call]!;
let paused = false;
fsp[call] = async (...args: unknown[]) => {
  const stop = !paused && (call === 'rename' || args[0] === path);
  if (stop && call === 'readFile') {
    const result = await original(...args);
    paused = true;
    process.stdout.write('holding\n');
    process.kill(process.pid, 'SIGSTOP');
    return result;
  }
  if (stop) {
    paused = true;
    process.stdout.write('holding\n');
    process.kill(process.pid, 'SIGSTOP');
  }
  return original(...args);
};
syncBuiltinESMExports();
const { fileKeyStore } = await import('../../../src/e2e/node-file-key-store.js');
await fileKeyStore(path).set(key, `from ${key}`);
process.stdout.write('done\n');
