// `files.upload` and `files.download`, loaded on first use: the transfer code (reading and
// counting upload bodies, the storage URL checks, presign renewal) is a chunk of its own, so an
// application's first bundle does not carry it until a file moves. The methods were async
// already: the same errors, at the same points.
import type { Resources } from '../../generated/resources.js';
import type { Pipeline } from '../pipeline/index.js';
import type { FileHelpers } from '../public/files.js';

export function lazyFileHelpers(files: Resources['files'], storage: Pipeline, apiBaseUrl: string): FileHelpers {
  let loaded: Promise<FileHelpers> | undefined;
  const helpers = () => (loaded ??= import('./files.js').then((m) => m.fileHelpers(files, storage, apiBaseUrl)));
  return {
    upload: async (...args: Parameters<FileHelpers['upload']>) => (await helpers()).upload(...args),
    download: async (...args: Parameters<FileHelpers['download']>) => (await helpers()).download(...args),
  } as FileHelpers;
}
