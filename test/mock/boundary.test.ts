// The mock is Node only: nothing the SDK's browser entry points reach may import it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

describe('src/mock stays out of the SDK', () => {
  it('is imported only by the CLI and by itself', () => {
    const importers = walk(src)
      .filter((f) => f.endsWith('.ts') && !f.includes('/mock/') && !f.includes('/cli/'))
      .filter((f) => /from ['"][./]+\/?mock\//.test(readFileSync(f, 'utf8')));
    expect(importers).toEqual([]);
  });
});
