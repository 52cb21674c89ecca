/**
 * plotly.js names every figure's SVG definitions with a random six-character uid (`defs-e2406a`,
 * `clipe2406axyplot`, `url(#clipe2406ax)`), so the same figure exported twice differs in bytes. Replacing that uid
 * in ids and references with a fixed one makes an export a function of the figure alone.
 */
const FIXED_UID = '000000';

export function stableSvgIds(svg: string): string {
  const uid = /<defs id="defs-([0-9a-z]+)"/.exec(svg)?.[1];
  if (uid === undefined) return svg;
  // Only inside ids and references to them, never in coordinates or text.
  return svg.replace(
    /(id="|url\(#|href="#)([^")]*)/g,
    (_, opening: string, name: string) => opening + name.split(uid).join(FIXED_UID),
  );
}
