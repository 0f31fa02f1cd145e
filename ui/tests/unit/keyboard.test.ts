import { describe, expect, it } from 'vitest';
import { keyboardInset } from '../../src/lib/keyboard';

describe('on-screen keyboard', () => {
  it('measures what the keyboard covers of the layout viewport', () => {
    expect(keyboardInset(null, 844)).toBe(0);
    expect(keyboardInset({ height: 844, offsetTop: 0 }, 844)).toBe(0);
    expect(keyboardInset({ height: 508, offsetTop: 0 }, 844)).toBe(336);
    // The page scrolled under a shrunken visual viewport (iOS): only the part below it counts.
    expect(keyboardInset({ height: 508, offsetTop: 120 }, 844)).toBe(216);
  });
});
