import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, typeScriptFiles } from '../../helpers/source-files.js';

const productFolders = ['src', 'connectors', 'emulators'];
const longestFile = 400;

function relative(file: string): string {
  return path.relative(repositoryRoot, file);
}

/** The words of a file's code: identifiers, strings and template parts, never its comments. */
function codeWords(text: string): Array<{ word: string; line: number }> {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true);
  const words: Array<{ word: string; line: number }> = [];
  const visit = (node: ts.Node): void => {
    const isWord =
      ts.isIdentifier(node) ||
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node);
    if (isWord)
      words.push({ word: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return words;
}

/** A vendor named in code outside connectors/ and the emulators, e.g. `'xero'` or `quickBooksTenant`. */
function vendorNamesIn(text: string): string[] {
  return codeWords(text)
    .filter(({ word }) => /quick_?books|xero|intuit/i.test(word))
    .map(({ word, line }) => `${line}: ${word}`);
}

describe('the house rules of docs/architecture.md', () => {
  it(`keeps every source file at ${longestFile} lines or fewer`, () => {
    const files = productFolders.flatMap((folder) => typeScriptFiles(path.join(repositoryRoot, folder)));
    expect(files.length).toBeGreaterThan(300);
    const tooLong = files
      .map((file) => ({ file: relative(file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > longestFile);
    expect(tooLong).toEqual([]);
  });

  it('names no vendor in code outside connectors/ (comments may)', () => {
    const files = typeScriptFiles(path.join(repositoryRoot, 'src'));
    const offenders = files.flatMap((file) =>
      vendorNamesIn(readFileSync(file, 'utf8')).map((where) => `${relative(file)}:${where}`),
    );
    expect(offenders).toEqual([]);
  });

  it('finds a vendor named in code but not in a comment', () => {
    const text = [
      '// QuickBooks has no zone',
      "const vendor = 'xero';",
      '/** Intuit allows 3 s */',
      'const label = `Sign in with \u0024{name} to QuickBooks`;',
      'function quickBooksOnly() {}',
    ].join('\n');
    expect(vendorNamesIn(text)).toEqual(['2: xero', '4:  to QuickBooks', '5: quickBooksOnly']);
  });
});
