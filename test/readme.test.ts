// The README shows the program `npm start` runs, word for word, and the two commands.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

describe('README', () => {
  it('holds the quickstart program exactly as examples/quickstart.ts', () => {
    expect(read('README.md')).toContain('```ts\n' + read('examples/quickstart.ts') + '```');
  });

  it('starts with the two commands', () => {
    const head = read('README.md').split('\n').slice(0, 20).join('\n');
    expect(head).toContain('npm ci && npm start');
    expect(head).toContain('npm ci && npm test');
  });
});
