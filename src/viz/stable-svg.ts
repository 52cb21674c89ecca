/**
 * plotly.js writes the same figure to different SVG bytes from one export to the next: it names the figure's
 * definitions with a random six-character uid (`defs-e2406a`, `clipe2406axyplot`, `url(#clipe2406ax)`), and the root
 * element's attributes come out in varying order. A fixed uid in ids and references, and the root's attributes
 * sorted by name, make an export a function of the figure alone. (Each trace's random uid is fixed at the source:
 * export.ts gives every trace one.)
 */
const FIXED_UID = '000000';

export function stableSvg(svg: string): string {
  const uid = /<defs id="defs-([0-9a-z]+)"/.exec(svg)?.[1];
  // Only inside ids and references to them, never in coordinates or text.
  const fixed =
    uid === undefined
      ? svg
      : svg.replace(
          /(id="|url\(#|href="#)([^")]*)/g,
          (_, opening: string, name: string) => opening + name.split(uid).join(FIXED_UID),
        );
  return fixed.replace(/^<svg((?:\s+[\w:-]+="[^"]*")*)\s*>/, (_, attributes: string) => {
    const sorted = (attributes.match(/[\w:-]+="[^"]*"/g) ?? []).sort();
    return sorted.length === 0 ? '<svg>' : `<svg ${sorted.join(' ')}>`;
  });
}
