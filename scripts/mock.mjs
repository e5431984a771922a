#!/usr/bin/env node
// `npm run mock [-- --port 4010]`: serves the bundled contract on a validating Prism mock until
// Ctrl-C (or one hour).
import { startMock } from './lib/mock-server.mjs';

const portIndex = process.argv.indexOf('--port');
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 4010;
const mock = await startMock({ port, quiet: false });
console.log(`Coveton mock API on ${mock.url} (point the SDK at it: createCoveton({ baseUrl: '${mock.url}' }))`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => mock.stop().then(() => process.exit(0)));
