/**
 * The schema model PerfLint's rules read: models, fields, relations and indexes with positions.
 * Structure and positions come from the tolerant scanner; semantics (field kinds, relation
 * fields, the normalised index list) from Prisma's engine when the schema is valid. While a schema
 * is invalid (half-typed), the last good engine model of the same schema fills in what the
 * scanner cannot know, and models that only the last good model has stay available for lookups.
 */
import { argument, fieldList, scanSchema, type ScannedAttribute, type ScannedBlock, type ScannedFile, type Span } from './scanner';
import { blankConnectionUrls, engineConfig, engineDatamodel, type EngineDatamodel } from './wasm';

export type IndexKind = 'id' | 'unique' | 'index' | 'fulltext';

export interface IndexField {
  name: string;
  sort?: 'asc' | 'desc';
  length?: number;
  ops?: string;
}

export interface IndexInfo {
  kind: IndexKind;
  fields: IndexField[];
  /** `type:` argument (`Hash`, `Gin`, `BTree`…); undefined means the default (B-tree). */
  algorithm?: string;
  /** Declared on a field (`@id`, `@unique`) rather than as a block attribute. */
  fieldLevel: boolean;
  /** `map:` (database name) and `name:` (client name) arguments. */
  map?: string;
  name?: string;
  /** `clustered:` argument (SQL Server). */
  clustered?: string;
  /** Names of arguments PerfLint does not model (e.g. a partial-index `where:`); such indexes are compared with care. */
  otherArgs?: string[];
  /** Absolute path of the file that declares it. */
  file: string;
  /** The attribute (`@@index(...)`, `@unique`), when known in the current text. */
  span?: Span;
  /** The field list `[...]` of a block attribute. */
  fieldsSpan?: Span;
}

export type FieldKind = 'scalar' | 'object' | 'enum' | 'composite' | 'unsupported';

export interface FieldInfo {
  name: string;
  type: string;
  kind: FieldKind;
  list: boolean;
  optional: boolean;
  file: string;
  span?: Span;
  nameSpan?: Span;
}

export interface RelationInfo {
  /** The relation field (`user User @relation(...)`). */
  field: FieldInfo;
  target: string;
  /** Scalar fields holding the foreign key (`fields: [...]`), empty on the back-relation side. */
  fromFields: string[];
  references: string[];
  /** The `@relation(...)` attribute and its `fields: [...]` array, when known. */
  attributeSpan?: Span;
  fieldsSpan?: Span;
}

export interface ModelInfo {
  name: string;
  kind: 'model' | 'view';
  file: string;
  nameSpan?: Span;
  span?: Span;
  /** Offset of the closing brace in `file`, or -1 (unterminated or unknown). */
  closeBrace: number;
  /** Indentation of the block's lines. */
  indent: string;
  fields: FieldInfo[];
  indexes: IndexInfo[];
  relations: RelationInfo[];
  /** `@@ignore`d models have no client delegate. */
  ignored: boolean;
  /** `@@map` name. */
  dbName?: string;
  /** True when the model comes only from the last good engine model (not found in the current text). */
  stale: boolean;
}

export interface SchemaFile {
  path: string;
  text: string;
  scan: ScannedFile;
}

export type RelationMode = 'foreignKeys' | 'prisma';

export interface PrismaSchema {
  /** Identity of the schema (its main file or folder, absolute). */
  id: string;
  files: SchemaFile[];
  /** Datasource provider (`postgresql`, `mysql`, `sqlite`, `sqlserver`, `cockroachdb`, `mongodb`). */
  provider?: string;
  relationMode: RelationMode;
  /** The file and span of the datasource block, when there is one. */
  datasource?: { file: string; span: Span; relationModeSpan?: Span };
  models: Map<string, ModelInfo>;
  /** Where the semantics come from: the engine on this text, the last good engine model, or the scanner alone. */
  semantics: 'engine' | 'last-good' | 'scanner';
}

/** Builds the model of one schema (one or more files). `lastGood` is the previous valid model of the same schema. */
export function buildSchema(id: string, inputs: Array<{ path: string; text: string }>, lastGood?: PrismaSchema): PrismaSchema {
  const files: SchemaFile[] = inputs.map((f) => ({ path: f.path, text: f.text, scan: scanSchema(f.text) }));
  const blanked: Array<[string, string]> = files.map((f) => [f.path, blankConnectionUrls(f.scan)]);
  // get_datamodel validates as it goes (it throws on an invalid schema), so a separate lint call
  // is not needed here; Prisma's diagnostics are available through engineLint when wanted.
  const datamodel = engineDatamodel(blanked);
  const schema: PrismaSchema = { id, files, relationMode: 'foreignKeys', models: new Map(), semantics: datamodel ? 'engine' : lastGood ? 'last-good' : 'scanner' };

  readDatasource(schema);
  if (datamodel && !schema.provider && schema.datasource) {
    const config = engineConfig(blanked);
    const provider = config?.datasources[0]?.activeProvider ?? config?.datasources[0]?.provider;
    if (provider) schema.provider = provider;
  }
  if (!schema.provider && lastGood?.provider) schema.provider = lastGood.provider;
  if (!schema.datasource && lastGood) schema.relationMode = lastGood.relationMode;
  if (schema.provider === 'mongodb' && !schema.datasource?.relationModeSpan) schema.relationMode = 'prisma';

  const names = namesByKind(files);
  for (const file of files) {
    for (const block of file.scan.blocks) {
      if (block.kind !== 'model' && block.kind !== 'view') continue;
      if (schema.models.has(block.name)) continue;
      schema.models.set(block.name, modelFromScan(file.path, block, names, lastGood?.models.get(block.name)));
    }
  }
  if (datamodel) applyEngineModel(schema, datamodel);
  else if (lastGood) {
    for (const [name, model] of lastGood.models) if (!schema.models.has(name)) schema.models.set(name, { ...model, span: undefined, nameSpan: undefined, closeBrace: -1, stale: true, indexes: model.indexes.map((i) => ({ ...i, span: undefined, fieldsSpan: undefined })) });
  }
  return schema;
}

function readDatasource(schema: PrismaSchema): void {
  for (const file of schema.files) {
    for (const block of file.scan.blocks) {
      if (block.kind !== 'datasource') continue;
      const provider = block.properties.find((p) => p.key === 'provider');
      if (provider?.value?.kind === 'string') schema.provider = provider.value.text;
      const mode = block.properties.find((p) => p.key === 'relationMode') ?? block.properties.find((p) => p.key === 'referentialIntegrity');
      if (mode?.value?.kind === 'string') schema.relationMode = mode.value.text === 'prisma' ? 'prisma' : 'foreignKeys';
      schema.datasource = { file: file.path, span: block.span, relationModeSpan: mode?.span };
      return;
    }
  }
}

function namesByKind(files: SchemaFile[]): { models: Set<string>; enums: Set<string>; types: Set<string> } {
  const models = new Set<string>();
  const enums = new Set<string>();
  const types = new Set<string>();
  for (const file of files) {
    for (const block of file.scan.blocks) {
      if (block.kind === 'model' || block.kind === 'view') models.add(block.name);
      else if (block.kind === 'enum') enums.add(block.name);
      else if (block.kind === 'type') types.add(block.name);
    }
  }
  return { models, enums, types };
}

const KNOWN_INDEX_ARGS = new Set(['fields', 'map', 'name', 'type', 'clustered', 'length', 'sort']);

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);

function modelFromScan(file: string, block: ScannedBlock, names: ReturnType<typeof namesByKind>, previous: ModelInfo | undefined): ModelInfo {
  const fields: FieldInfo[] = [];
  const indexes: IndexInfo[] = [];
  const relations: RelationInfo[] = [];
  for (const field of block.fields) {
    let kind: FieldKind = SCALARS.has(field.type)
      ? 'scalar'
      : field.type === 'Unsupported'
        ? 'unsupported'
        : names.models.has(field.type)
          ? 'object'
          : names.enums.has(field.type)
            ? 'enum'
            : names.types.has(field.type)
              ? 'composite'
              : 'scalar';
    if (kind === 'scalar' && !SCALARS.has(field.type)) {
      const before = previous?.fields.find((f) => f.name === field.name && f.type === field.type);
      if (before) kind = before.kind;
    }
    const info: FieldInfo = { name: field.name, type: field.type, kind, list: field.list, optional: field.optional, file, span: field.span, nameSpan: field.nameSpan };
    fields.push(info);
    for (const attribute of field.attributes) {
      if (attribute.blockLevel) continue;
      if (attribute.name === 'id' || attribute.name === 'unique') {
        const sort = argument(attribute, 'sort')?.value.text;
        const length = argument(attribute, 'length')?.value.text;
        indexes.push({
          kind: attribute.name,
          fields: [{ name: field.name, sort: sort ? (sort.toLowerCase() === 'desc' ? 'desc' : 'asc') : undefined, length: length ? Number(length) : undefined }],
          fieldLevel: true,
          map: stringArg(attribute, 'map'),
          clustered: argument(attribute, 'clustered')?.value.text,
          file,
          span: attribute.span,
        });
      } else if (attribute.name === 'relation' && kind === 'object') {
        const from = argument(attribute, 'fields');
        relations.push({
          field: info,
          target: field.type,
          fromFields: fieldList(from?.value).map((f) => f.name),
          references: fieldList(argument(attribute, 'references')?.value).map((f) => f.name),
          attributeSpan: attribute.span,
          fieldsSpan: from?.value.span,
        });
      }
    }
    if (kind === 'object' && !field.attributes.some((a) => a.name === 'relation')) {
      relations.push({ field: info, target: field.type, fromFields: [], references: [] });
    }
  }
  let ignored = false;
  let dbName: string | undefined;
  for (const attribute of block.attributes) {
    const kind: IndexKind | undefined = attribute.name === 'id' ? 'id' : attribute.name === 'unique' ? 'unique' : attribute.name === 'index' ? 'index' : attribute.name === 'fulltext' ? 'fulltext' : undefined;
    if (attribute.name === 'ignore') ignored = true;
    if (attribute.name === 'map') dbName = stringArg(attribute, 'name', 0);
    if (!kind) continue;
    const list = argument(attribute, 'fields', 0);
    indexes.push({
      kind,
      fields: fieldList(list?.value).map(({ name, sort, length, ops }) => ({ name, sort, length, ops })),
      algorithm: argument(attribute, 'type')?.value.text,
      fieldLevel: false,
      map: stringArg(attribute, 'map'),
      name: stringArg(attribute, 'name'),
      clustered: argument(attribute, 'clustered')?.value.text,
      otherArgs: attribute.args.filter((a, i) => (a.name ? !KNOWN_INDEX_ARGS.has(a.name) : i > 0)).map((a) => a.name ?? '(positional)'),
      file,
      span: attribute.span,
      fieldsSpan: list?.value.span,
    });
  }
  return {
    name: block.name,
    kind: block.kind === 'view' ? 'view' : 'model',
    file,
    nameSpan: block.nameSpan,
    span: block.span,
    closeBrace: block.closeBrace,
    indent: block.indent,
    fields,
    indexes,
    relations,
    ignored,
    dbName,
    stale: false,
  };
}

function stringArg(attribute: ScannedAttribute, name: string, position?: number): string | undefined {
  const arg = argument(attribute, name, position);
  return arg?.value.kind === 'string' ? arg.value.text : undefined;
}

/** The engine is authoritative on a valid schema: field kinds, relation fields and the index list. */
function applyEngineModel(schema: PrismaSchema, datamodel: EngineDatamodel): void {
  for (const engineModel of datamodel.models) {
    const model = schema.models.get(engineModel.name);
    if (!model) continue;
    for (const engineField of engineModel.fields) {
      const field = model.fields.find((f) => f.name === engineField.name);
      if (!field) continue;
      field.kind = engineField.kind;
      if (engineField.kind === 'object') {
        const relation = model.relations.find((r) => r.field.name === engineField.name);
        if (relation) {
          relation.fromFields = engineField.relationFromFields ?? [];
          relation.references = engineField.relationToFields ?? [];
        }
      }
    }
    const scanned = model.indexes;
    const used = new Set<IndexInfo>();
    model.indexes = datamodel.indexes
      .filter((i) => i.model === engineModel.name)
      .map((engineIndex) => {
        const kind: IndexKind = engineIndex.type === 'normal' ? 'index' : engineIndex.type;
        const fields: IndexField[] = engineIndex.fields.map((f) => ({ name: f.name, sort: f.sortOrder, length: f.length, ops: f.operatorClass }));
        const candidate: IndexInfo = { kind, fields, algorithm: engineIndex.algorithm, fieldLevel: engineIndex.isDefinedOnField, map: engineIndex.dbName ?? undefined, name: engineIndex.name ?? undefined, file: model.file };
        const match = scanned.find((s) => !used.has(s) && s.kind === kind && s.fieldLevel === candidate.fieldLevel && sameFieldNames(s.fields, fields));
        if (match) {
          used.add(match);
          return { ...candidate, file: match.file, span: match.span, fieldsSpan: match.fieldsSpan, clustered: match.clustered, otherArgs: match.otherArgs, algorithm: candidate.algorithm ?? match.algorithm };
        }
        return candidate;
      });
  }
}

function sameFieldNames(a: IndexField[], b: IndexField[]): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i].name);
}

// ---------------------------------------------------------------------------------------------
// Queries over the model (used by rules: missing-relation-index, redundant-index, unindexed-query,
// unbounded-query).

/** Indexes that can serve lookups (everything except full-text). */
export function lookupIndexes(model: ModelInfo): IndexInfo[] {
  return model.indexes.filter((i) => i.kind !== 'fulltext');
}

/** True when `fields` is a leading prefix (in any order) of some index/unique/id of the model. */
export function isCoveredAsPrefix(model: ModelInfo, fields: readonly string[]): boolean {
  if (fields.length === 0) return true;
  return lookupIndexes(model).some((index) => {
    if (index.fields.length < fields.length) return false;
    const prefix = new Set(index.fields.slice(0, fields.length).map((f) => f.name));
    return fields.every((f) => prefix.has(f));
  });
}

/** The first index/unique/id whose leading field is one of `equalityFields`, if any. */
export function indexStartingWithAny(model: ModelInfo, equalityFields: readonly string[]): IndexInfo | undefined {
  const wanted = new Set(equalityFields);
  return lookupIndexes(model).find((index) => index.fields.length > 0 && wanted.has(index.fields[0].name));
}

/**
 * True when a filter that pins every field in `whereFieldNames` by equality can match at most one
 * row: some `@id`/`@unique`/`@@id`/`@@unique` has all its fields among them. Compound selector
 * keys (`userId_productId`, or the `name:` of the compound) count as pinning their fields.
 * For `unbounded-query`: `findMany({ where: { email } })` on a unique `email` is bounded.
 */
export function isUniqueFilter(model: ModelInfo, whereFieldNames: Iterable<string>): boolean {
  const pinned = new Set(whereFieldNames);
  for (const index of model.indexes) {
    if (index.kind !== 'id' && index.kind !== 'unique') continue;
    if (index.fields.length === 0) continue;
    const selector = index.name ?? index.fields.map((f) => f.name).join('_');
    if (pinned.has(selector)) return true;
    if (index.fields.every((f) => pinned.has(f.name))) return true;
  }
  return false;
}

/** The model a client delegate names (`orderLine` → `OrderLine`): the model name with its first letter lower-cased. */
export function modelForDelegate(schema: PrismaSchema, delegate: string): ModelInfo | undefined {
  for (const model of schema.models.values()) {
    if (model.ignored) continue;
    if (delegateName(model.name) === delegate) return model;
  }
  return undefined;
}

/** The client delegate of a model name (`OrderLine` → `orderLine`). */
export function delegateName(modelName: string): string {
  return modelName.charAt(0).toLowerCase() + modelName.slice(1);
}

/** The file of a schema with the given absolute path. */
export function schemaFile(schema: PrismaSchema, filePath: string): SchemaFile | undefined {
  return schema.files.find((f) => f.path === filePath);
}

/** The models declared in one file of the schema, as found in its current text. */
export function modelsDeclaredIn(schema: PrismaSchema, filePath: string): ModelInfo[] {
  return [...schema.models.values()].filter((m) => m.file === filePath && !m.stale);
}
