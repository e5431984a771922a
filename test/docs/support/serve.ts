// The built site served by `npm run docs:serve` (scripts/docs/serve.mjs) on a free port of
// 127.0.0.1: the documented way to serve it, so what the tests measure is what a reader gets
// (the pre-compressed files, clean URLs, the 404 page).
// @ts-expect-error: plain .mjs modules without types
import { serveDocs } from '../../../scripts/docs/serve.mjs';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export function serve(dir: string): Promise<StaticServer> {
  return serveDocs(dir);
}
