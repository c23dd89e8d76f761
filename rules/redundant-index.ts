/**
 * redundant-index: a Prisma `@@index` equal to, or a leading prefix of, another index, unique
 * constraint or id of the same model (same sort orders, same index type).
 */
import { defineRule } from '../engine/rule';
import { describeIndex, modelsDeclaredIn, removeAttributeLineEdit, schemaForPrismaFile, type IndexField, type IndexInfo } from '../engine/prisma';

/** Index types a B-tree prefix argument holds for (the default type is B-tree). */
function isBTree(index: IndexInfo): boolean {
  return index.algorithm === undefined || index.algorithm === 'BTree';
}

function sameField(a: IndexField, b: IndexField): boolean {
  return a.name === b.name && (a.sort ?? 'asc') === (b.sort ?? 'asc') && a.length === b.length && a.ops === b.ops;
}

/** 'equal' when `index` has the same fields as `other`, 'prefix' when it is a strict leading prefix of it. */
function relation(index: IndexInfo, other: IndexInfo): 'equal' | 'prefix' | undefined {
  if (other.kind === 'fulltext' || index.fields.length === 0 || index.fields.length > other.fields.length) return undefined;
  // An argument PerfLint does not model (a partial index's `where:`…) may make either index special.
  if (index.otherArgs?.length || other.otherArgs?.length) return undefined;
  if ((index.algorithm ?? 'BTree') !== (other.algorithm ?? 'BTree')) return undefined;
  if (!index.fields.every((field, i) => sameField(field, other.fields[i]))) return undefined;
  if (index.fields.length === other.fields.length) return 'equal';
  // Only a B-tree serves lookups on a leading prefix of its columns.
  return isBTree(other) ? 'prefix' : undefined;
}

export default defineRule({
  id: 'redundant-index',
  meta: {
    category: 'schema',
    defaultSeverity: 'warning',
    description: 'A Prisma @@index that equals, or is a leading prefix of, another index, unique or id of the same model.',
    fix: 'suggestion',
    languages: ['prisma'],
  },
  create(context) {
    return {
      onFileEnd() {
        const schema = schemaForPrismaFile(context.project, context.path, context.text);
        for (const model of modelsDeclaredIn(schema, context.path)) {
          model.indexes.forEach((index, position) => {
            if (index.kind !== 'index' || index.fieldLevel || !index.span || index.file !== context.path || index.clustered) return;
            // Equal indexes: the later one is the redundant one; a prefix is redundant whatever the order.
            const covering = model.indexes.find((other, j) => {
              if (other === index) return false;
              const how = relation(index, other);
              if (how === 'prefix') return true;
              return how === 'equal' && (other.kind !== 'index' || j < position);
            });
            if (!covering) return;
            const how = relation(index, covering);
            const edit = removeAttributeLineEdit(context.text, index.span);
            const what = describeIndex(index);
            const cost = how === 'equal' ? 'it indexes exactly the same columns' : 'it starts with the same columns, so it serves every lookup this one serves';
            context.report({
              range: index.span,
              message: `${what} on \`${model.name}\` is redundant with ${describeIndex(covering)}: ${cost}. Each extra index is written on every insert and update of \`${model.name}\` and takes disk and cache space.`,
              related: covering.span ? [{ path: covering.file, range: covering.span, message: `covering ${covering.kind === 'index' ? 'index' : covering.kind}` }] : [],
              fixes: edit ? [{ kind: 'suggestion', title: `Remove the redundant ${what.replace(/`/g, '')}`, edits: [edit] }] : [],
            });
          });
        }
      },
    };
  },
});
