#!/usr/bin/env node
// Runs a server as a child and makes sure it stops by itself: when the process that started
// us is gone, or after `maxMs`, whichever comes first. Usage:
//   node supervise.mjs <parentPid> <maxMs> <command> [args...]
import { spawn } from 'node:child_process';

const [parentArg, maxArg, command, ...args] = process.argv.slice(2);
const parent = Number(parentArg);
const child = spawn(command, args, { stdio: 'inherit' });

function stop(code) {
  if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
}

const watch = setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    stop(0);
  }
}, 500);
setTimeout(() => stop(0), Number(maxArg)).unref();
child.on('exit', (code) => {
  clearInterval(watch);
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
