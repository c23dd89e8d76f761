/**
 * Test support for Prisma schema rules: validates fixed schemas with Prisma's own engine, so a
 * fix that leaves an invalid schema fails its test.
 */
import { schemaSyntaxErrors } from '../../engine/prisma';
import { registerSyntaxChecker } from './ruleTester';

registerSyntaxChecker('.prisma', (text, filePath) => schemaSyntaxErrors(text, filePath));

/** A datasource block for test schemas. */
export function datasource(provider: string, relationMode?: 'prisma' | 'foreignKeys'): string {
  return `datasource db {\n  provider = "${provider}"\n${relationMode ? `  relationMode = "${relationMode}"\n` : ''}}\n\n`;
}
