// Rows of server data for people and for pipes.
// - On a terminal: aligned columns, two spaces apart, fitted to the terminal's width. A column
//   that does not fit is cut with an ellipsis; a cell never wraps onto a second line. The widths
//   come from the header and the first batch of rows, so that later rows can be printed as they
//   arrive (a later, wider cell is cut to the column).
// - In a pipe: one line per row, cells separated by a tab, no header, no padding (as gh does),
//   so `cut -f1` and `while IFS=$'\t' read -r ...` work.
import stringWidth from 'string-width';
import { printable, tsvCell } from './terminal-text.js';

const GAP = 2;
const ELLIPSIS = '…';
/** Below this a truncated column says nothing useful; the first column (the id) is never cut. */
const MIN_WIDTH = 6;
/** Free-text columns (names, lists) give way first, down to this. */
const FLEX_MIN_WIDTH = 10;

export function tsvLine(row: readonly string[]): string {
  return row.map(tsvCell).join('\t');
}

/**
 * Column widths that fit `total` columns. Free-text columns (`flexible`) give way first, the
 * widest first, down to a few characters; then the others, the widest first. The first column
 * (the id) is never cut.
 */
export function fitWidths(natural: readonly number[], total: number | undefined, flexible: readonly number[] = []): number[] {
  const widths = [...natural];
  if (total === undefined || total <= 0) return widths;
  const sum = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  const shrink = (columns: readonly number[], floorOf: (i: number) => number) => {
    while (sum() > total) {
      let widest = -1;
      for (const i of columns) {
        if (i > 0 && widths[i]! > floorOf(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) return;
      widths[widest] = widths[widest]! - 1;
    }
  };
  shrink(flexible, (i) => Math.min(natural[i]!, FLEX_MIN_WIDTH));
  shrink(widths.map((_, i) => i), (i) => Math.min(natural[i]!, MIN_WIDTH));
  return widths;
}

/** `text` cut to `width` display columns, ending in an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = stringWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + ELLIPSIS;
}

export type Decorate = (cell: string, column: number) => string;

/** A table printed as rows arrive: `rows()` may be called many times, the header is printed once. */
export class StreamedTable {
  #widths: number[] | undefined;

  constructor(
    private readonly head: readonly string[],
    private readonly write: (line: string) => void,
    private readonly columns: number | undefined,
    private readonly paintHead: (text: string) => string = (t) => t,
    private readonly paintCell: Decorate = (t) => t,
    private readonly flexible: readonly number[] = [],
  ) {}

  rows(batch: readonly (readonly string[])[]): void {
    const cells = batch.map((row) => row.map(printable));
    if (!this.#widths) {
      const natural = this.head.map((h, i) => Math.max(stringWidth(h), ...cells.map((row) => stringWidth(row[i] ?? ''))));
      this.#widths = fitWidths(natural, this.columns, this.flexible);
      this.write(this.#line(this.head, (text) => this.paintHead(text)));
    }
    for (const row of cells) this.write(this.#line(row, this.paintCell));
  }

  #line(row: readonly string[], paint: Decorate): string {
    const widths = this.#widths!;
    const last = row.length - 1;
    return row
      .map((cell, i) => {
        const text = truncate(cell, widths[i]!);
        // Padding is added after painting so that escape codes never count as width.
        const pad = i === last ? '' : ' '.repeat(widths[i]! - stringWidth(text) + GAP);
        return paint(text, i) + pad;
      })
      .join('');
  }
}
