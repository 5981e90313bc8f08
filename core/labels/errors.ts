/**
 * The one error the labels library throws: a named reason and a one-line sentence. Callers
 * (the store, the CLI, the console) switch on `reason`; people read `message`.
 */
import type { z } from 'zod';
import { Refused } from '../common/refused.js';

export type LabelReason =
  // A label against the schema and its policy (ADatP-4774 structure, validate.ts).
  | 'malformed-label'
  | 'unknown-policy'
  | 'policy-uri-mismatch'
  | 'unknown-classification'
  | 'unknown-category'
  | 'category-type-mismatch'
  | 'category-uri-mismatch'
  | 'invalid-category-value'
  // A policy file (policy.ts).
  | 'malformed-policy'
  // Originator and alternative labels side by side (label-set.ts).
  | 'originator-overwrite'
  | 'alternative-same-policy'
  | 'alternative-conflict'
  // Reading XML safely (xml-reader.ts).
  | 'xml-too-large'
  | 'xml-too-deep'
  | 'xml-dtd'
  | 'xml-entity'
  | 'xml-processing-instruction'
  | 'xml-encoding'
  | 'xml-malformed'
  // The 4774 XML vocabulary (xml-4774.ts).
  | 'xml-wrong-namespace'
  | 'xml-unknown-element'
  | 'xml-unknown-attribute'
  | 'xml-structure';

export class LabelError extends Refused {
  declare readonly reason: LabelReason;

  constructor(reason: LabelReason, message: string) {
    // One line, always: messages end up in logs, tables and CLI output.
    super(reason, message.replace(/\s+/g, ' ').trim());
    this.name = 'LabelError';
  }
}

/**
 * The first zod issue as "what.path: message". A union's own message hides which branch went
 * wrong, so the branch that got furthest into the value is reported instead.
 */
export function describeIssue(what: string, error: z.ZodError): string {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  const path: PropertyKey[] = [];
  while (issue) {
    path.push(...issue.path);
    if (issue.code !== 'invalid_union') break;
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter((first): first is z.core.$ZodIssue => first !== undefined && first.path.length > 0)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!deepest) break;
    issue = deepest;
  }
  const where = [what, ...path.map(String)].join('.');
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
