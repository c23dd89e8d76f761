/**
 * The engine's public API. Everything the CLI, the language server and the tests need is
 * exported here; nothing in engine/ imports `vscode` or any LSP package.
 */
export * from './types';
export { defineRule, docsUrlFor, DOCS_BASE_URL } from './rule';
export type { Rule, RuleDefinition, RuleMeta, RuleContext, GateInput, RuleListener, ReportDescriptor, RelatedDescriptor, SharedSettings } from './rule';
export { Project, defineFact } from './project';
export type { Fact } from './project';
export { nodeFileSystem, memoryFileSystem, stripBom } from './host';
export type { FileSystemHost, DirEntry } from './host';
export { LineIndex } from './lines';
export { loadConfig, resolveConfig, parseConfigText, ConfigError, CONFIG_FILE_NAME, DEFAULT_SETTINGS } from './config';
export type { ConfigFile, ConfigOverlay, ResolvedConfig, EnabledRule, RuleSetting } from './config';
export { discoverFiles, looksGenerated, SKIPPED_DIRECTORIES } from './discovery';
export { languageOf, parseTypeScript, SOURCE_EXTENSIONS } from './parse';
export { analyzeFile, skipReason, MAX_FILE_BYTES, ruleTimings } from './runner';
export type { AnalyzeOptions } from './runner';
export { parseDirectives, applyDirectives } from './suppressions';
export type { Directive } from './suppressions';
export { applyFixes, applyEdits } from './fixes';
export { computeScore, scoreGain, gradeFor, SEVERITY_WEIGHTS, CATEGORY_WEIGHTS } from './score';
export { Linter, summarize } from './linter';
export type { LinterOptions, AuditOptions, ParallelOptions } from './linter';
export { ResultCache, defaultCacheDirectory } from './cache';
export type { CacheStats } from './cache';
export { shardFiles } from './audit-run';
export { AuditPool, defaultThreads, setDefaultWorkerScript } from './parallel/pool';
export type { AnalyzedFile } from './parallel/protocol';
export { parseStats } from './parse';
export { formatJson, toJsonReport } from './format/json';
export type { JsonReport, JsonFinding } from './format/json';
export { formatStylish } from './format/stylish';
export { formatSarif, toSarif } from './format/sarif';
export { formatMarkdown, rankFindings } from './format/markdown';
export { relativePath } from './format/common';
export { PERFLINT_VERSION } from './version';
