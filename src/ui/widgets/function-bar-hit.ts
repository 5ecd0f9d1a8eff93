// Which function key a click on the bottom bar lands on, matching the layout functionBarSegments draws.
const KEY_CELLS: ReadonlyArray<readonly [string, number]> = [
  ['f1', 2],
  ['f2', 2],
  ['f3', 2],
  ['f4', 2],
  ['f5', 2],
  ['f6', 2],
  ['f7', 2],
  ['f8', 2],
  ['f9', 2],
  ['f10', 3],
];
const LABEL_WIDTH = 6;

export function functionKeyAt(x: number): string | null {
  let col = 0;
  for (const [key, width] of KEY_CELLS) {
    const end = col + width + LABEL_WIDTH;
    if (x >= col && x < end) return key;
    col = end;
  }
  return null;
}
