// The fetch build where it runs: this file is started by fetch-runtimes.mjs in Node, Bun and
// Deno alike and runs fetch-measure.mjs once, in one process. Node's fetch is undici, whose
// handling of a request's AbortSignal costs what Bun's and Deno's does not; browsers, workers,
// Bun and Deno are who get the fetch build (Chromium runs the same measure from a page).
//
// Arguments: the server's URL, the SDK entry's file URL, the API key, warm-up calls, calls per
// batch, rounds. Prints one JSON line.
import { measure } from './fetch-measure.mjs';

const [url, entry, key, warmupArg, callsArg, roundsArg] = process.argv.slice(2);
const [warmup, calls, rounds] = [warmupArg, callsArg, roundsArg].map(Number);
const { createCoveton } = await import(entry);
console.log(JSON.stringify(await measure(createCoveton, { url, key, warmup, calls, rounds })));
process.exit(0);
