// Signatures as SVG path data in a 600 × 200 box: "M x y L x y …" per stroke.
export type Stroke = [number, number][];

export function pathFromStrokes(strokes: Stroke[]): string | null {
  const parts = strokes
    .filter((s) => s.length > 0)
    .map((s) => s.map(([x, y], i) => `${i ? 'L' : 'M'}${x} ${y}`).join(' '));
  return parts.length ? parts.join(' ') : null;
}

/** Only path data of our own shape is drawn back: a stored value is never trusted as markup. */
export function isPathData(text: string): boolean {
  return /^[ML0-9 .-]+$/.test(text) && text.length <= 512 * 1024;
}
