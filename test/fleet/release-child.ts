// A process whose refreshed pair's write Redis refused once (then its lock's release sends it
// again later), and that then closes its Redis client with nothing else to do. It prints the
// ref'd handles left (what keeps a process alive) and should then exit on its own, well before
// `lockWait`. Run by redis-refresh-outcomes.test.ts, bundled, with REDIS_URL set.
import { createClient } from 'redis';
import { redisTokenStore } from '../../src/redis/index.js';

const client = await createClient({ url: process.env.REDIS_URL }).connect();
let refused = 0;
let armed = false;
const refusing = {
  evalSha: (sha: string, o: { keys: string[]; arguments: string[] }) => client.evalSha(sha, o),
  eval: (source: string, o: { keys: string[]; arguments: string[] }) =>
    !o.keys[0]!.endsWith(':lock') && o.arguments.length >= 3 && armed && refused++ === 0
      ? Promise.reject(new Error("READONLY You can't write against a read only replica."))
      : client.eval(source, o),
};
const pair = (n: number) => ({ accessToken: `at_${n}`, refreshToken: `rt_${n}_secret` });
const store = redisTokenStore(refusing as never, { key: 'k:child', lockWait: 600_000 });
await store.set(pair(1));
armed = true;
const write = await store.lock!(async () => {
  await store.claim!('rt_1_secret');
  return Promise.resolve(store.set(pair(2), 'rt_1_secret')).then(() => 'landed', () => 'refused');
});
client.destroy(); // the application is done
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify({ write, handles: process.getActiveResourcesInfo().filter((what) => what === 'Timeout') }));
