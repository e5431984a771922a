// The import rules of src/ (drawn in src/README.md and each folder's README), enforced:
// `npx depcruise src generated --config .dependency-cruiser.cjs` fails on any import a folder
// may not make; test/architecture/imports.test.ts runs it in `npm test`.
//
// Layers of the SDK core, bottom to top; a layer imports only those below it:
//   public/ (types only) < errors/ < util/ < transport/ < pipeline/ < session/ < resources/
//   < client.ts, options.ts, index.ts, index.node.ts (the entries and what assembles a client)
// Beside the core: webhooks/ (standalone entry), redis/ (entry; the store interfaces and the
// memory store), e2e/ (entry; the SDK only through its public entry), tools/ (Node helpers shared
// by mock/ and cli/), mock/ and cli/ (users of the SDK: through its entries, never its insides).

/** Paths of a folder under src/, as a regular expression. */
const dir = (...names) => `^src/(${names.join('|')})/`;
/** Top-level files of src/. */
const top = (...names) => `^src/(${names.map((n) => n.replace('.', '\\.')).join('|')})$`;

/** One rule: files matching `from` may import, inside src/ and generated/, only `allowed`. */
function only(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: '^(src|generated)/', pathNot: allowed },
  };
}

const generatedTypes = '^generated/(schema\\.d\\.ts|models\\.ts|resources\\.ts)$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle between modules means two of them share one job: split it or move it.',
      severity: 'error',
      from: { path: '^src/' },
      // A type-only import, or the lazy import() of a command's code, runs nothing at load.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    only('public', dir('public'), [dir('public', 'errors'), generatedTypes], 'public/ declares the exported types: it imports other types only.'),
    only('errors', dir('errors'), [dir('errors', 'public'), '^generated/schema\\.d\\.ts$'], 'errors/ is the bottom of the core: the classes users catch.'),
    only('util', dir('util'), [dir('util', 'errors', 'public')], 'util/: one clamp, one runtime check, redaction, env, validation, logging.'),
    only('transport', dir('transport'), [dir('transport', 'util', 'errors', 'public'), top('options.ts')], 'transport/: the bottom hop, sends once.'),
    only(
      'pipeline',
      dir('pipeline'),
      [dir('pipeline', 'transport', 'util', 'errors', 'public'), top('options.ts', 'version.ts')],
      'pipeline/: the loop and its one policy; never the session, resources or the client that call it.',
    ),
    only('session', dir('session'), [dir('session', 'pipeline', 'transport', 'util', 'errors', 'public'), top('options.ts'), generatedTypes], 'session/: tokens, refresh, sign-in.'),
    only(
      'resources',
      dir('resources'),
      [dir('resources', 'pipeline', 'transport', 'util', 'errors', 'public'), top('options.ts'), generatedTypes],
      'resources/: resource methods, the raw client, pagination, files.',
    ),
    only(
      'generated',
      '^generated/',
      ['^generated/', '^src/resources/types\\.ts$'],
      'generated/ imports only src/resources/types.ts, so src/ reads generated/ and never the reverse.',
    ),
    only('webhooks', dir('webhooks'), [dir('webhooks'), '^src/errors/base\\.ts$', '^generated/schema\\.d\\.ts$'], '@coveton/sdk/webhooks stands alone: no client, no fetch.'),
    only(
      'redis',
      dir('redis'),
      [dir('redis', 'public'), '^src/pipeline/rate-limit/store\\.ts$', '^src/errors/', '^src/util/'],
      '@coveton/sdk/redis implements the store interfaces of public/; it carries the memory store for its fallback.',
    ),
    only('e2e', dir('e2e'), [dir('e2e', 'public'), '^src/errors/base\\.ts$', top('index.ts'), generatedTypes], '@coveton/sdk/e2e uses the SDK through its public entry only.'),
    only('tools', dir('tools'), [dir('tools', 'util'), '^src/webhooks/index\\.ts$'], 'tools/: Node helpers shared by mock/ and cli/ (the spec files, Prism, webhook delivery).'),
    only('mock', dir('mock'), [dir('mock', 'tools', 'util'), '^src/webhooks/index\\.ts$', '^generated/'], 'mock/: the stateful mock; never the CLI, never the SDK core.'),
    only(
      'cli',
      dir('cli'),
      [
        dir('cli', 'tools', 'util', 'public'),
        top('index.ts', 'index.node.ts', 'version.ts'),
        '^src/(webhooks|mock|e2e)/index\\.ts$',
        '^generated/probes\\.ts$',
      ],
      'cli/: a user of the SDK, through its entries.',
    ),
    {
      name: 'browser-entries-stay-portable',
      comment: 'What the browser entries reach never loads a Node-only module (undici, node:*, the mock, the CLI, tools, Redis).',
      severity: 'error',
      from: { path: '^src/(index\\.ts|webhooks/index\\.ts|redis/index\\.ts|e2e/index\\.ts)$' },
      to: { reachable: true, path: '^(src/(transport/node-(undici|fetch|proxy)\\.ts|mock/|cli/|tools/)|node:|undici|redis$)' },
    },
    {
      name: 'no-node-builtins-in-core',
      comment: 'The core runs in browsers, Deno, Bun and workers: Node built-ins only in the Node transport and Node-only folders.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(transport/node-undici\\.ts|index\\.node\\.ts|mock/|cli/|tools/|e2e/node-file-(key-store|lock)\\.ts)' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.d.ts', '.js', '.mjs'] },
  },
};
