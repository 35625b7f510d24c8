/**
 * The colours of the other editors' carets and selections. The server picks
 * one per person (awareness.ts); the web client draws a selection with the
 * class of its colour's index (`collab-sel-<i>` in collab.css), since the
 * page's CSP allows no inline style attribute.
 */
export const CARET_COLOURS = [
  '#d1495b',
  '#00798c',
  '#edae49',
  '#66a182',
  '#8d5a97',
  '#2e4057',
  '#e07a5f',
  '#3d7dca',
] as const;

/** The selection class of a caret colour; a colour not in the palette gets none. */
export function selectionClassOf(colour: unknown): string | null {
  const index = CARET_COLOURS.indexOf(colour as (typeof CARET_COLOURS)[number]);
  return index < 0 ? null : `collab-sel-${index}`;
}
