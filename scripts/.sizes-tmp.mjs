import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const r = await build({ stdin: { contents: `import { createCoveton } from './src/index.ts'; console.log(createCoveton);`, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'silent' });
const code = r.outputFiles[0].contents;
console.log('min', code.length, 'gzip', gzipSync(code, { level: 9 }).length);
