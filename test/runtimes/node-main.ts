// Entry for the runtimes that run a script (Node, Bun, Deno): the API URL is the first argument,
// the report goes to stdout as one JSON line. Deno runs it with default permissions plus
// --allow-net, so nothing here (or in the SDK) may read the environment or the disk.
import { run } from './program.js';

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const baseUrl = g.Deno ? g.Deno.args[0] : g.process?.argv[2];
run(String(baseUrl)).then(
  (report) => console.log(JSON.stringify(report)),
  (error: unknown) => {
    console.log(JSON.stringify({ failed: String((error as Error)?.stack ?? error) }));
  },
);
