import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stableSvg } from './stable-svg';

/** plotly's export shape: definitions named with the uid, references to them, text and coordinates. */
const exported = (uid: string, root = 'width="900" style="" viewBox="0 0 900 540"') =>
  `<svg ${root}><defs id="defs-${uid}"><clipPath id="clip${uid}xyplot"></clipPath></defs>` +
  `<g clip-path="url(#clip${uid}xyplot)"><use href="#legend${uid}"/><text>e2406a</text><path d="M1 e2406a"/></g></svg>`;

test("plotly's random uid is replaced in ids and references only, and the root's attributes are sorted", () => {
  assert.equal(
    stableSvg(exported('e2406a')),
    '<svg style="" viewBox="0 0 900 540" width="900"><defs id="defs-000000"><clipPath id="clip000000xyplot"></clipPath></defs>' +
      '<g clip-path="url(#clip000000xyplot)"><use href="#legend000000"/><text>e2406a</text><path d="M1 e2406a"/></g></svg>',
  );
  // Two exports of one figure, with other uids and another attribute order, become the same bytes.
  assert.equal(
    stableSvg(exported('e2406a')),
    stableSvg(exported('d17157', 'viewBox="0 0 900 540" width="900" style=""')),
  );
  assert.equal(stableSvg('<svg><g/></svg>'), '<svg><g/></svg>');
});
