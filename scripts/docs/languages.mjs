// The twelve sample languages of the reference (the row the Coveton API reference seed shows),
// in switcher order. `snippet` names the httpsnippet target and client that writes the sample;
// TypeScript is written from the SDK instead. `highlight` is Shiki's language id, `grammar` the
// tree-sitter grammar (tree-sitter-wasms) the tests parse the sample with.
export const LANGUAGES = [
  { id: 'curl', label: 'cURL', highlight: 'bash', grammar: 'bash', snippet: ['shell', 'curl'] },
  { id: 'javascript', label: 'JavaScript', highlight: 'js', grammar: 'javascript', snippet: ['javascript', 'fetch'] },
  { id: 'typescript', label: 'TypeScript', highlight: 'ts', grammar: 'typescript', snippet: null },
  { id: 'python', label: 'Python', highlight: 'python', grammar: 'python', snippet: ['python', 'requests'] },
  { id: 'php', label: 'PHP', highlight: 'php', grammar: 'php', snippet: ['php', 'guzzle'] },
  { id: 'ruby', label: 'Ruby', highlight: 'ruby', grammar: 'ruby', snippet: ['ruby', 'native'] },
  { id: 'go', label: 'Go', highlight: 'go', grammar: 'go', snippet: ['go', 'native'] },
  { id: 'java', label: 'Java', highlight: 'java', grammar: 'java', snippet: ['java', 'nethttp'] },
  { id: 'csharp', label: 'C#', highlight: 'csharp', grammar: 'c_sharp', snippet: ['csharp', 'httpclient'] },
  { id: 'rust', label: 'Rust', highlight: 'rust', grammar: 'rust', snippet: ['rust', 'reqwest'] },
  { id: 'swift', label: 'Swift', highlight: 'swift', grammar: 'swift', snippet: ['swift', 'nsurlsession'] },
  { id: 'kotlin', label: 'Kotlin', highlight: 'kotlin', grammar: 'kotlin', snippet: ['kotlin', 'okhttp'] },
];
