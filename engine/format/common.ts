import * as path from 'node:path';

/** Relative path with forward slashes (every report uses this form). */
export function relativePath(root: string, filePath: string): string {
  const relative = path.relative(root, filePath);
  return (relative === '' ? path.basename(filePath) : relative).split(path.sep).join('/');
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
