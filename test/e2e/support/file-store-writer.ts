// One process of node-file-key-store.test.ts's two on one key file: once the parent writes a
// line, sets `count` records `<prefix>/<i>` one after another (each a read, change and replace
// of the whole file), then says `done`.
import { fileKeyStore } from '../../../src/e2e/node-file-key-store.js';

const [path, prefix, count] = process.argv.slice(2);
const store = fileKeyStore(path!);
process.stdin.once('data', async () => {
  for (let i = 0; i < Number(count); i++) await store.set(`${prefix}/${i}`, { i, bytes: new Uint8Array([i]) });
  process.stdout.write('done\n');
  process.exit(0);
});
process.stdout.write('ready\n');
