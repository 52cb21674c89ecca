import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FigureSpec } from './figure';
import { notebookFigureHtml, plotlyBundle, scriptJson, standaloneHtml } from './html';

const figure: FigureSpec = {
  data: [{ type: 'bar', x: ['</script><b>'], y: [1] }],
  layout: { title: { text: 'A & B' }, width: 900, height: 540 },
};

test('scriptJson cannot close the script element it sits in', () => {
  assert.equal(scriptJson({ s: '</script>' }), '{"s":"\\u003c/script>"}');
  assert.deepEqual(JSON.parse(scriptJson({ s: '</script>' })), { s: '</script>' });
});

test('standaloneHtml inlines plotly.js once (guarded) and sizes the figure to the window', () => {
  const html = standaloneHtml(figure);
  assert.equal(html.split(plotlyBundle()).length, 2);
  assert.match(html, /<title>A &#38; B<\/title>/);
  assert.match(html, /if \(!window\.Plotly\) \{ \(function \(define, module, exports\) \{/);
  assert.match(
    html,
    /Plotly\.newPlot\('figure', \[\{"type":"bar","x":\["\\u003c\/script>\\u003cb>"\],"y":\[1\]\}\], \{"title":\{"text":"A & B"\},"autosize":true\}/,
  );
});

test('notebookFigureHtml shows the PNG until plotly.js draws over it', () => {
  const html = notebookFigureHtml(figure, 'iVBORw0KGgo=', 'fig-1');
  assert.ok(
    html.startsWith(
      '<div id="fig-1"><img alt="A &#38; B" style="max-width:100%" src="data:image/png;base64,iVBORw0KGgo="></div>',
    ),
  );
  assert.match(html, /var el = document\.getElementById\('fig-1'\); el\.innerHTML = '';/);
  assert.equal(html.includes(plotlyBundle()), false);
});
