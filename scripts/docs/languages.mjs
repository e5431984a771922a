// The twelve sample languages of the reference (the row the Coveton API reference seed shows),
// in switcher order. The samples are written by samples/scripts.mjs and samples/compiled.mjs
// (TypeScript from the SDK, samples/typescript.mjs). `highlight` is Shiki's language id,
// `grammar` the tree-sitter grammar (tree-sitter-wasms) the tests parse the sample with.
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
  { id: 'rust', label: 'Rust', highlight: 'rust', grammar: 'rust' },
  { id: 'swift', label: 'Swift', highlight: 'swift', grammar: 'swift' },
  { id: 'kotlin', label: 'Kotlin', highlight: 'kotlin', grammar: 'kotlin' },
];
