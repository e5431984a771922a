// Server text made harmless for a terminal, in one place: everything Output writes passes here.
// A terminal acts on C0 controls (ESC starts colour, cursor, title and OSC 52 clipboard
// sequences), on C1 controls (\x9b is an 8-bit CSI, \x9d an 8-bit OSC) and on DEL; U+2028/U+2029
// break lines in some viewers. Bidirectional controls (Unicode UAX #9: the embeddings and
// overrides U+202A-202E, the isolates U+2066-2069, the marks U+200E/200F and U+061C) reorder what
// follows them on the line: a key named "x\u202e" made the rest of a message read backwards, the
// "Trojan Source" trick (CVE-2021-42574). JSON escapes C0 but writes C1, DEL and these raw, so
// both ways out are covered here.
import { stripVTControlCharacters } from 'node:util';

/** Characters a terminal or a viewer acts on that no server text needs, beyond C0 and C1. */
const OTHERS = '\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const ALL_CONTROLS = new RegExp(`[\\u0000-\\u001f${OTHERS}]`, 'g');

/**
 * One line for people (a message, a table cell): escape sequences removed, a line break shown as
 * `\n` (`\r`), any other control character as `?`. Everything Output prints for people is one
 * line, so server text with a line break can never start a line of its own (a forged
 * "warning:" or result line).
 */
export function printable(value: string): string {
  return stripVTControlCharacters(value).replace(ALL_CONTROLS, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '?'));
}

/** A cell of a tab-separated line: no escape sequence, and no tab or newline inside. */
export function tsvCell(value: string): string {
  return stripVTControlCharacters(value).replace(ALL_CONTROLS, ' ');
}

/** Whether `value` holds anything a terminal would act on (or a line break). */
export function hasControls(value: string): boolean {
  return new RegExp(ALL_CONTROLS.source).test(value);
}

/**
 * JSON.stringify, with every control character JSON leaves raw (DEL, C1, U+2028/9, bidi) written as a
 * \u escape: the same value once parsed, and no byte a terminal acts on.
 */
export function jsonText(value: unknown, indent?: number): string {
  return escapeRawControls(String(JSON.stringify(value, null, indent)));
}

/** JSON text with the control characters JSON.stringify leaves raw written as \u escapes. */
const RAW_CONTROLS = new RegExp(`[${OTHERS}]`, 'g');

function escapeRawControls(json: string): string {
  return json.replace(RAW_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
