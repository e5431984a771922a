// Entry for Chromium: the page imports this module and calls the program with the API URL.
export { run } from './program.js';
