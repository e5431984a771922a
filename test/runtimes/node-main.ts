// Entry for the runtimes that run a script (Node, Bun, Deno): the API URL is the first argument
// (the stateful mock's the second),
// the report goes to stdout as one JSON line. Deno runs it with default permissions plus
// --allow-net, so nothing here (or in the SDK) may read the environment or the disk.
import { run } from './program.js';

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const [baseUrl, mockUrl] = g.Deno ? g.Deno.args : g.process!.argv.slice(2);
run(String(baseUrl), String(mockUrl)).then(
  (report) => console.log(JSON.stringify(report)),
  (error: unknown) => {
    console.log(JSON.stringify({ failed: String((error as Error)?.stack ?? error) }));
  },
);
