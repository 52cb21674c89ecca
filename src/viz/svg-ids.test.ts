import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stableSvgIds } from './svg-ids';

/** plotly's export shape: definitions named with the uid, references to them, text and coordinates. */
const exported = (uid: string) =>
  `<svg><defs id="defs-${uid}"><clipPath id="clip${uid}xyplot"></clipPath></defs>` +
  `<g clip-path="url(#clip${uid}xyplot)"><use href="#legend${uid}"/><text>e2406a</text><path d="M1 e2406a"/></g></svg>`;

test("plotly's random uid is replaced in ids and references, nowhere else", () => {
  assert.equal(
    stableSvgIds(exported('e2406a')),
    '<svg><defs id="defs-000000"><clipPath id="clip000000xyplot"></clipPath></defs>' +
      '<g clip-path="url(#clip000000xyplot)"><use href="#legend000000"/><text>e2406a</text><path d="M1 e2406a"/></g></svg>',
  );
  // Two exports of one figure, with different uids, become the same bytes.
  assert.equal(stableSvgIds(exported('e2406a')), stableSvgIds(exported('d17157')));
  assert.equal(stableSvgIds('<svg><g/></svg>'), '<svg><g/></svg>');
});
