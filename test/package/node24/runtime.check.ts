// Run only by test/package/node24/vitest.config.ts: fails unless the suite really runs on the
// Node major the caller asked for (COVETON_EXPECT_NODE_MAJOR).
import { expect, it } from 'vitest';

it('runs on the requested Node major', () => {
  const expected = process.env.COVETON_EXPECT_NODE_MAJOR;
  expect(expected, 'COVETON_EXPECT_NODE_MAJOR is not set').toMatch(/^\d+$/);
  expect(process.versions.node.split('.')[0]).toBe(expected);
});
