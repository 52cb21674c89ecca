/**
 * The notebooks import the library through its public API only: `distill-lab` (src/index.ts) or one layer index,
 * `distill-lab/<layer>` (src/<layer>/index.ts, built to dist/<layer>/index.js), never a module below it; and every
 * name they import is exported there. The imports are read with TypeScript's parser from every code cell.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from '../src/util/paths';

const PACKAGE = 'distill-lab';
const SRC = join(PROJECT_ROOT, 'src');
const NOTEBOOKS = join(PROJECT_ROOT, 'notebooks');

interface NotebookImport {
  readonly where: string;
  readonly specifier: string;
  /** Names imported as values (`default` for a default import). */
  readonly values: string[];
  /** Names imported as types only (`import type`, `type X`). */
  readonly types: string[];
}

/** The names a `const { a, b: c } = require(…)` binds from the module (a, b). */
function destructuredNames(call: ts.Node): string[] {
  const parent = call.parent;
  if (!parent || !ts.isVariableDeclaration(parent) || !ts.isObjectBindingPattern(parent.name)) return [];
  return parent.name.elements.flatMap((e) => {
    const key = e.propertyName ?? e.name;
    return ts.isIdentifier(key) || ts.isStringLiteral(key) ? [key.text] : [];
  });
}

/** Every import of a cell: declarations, re-exports, `import x = require(…)`, `require(…)` and `import(…)` calls. */
function cellImports(source: string, where: string): NotebookImport[] {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true);
  const found: NotebookImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const values: string[] = [];
      const types: string[] = [];
      const clause = node.importClause;
      if (clause?.name) (clause.isTypeOnly ? types : values).push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          (clause.isTypeOnly || element.isTypeOnly ? types : values).push((element.propertyName ?? element.name).text);
        }
      }
      found.push({ where, specifier: node.moduleSpecifier.text, values, types });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const names =
        node.exportClause && ts.isNamedExports(node.exportClause)
          ? node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text)
          : [];
      found.push({
        where,
        specifier: node.moduleSpecifier.text,
        values: node.isTypeOnly ? [] : names,
        types: node.isTypeOnly ? names : [],
      });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ where, specifier: node.moduleReference.expression.text, values: [], types: [] });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ where, specifier: node.arguments[0].text, values: destructuredNames(node), types: [] });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function notebookPaths(): string[] {
  return readdirSync(NOTEBOOKS)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => join(NOTEBOOKS, name));
}

/** The library's imports in every code cell of every committed notebook. */
function libraryImports(): NotebookImport[] {
  return notebookPaths().flatMap((path) => {
    const notebook = JSON.parse(readFileSync(path, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    return notebook.cells.flatMap((cell, index) =>
      cell.cell_type === 'code'
        ? cellImports(cell.source.join(''), `${relative(PROJECT_ROOT, path)}, cell ${index}`).filter(
            (i) => i.specifier === PACKAGE || i.specifier.startsWith(`${PACKAGE}/`),
          )
        : [],
    );
  });
}

/** The index a public specifier names: `distill-lab` → src/index.ts, `distill-lab/<layer>` → src/<layer>/index.ts. */
function indexOf(specifier: string): string | null {
  const layer = /^distill-lab(?:\/([a-z][a-z0-9-]*))?$/.exec(specifier);
  if (!layer) return null;
  const path = layer[1] === undefined ? join(SRC, 'index.ts') : join(SRC, layer[1], 'index.ts');
  return existsSync(path) ? path : null;
}

/** The layer folders of src/ that have an index, as `distill-lab/<layer>` names them. */
function layerIndexes(): string[] {
  return readdirSync(SRC, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(SRC, entry.name, 'index.ts')))
    .map((entry) => join(SRC, entry.name, 'index.ts'))
    .sort();
}

/** Every name (types included) that each index exports, from TypeScript's checker: only for type-only imports. */
function exportedNames(indexes: readonly string[]): Map<string, Set<string>> {
  const { config } = ts.readConfigFile(join(PROJECT_ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, PROJECT_ROOT);
  const program = ts.createProgram([...indexes], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  return new Map(
    indexes.map((index) => {
      const symbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
      return [index, new Set(checker.getExportsOfModule(symbol).map((s) => s.name))];
    }),
  );
}

test('the notebooks import the library, from distill-lab or distill-lab/<layer> only', () => {
  const imports = libraryImports();
  assert.ok(imports.length >= 20, `only ${imports.length} imports of ${PACKAGE} found in ${NOTEBOOKS}`);
  const deep = imports.filter((i) => indexOf(i.specifier) === null).map((i) => `${i.where}: '${i.specifier}'`);
  assert.deepEqual(deep, [], `import from '${PACKAGE}' or '${PACKAGE}/<layer>' (a folder of src/ with an index.ts)`);
});

test('every name a notebook imports is exported by the index it imports from', () => {
  const imports = libraryImports().filter((i) => indexOf(i.specifier) !== null);
  const missing: string[] = [];
  for (const i of imports) {
    // A layer index as the notebook's kernel loads it (from dist/, built from this file).
    const index = indexOf(i.specifier)!;
    const exports = require(index) as Record<string, unknown>;
    for (const name of i.values) {
      if (exports[name] === undefined) missing.push(`${i.where}: ${name} from '${i.specifier}'`);
    }
  }
  const typed = imports.filter((i) => i.types.length > 0);
  if (typed.length > 0) {
    const names = exportedNames([...new Set(typed.map((i) => indexOf(i.specifier)!))]);
    for (const i of typed) {
      for (const name of i.types) {
        if (!names.get(indexOf(i.specifier)!)!.has(name))
          missing.push(`${i.where}: type ${name} from '${i.specifier}'`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('distill-lab exports every name of every layer index, as the same value', () => {
  const top = require(join(SRC, 'index.ts')) as Record<string, unknown>;
  const indexes = layerIndexes();
  assert.ok(indexes.length >= 8, `only ${indexes.length} layer indexes under src/`);
  const differing = indexes.flatMap((index) =>
    Object.entries(require(index) as Record<string, unknown>)
      .filter(([name, value]) => top[name] !== value)
      .map(([name]) => `${relative(PROJECT_ROOT, index)}: ${name}`),
  );
  assert.deepEqual(differing, []);
});

test('each index of the public API opens with a one-line doc comment saying what it is', () => {
  const undocumented = [join(SRC, 'index.ts'), ...layerIndexes()]
    .filter((index) => !/^\/\*\* .+ \*\/\n/.test(readFileSync(index, 'utf8')))
    .map((index) => relative(PROJECT_ROOT, index));
  assert.deepEqual(undocumented, []);
});
