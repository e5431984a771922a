// What an editor shows a consumer of the installed package: TypeScript's own printing of the
// type of each variable a file declares (the text of its hover), and the declaration file the
// compiler emits for it. New-user review finding 5: resource methods hovered as
// `Promise<{ allowedIps: string[]; ... 5 more ...}>` where docs/guides/getting-started.md
// promises `Promise<ApiKey>`, because the models were type aliases, which TypeScript expands.
import { join } from 'node:path';
import ts from 'typescript';

export interface Shown {
  /** Variable name -> its type as `checker.typeToString` prints it, as a hover does. */
  hovers: Record<string, string>;
  /** The emitted `.d.ts` (or `.d.mts`) of the file. */
  declaration: string;
  /** Compile errors, one line each: an unresolved import would make every type `any`. */
  errors: string[];
}

/** Compiles `file` of the consumer project `dir` under node16 resolution, strict. */
export function shownTypes(dir: string, file: string): Shown {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
  };
  const path = join(dir, file);
  const program = ts.createProgram([path], options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(path);
  if (!source) throw new Error(`${path} is not in the program`);
  const hovers: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) hovers[node.name.text] = checker.typeToString(checker.getTypeAtLocation(node.name));
    ts.forEachChild(node, visit);
  };
  visit(source);
  let declaration = '';
  program.emit(source, (_name, text) => (declaration = text), undefined, true);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { hovers, declaration, errors };
}
