// `coveton api-keys list` on a terminal against a server that never stops paging: every page is
// printed before the next one is asked for (the table holds no rows: its widths come from the
// first page), and --limit ends the walk exactly. Run in process with a terminal that counts lines.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKey, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();

/** A 100-column terminal that keeps only how many lines it got. */
class CountingTerminal extends Writable {
  lines = 0;
  isTTY = true;
  columns = 100;
  override _write(chunk: string | Buffer, _encoding: string, done: () => void): void {
    for (const char of String(chunk)) if (char === '\n') this.lines++;
    done();
  }
}

describe('api-keys list on a terminal, pages without end', () => {
  // 100 pages: the fixture's rate-limit headers (120 a minute) would make the SDK wait past that.
  it('prints each page before asking for the next, and stops at --limit', async () => {
    const stdout = new CountingTerminal();
    const printedWhenAsked: number[] = [];
    let next = 10_000_000;
    const server = await serve((req, res) => {
      printedWhenAsked.push(stdout.lines);
      const limit = Number(new URL(req.path, 'http://x').searchParams.get('limit'));
      json(res, 200, Array.from({ length: limit }, () => apiKey(`key_${next--}`)));
    });
    const stderr = new PassThrough().resume();
    const stdin = new PassThrough();
    stdin.end();
    const args = ['api-keys', 'list', '--page-size', '100', '--limit', '10000', '--base-url', server.url, '--api-key', TEST_KEY];
    const code = await run(args, { stdout, stderr, stdin, env: { TERM: 'xterm-256color', NO_COLOR: '1' } });
    expect(code).toBe(0);
    expect(stdout.lines).toBe(1 + 10000); // the header, then exactly the limit
    expect(server.requests).toHaveLength(100);
    // Page k is asked for once the k-1 pages before it are on the terminal (plus the header).
    expect(printedWhenAsked).toEqual(printedWhenAsked.map((_, k) => (k === 0 ? 0 : 1 + 100 * k)));
  }, 30_000);
});
