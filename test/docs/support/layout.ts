// Layout checks run inside the page: text that overlaps other text (bounding boxes of every
// visible text node, clipped to the scroll box that holds it), a page wider than the viewport,
// and code blocks that cut their lines instead of scrolling them.
import type { Page } from 'playwright-core';

export interface LayoutReport {
  viewportWidth: number;
  pageWidth: number;
  textBoxes: number;
  overlaps: string[];
  /** Code blocks wider than their box that do not scroll (their text is cut). */
  cutCode: string[];
  /** Code blocks wider than their box that scroll. */
  scrollingCode: number;
}

export function checkLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    type Box = { left: number; top: number; right: number; bottom: number; text: string; owner: Element };
    const boxes: Box[] = [];
    const scrollBox = (el: Element | null): DOMRect | null => {
      for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (/(auto|scroll|hidden|clip)/.test(style.overflowX + style.overflowY)) return e.getBoundingClientRect();
      }
      return null;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const owner = node.parentElement;
      if (!text.trim() || !owner || !owner.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      if (owner.closest('.sr-only, .visually-hidden, [aria-hidden="true"]')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const clip = scrollBox(owner);
      for (const r of range.getClientRects()) {
        const box = {
          left: Math.max(r.left, clip?.left ?? -Infinity),
          right: Math.min(r.right, clip?.right ?? Infinity),
          top: Math.max(r.top, clip?.top ?? -Infinity),
          bottom: Math.min(r.bottom, clip?.bottom ?? Infinity),
          text: text.trim().slice(0, 40),
          owner,
        };
        if (box.right - box.left > 1 && box.bottom - box.top > 1) boxes.push(box);
      }
    }
    boxes.sort((a, b) => a.top - b.top);
    const overlaps: string[] = [];
    // Glyph boxes of two lines may touch; a real overlap covers a part of a letter.
    const SLACK_X = 2;
    const SLACK_Y = 4;
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i]!;
      for (let j = i + 1; j < boxes.length && boxes[j]!.top < a.bottom - SLACK_Y; j++) {
        const b = boxes[j]!;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > SLACK_X && h > SLACK_Y && a.owner !== b.owner) overlaps.push(`"${a.text}" and "${b.text}" (${Math.round(w)}x${Math.round(h)} px at ${Math.round(b.left)},${Math.round(b.top)})`);
      }
    }
    const cutCode: string[] = [];
    let scrollingCode = 0;
    for (const pre of document.querySelectorAll('pre')) {
      if (!pre.checkVisibility() || pre.scrollWidth <= pre.clientWidth + 1) continue;
      const scrolls = /(auto|scroll)/.test(getComputedStyle(pre).overflowX) || /(auto|scroll)/.test(getComputedStyle(pre.parentElement!).overflowX);
      if (scrolls) scrollingCode++;
      else cutCode.push((pre.textContent ?? '').slice(0, 60));
    }
    return { viewportWidth: window.innerWidth, pageWidth: document.documentElement.scrollWidth, textBoxes: boxes.length, overlaps, cutCode, scrollingCode };
  });
}
