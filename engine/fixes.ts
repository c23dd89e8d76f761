/**
 * Applying fixes: edits of one fix never overlap; across fixes, the later of any overlapping
 * pair is dropped (as ESLint does), so a batch of fixes always produces well-formed text.
 */
import * as path from 'node:path';
import type { Fix, TextEdit } from './types';

export interface ApplyResult {
  text: string;
  applied: Fix[];
  /** Fixes dropped because they overlapped an earlier one or edit another file. */
  skipped: Fix[];
}

/** Applies fixes to one file's text. Edits for other files (`edit.path` ≠ filePath) skip the fix. */
export function applyFixes(text: string, fixes: readonly Fix[], filePath?: string): ApplyResult {
  const accepted: TextEdit[] = [];
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const sameFile = (edit: TextEdit) => edit.path === undefined || filePath === undefined || path.resolve(edit.path) === path.resolve(filePath);
  for (const fix of fixes) {
    const edits = [...fix.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    const valid =
      edits.length > 0 &&
      edits.every(sameFile) &&
      edits.every((edit, i) => edit.start <= edit.end && edit.end <= text.length && (i === 0 || edits[i - 1].end <= edit.start)) &&
      edits.every((edit) => !accepted.some((other) => overlaps(edit, other)));
    if (valid) {
      accepted.push(...edits);
      applied.push(fix);
    } else skipped.push(fix);
  }
  return { text: applyEdits(text, accepted), applied, skipped };
}

/** Two edits overlap when their ranges intersect, or both insert at the same point. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
