// Which test file starts first. Vitest's own order puts files it has no timings for (every file
// on a fresh CI clone) in glob order, so the longest ones could start last and run alone at the
// end while the other worker idles. These start first, longest first, as measured on a fresh
// clone; every other file keeps Vitest's order behind them. Groups (sequence.groupOrder) are
// unchanged.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first: seconds on a fresh clone, two files at a time (docs site includes its build). */
export const SLOWEST = [
  'test/docs/site.test.ts', // 132 s
  'test/package/package.test.ts', // 72 s
  'test/docs/samples-run.test.ts', // 54 s
  'test/mock/cli.test.ts', // 28 s
  'test/package/node24.test.ts', // 25 s
  'test/docs/reference-layout.test.ts', // 20 s
  'test/spec/lint-and-drift.test.ts', // 16 s
  'test/cli/contract-broken.test.ts', // 14 s
  'test/memory/e2e-file.test.ts', // 11 s
];

const rank = (spec: TestSpecification) => {
  const at = SLOWEST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return at === -1 ? SLOWEST.length : at;
};

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const group = (spec: TestSpecification) => spec.project.config.sequence.groupOrder;
    // A stable sort: within a group, listed files first, the rest in Vitest's order.
    return sorted.map((spec, i) => ({ spec, i })).sort((a, b) => group(a.spec) - group(b.spec) || rank(a.spec) - rank(b.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
