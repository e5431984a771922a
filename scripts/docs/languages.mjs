// The twelve sample languages of the reference (the row the Coveton API reference seed shows),
// in switcher order. The samples are written by samples/scripts.mjs and samples/compiled.mjs
// (TypeScript from the SDK, samples/typescript.mjs). `highlight` is Shiki's language id,
// `grammar` the tree-sitter grammar (tree-sitter-wasms) the tests parse the sample with. `parsedOnly`
// says why a language's samples are parsed but not run against the mock by
// test/docs/samples-run.test.ts (which checks this list against its runners); the site says so.
export const LANGUAGES = [
  { id: 'curl', label: 'cURL', highlight: 'bash', grammar: 'bash' },
  { id: 'javascript', label: 'JavaScript', highlight: 'js', grammar: 'javascript' },
  { id: 'typescript', label: 'TypeScript', highlight: 'ts', grammar: 'typescript' },
  { id: 'python', label: 'Python', highlight: 'python', grammar: 'python' },
  { id: 'php', label: 'PHP', highlight: 'php', grammar: 'php' },
  { id: 'ruby', label: 'Ruby', highlight: 'ruby', grammar: 'ruby' },
  { id: 'go', label: 'Go', highlight: 'go', grammar: 'go' },
  { id: 'java', label: 'Java', highlight: 'java', grammar: 'java' },
  { id: 'csharp', label: 'C#', highlight: 'csharp', grammar: 'c_sharp' },
  { id: 'rust', label: 'Rust', highlight: 'rust', grammar: 'rust', parsedOnly: 'reqwest and tokio come from crates.io, which the test machines do not reach' },
  { id: 'swift', label: 'Swift', highlight: 'swift', grammar: 'swift', parsedOnly: 'Debian has no Swift toolchain' },
  { id: 'kotlin', label: 'Kotlin', highlight: 'kotlin', grammar: 'kotlin' },
];

/** One sentence for the site: which languages' samples are run against the mock, which only parsed. */
export function proofSentence() {
  const run = LANGUAGES.filter((l) => !l.parsedOnly).map((l) => l.label);
  const parsed = LANGUAGES.filter((l) => l.parsedOnly).map((l) => `${l.label} (${l.parsedOnly})`);
  return `Every operation's samples in ${run.slice(0, -1).join(', ')} and ${run.at(-1)} are run against the mock by the docs' tests; ${parsed.length ? `those in ${parsed.join(' and ')} are parsed, not run.` : 'all of them.'}`;
}

