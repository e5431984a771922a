// The server side of the memory test, in its own process so its buffers never count against the
// SDK's: the stateful mock taking one upload of up to 80 MiB. Prints its URL, stops when stdin ends.
import { startMock } from '../../src/mock/index.js';

const mock = await startMock({ rateLimit: false, maxUploadBytes: 80 * 1024 * 1024 });
process.stdout.write(`${mock.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void mock.close().then(() => process.exit(0)));
