// One sample language for the whole site: picking a tab in any code group selects the same
// label in every group of the page, and the choice is kept in localStorage so that the next
// page opens on it. Applied only after hydration, so the pre-rendered HTML stays what the
// server sent (the first tab, cURL) and Vue sees no mismatch.
const KEY = 'coveton-docs:language';

function stored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Selects the tab labelled `label` in every code group that has one. */
export function selectLanguage(label: string, root: ParentNode = document): void {
  for (const group of root.querySelectorAll<HTMLElement>('.vp-code-group')) {
    const inputs = [...group.querySelectorAll<HTMLInputElement>(':scope > .tabs > input')];
    const index = inputs.findIndex((input) => group.querySelector(`label[for="${input.id}"]`)?.textContent?.trim() === label);
    if (index < 0) continue;
    inputs[index]!.checked = true;
    // The tabs are one scrolling row: bring the chosen one into sight.
    const tabs = group.querySelector<HTMLElement>(':scope > .tabs');
    const chosen = tabs?.querySelector<HTMLElement>(`label[for="${inputs[index]!.id}"]`);
    if (tabs && chosen) {
      const [row, tab] = [tabs.getBoundingClientRect(), chosen.getBoundingClientRect()];
      if (tab.left < row.left || tab.right > row.right) tabs.scrollLeft += tab.left - row.left - 16;
    }
    const blocks = group.querySelector(':scope > .blocks')?.children ?? [];
    [...blocks].forEach((block, i) => block.classList.toggle('active', i === index));
  }
}

export function applyStoredLanguage(): void {
  const label = stored();
  if (label) selectLanguage(label);
}

export function listenForLanguageChoice(): void {
  window.addEventListener('click', (event) => {
    const input = event.target as Element | null;
    if (!input?.matches?.('.vp-code-group input')) return;
    const label = input.closest('.vp-code-group')?.querySelector(`label[for="${(input as HTMLInputElement).id}"]`)?.textContent?.trim();
    if (!label) return;
    try {
      localStorage.setItem(KEY, label);
    } catch {
      // Not remembered; this page still follows the choice.
    }
    selectLanguage(label);
  });
}
