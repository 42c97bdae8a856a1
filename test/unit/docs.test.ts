import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TABLE_OWNERS } from '../support/architecture-rules.js';

const root = new URL('../../', import.meta.url).pathname;
const architecture = readFileSync(`${root}docs/ARCHITECTURE.md`, 'utf8');
const contextSource = readFileSync(`${root}src/context.ts`, 'utf8');

/** The section of a Markdown document under a `## ` heading, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) return '';
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The owners table of ARCHITECTURE.md as table → feature. */
export function documentedOwners(markdown: string): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const line of section(markdown, 'Who owns which table').split('\n')) {
    const m = /^\|\s*([a-z_]+)\s*\|\s*([a-z_, ]+)\s*\|$/.exec(line.trim());
    if (!m || m[1] === 'feature') continue;
    for (const table of m[2]!
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean))
      owners[table] = m[1]!;
  }
  return owners;
}

/** The members of the context the docs list (`- \`name\`: …`). */
export function documentedContextMembers(markdown: string): string[] {
  const text = section(markdown, 'Dependencies: the context and what a service takes');
  return [...text.matchAll(/^- `(\w+)`:/gm)].map((m) => m[1]!).sort();
}

/** The members of `AppContext` as context.ts declares it. */
function contextMembers(source: string): string[] {
  const file = ts.createSourceFile('context.ts', source, ts.ScriptTarget.ES2022, true);
  const members: string[] = [];
  file.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'AppContext')
      for (const m of node.members)
        if (m.name && ts.isIdentifier(m.name)) members.push(m.name.text);
  });
  return members.sort();
}

describe('docs/ARCHITECTURE.md cannot drift from the code', () => {
  it('lists every table with the owner the architecture test enforces, and no other', () => {
    expect(documentedOwners(architecture)).toEqual(TABLE_OWNERS);
  });

  it('fails when an owner is removed from the document', () => {
    const removed = architecture.replace(', calendar_years, calendar_rules', '');
    expect(documentedOwners(removed)).not.toEqual(TABLE_OWNERS);
    const wrongOwner = architecture.replace('| lookup | ratings,', '| audit | ratings,');
    expect(documentedOwners(wrongOwner)).not.toEqual(TABLE_OWNERS);
  });

  it('lists every member of AppContext, and no other', () => {
    expect(contextMembers(contextSource).length).toBeGreaterThan(10);
    expect(documentedContextMembers(architecture)).toEqual(contextMembers(contextSource));
  });

  it('fails when the context gains a member the document does not list', () => {
    const grown = contextSource.replace(
      'export interface AppContext {',
      'export interface AppContext {\n  metrics: unknown;',
    );
    expect(documentedContextMembers(architecture)).not.toEqual(contextMembers(grown));
  });
});
