// `files.upload` and `files.download`, loaded on first use: the transfer code (reading and
// counting upload bodies, the storage URL checks, presign renewal) is a chunk of its own, so an
// application's first bundle does not carry it until a file moves.
import type { Resources } from '../../generated/resources.js';
import type { Pipeline } from '../pipeline/index.js';
import type { FileHelpers } from '../public/files.js';
import type { ResolvedOptions } from '../options.js';
import { lazyMethods } from '../util/lazy.js';

export function lazyFileHelpers(files: Resources['files'], storage: Pipeline, config: ResolvedOptions): FileHelpers {
  return lazyMethods('files', () => import('./files.js').then((m) => m.fileHelpers(files, storage, config)), ['upload', 'download']);
}
