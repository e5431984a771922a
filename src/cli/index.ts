// Placeholder entry of the `coveton` command; the CLI issue fills it in.
console.error('coveton: not built yet');
process.exitCode = 1;
