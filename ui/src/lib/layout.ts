// Wide enough and on its side (a tablet in landscape, 1180 × 820): the case list and the open
// case stand side by side on the home screen.
export const SIDE_BY_SIDE = '(min-width: 1100px) and (orientation: landscape)';

export function sideBySideQuery(): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(SIDE_BY_SIDE)
    : null;
}
