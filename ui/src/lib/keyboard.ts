// Keeps a bar fixed at the bottom of the screen above the on-screen keyboard. A phone's keyboard
// shrinks the visual viewport but not the layout viewport that `position: fixed` is measured
// against, so the bar would sit behind the keyboard; the difference is the keyboard's height.

export interface ViewportLike {
  height: number;
  offsetTop: number;
}

/** How much of the layout viewport's bottom the keyboard (or anything else) covers, in px. */
export function keyboardInset(visual: ViewportLike | null | undefined, layoutHeight: number): number {
  if (!visual) return 0;
  return Math.max(0, Math.round(layoutHeight - visual.height - visual.offsetTop));
}

/** Fields typed in with the on-screen keyboard (a tap on a button or a choice closes it). */
const TYPED = new Set(['text', 'search', 'email', 'tel', 'number', 'password', 'url']);

/** Svelte attachment for the bar: sets `--keyboard-inset` on it as the visual viewport changes,
 * and keeps the field being typed in within what is left of the screen. */
export function aboveKeyboard(bar: HTMLElement): () => void {
  let inset = 0;
  const place = () => {
    inset = keyboardInset(window.visualViewport, document.documentElement.clientHeight);
    bar.style.setProperty('--keyboard-inset', `${inset}px`);
  };
  // With the keyboard up, little of a phone's screen is left between the emergency bar (sticky at
  // the top) and this bar: the field goes to the top of it with its label, so that what follows
  // it (the pupils found, the lines being typed) shows too. Without a keyboard, the field only
  // must not be hidden behind the bar.
  const keepInView = () => {
    const field = document.activeElement;
    if (!(field instanceof HTMLElement) || field === document.body || bar.contains(field)) return;
    const barTop = bar.getBoundingClientRect().top;
    const box = field.getBoundingClientRect();
    if (inset > 0 && (field instanceof HTMLTextAreaElement || (field instanceof HTMLInputElement && TYPED.has(field.type)))) {
      const anchor = field.labels?.[0] ?? field;
      const sticky = document.querySelector('.emergency-bar')?.getBoundingClientRect().bottom ?? 0;
      const top = Math.max(sticky, window.visualViewport?.offsetTop ?? 0) + 8;
      const shift = anchor.getBoundingClientRect().top - top;
      if (Math.abs(shift) > 1) window.scrollBy(0, shift);
    } else if (box.bottom > barTop) {
      window.scrollBy(0, box.bottom - barTop + 8);
    }
  };
  const resized = () => {
    place();
    keepInView();
  };
  // After the screen has reacted to the focus (a list of pupils, a field that appears).
  const focused = () => requestAnimationFrame(keepInView);
  place();
  const vv = window.visualViewport;
  vv?.addEventListener('resize', resized);
  vv?.addEventListener('scroll', place);
  window.addEventListener('resize', place);
  document.addEventListener('focusin', focused);
  return () => {
    vv?.removeEventListener('resize', resized);
    vv?.removeEventListener('scroll', place);
    window.removeEventListener('resize', place);
    document.removeEventListener('focusin', focused);
  };
}
