// The OpenAPI document shipped with the package (package.json `files`), found from wherever this
// code runs: the built bundles (dist/mock.js, dist/cli/*.js -> ../generated or ../../generated)
// or the sources (src/tools/*.ts -> ../../generated). Keep this file directly in src/tools/ so
// the source depth stays right.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandFailure } from './failures.js';
import { EXIT } from './exit-codes.js';

const here = dirname(fileURLToPath(import.meta.url));
const CANDIDATES = [join(here, '..', 'generated'), join(here, '..', '..', 'generated')];

/** The absolute path of `generated/<name>` (openapi.yaml or openapi.json). */
export function bundledSpecPath(name: 'openapi.yaml' | 'openapi.json'): string {
  for (const dir of CANDIDATES) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new CommandFailure(
    `the bundled spec generated/${name} is missing from this installation (looked in ${CANDIDATES.join(', ')}): reinstall @coveton/sdk`,
    EXIT.INTERNAL,
  );
}

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  example?: unknown;
  schema?: { example?: unknown; default?: unknown; enum?: unknown[] };
  $ref?: string;
}

export interface SpecOperation {
  operationId: string;
  parameters?: SpecParameter[];
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
}

export interface SpecDocument {
  paths: Record<string, Record<string, SpecOperation | SpecParameter[]>>;
  components: { parameters?: Record<string, SpecParameter>; schemas?: Record<string, { pattern?: string }> };
  security?: unknown[];
}

let cached: SpecDocument | undefined;

/** The bundled spec as JSON (read once). */
export function loadSpec(): SpecDocument {
  cached ??= JSON.parse(readFileSync(bundledSpecPath('openapi.json'), 'utf8')) as SpecDocument;
  return cached;
}
