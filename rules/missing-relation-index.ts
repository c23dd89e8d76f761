/**
 * missing-relation-index: a Prisma relation whose foreign-key fields (`@relation(fields: [...])`)
 * are not the leading fields of any index, unique constraint or id of the model.
 */
import { defineRule } from '../engine/rule';
import { addBlockAttributeEdit, indexAttributeText, isCoveredAsPrefix, modelsDeclaredIn, schemaForPrismaFile, type PrismaSchema } from '../engine/prisma';

const PROVIDER_NAMES: Record<string, string> = {
  postgresql: 'PostgreSQL',
  postgres: 'PostgreSQL',
  cockroachdb: 'CockroachDB',
  sqlserver: 'SQL Server',
  sqlite: 'SQLite',
  mysql: 'MySQL',
  mongodb: 'MongoDB',
};

/** Why the missing index costs, and whether it is only informational (MySQL/InnoDB with foreign keys). */
function costOf(schema: PrismaSchema): { reason: string; info: boolean } {
  const name = PROVIDER_NAMES[schema.provider ?? ''] ?? 'the database';
  if (schema.relationMode === 'prisma') {
    return { reason: 'with `relationMode = "prisma"` the database has no foreign key (and no index) for it', info: false };
  }
  if (schema.provider === 'mysql') {
    return { reason: 'InnoDB indexes the foreign key implicitly today, but the schema does not declare it: with `relationMode = "prisma"` (PlanetScale, Vitess) the foreign key and its index disappear', info: true };
  }
  return { reason: `${name} does not index foreign keys`, info: false };
}

export default defineRule({
  id: 'missing-relation-index',
  meta: {
    category: 'schema',
    defaultSeverity: 'warning',
    description: 'A Prisma relation whose foreign-key fields are not the leading fields of any index, unique or id of the model.',
    fix: 'suggestion',
    languages: ['prisma'],
  },
  create(context) {
    return {
      onFileEnd() {
        const schema = schemaForPrismaFile(context.project, context.path, context.text);
        const { reason, info } = costOf(schema);
        for (const model of modelsDeclaredIn(schema, context.path)) {
          if (model.kind !== 'model' || model.ignored) continue;
          for (const relation of model.relations) {
            if (relation.fromFields.length === 0 || !relation.fieldsSpan) continue;
            if (isCoveredAsPrefix(model, relation.fromFields)) continue;
            const fields = relation.fromFields.map((f) => `\`${f}\``).join(', ');
            const target = schema.models.get(relation.target);
            const edit = addBlockAttributeEdit(model, context.text, indexAttributeText(relation.fromFields));
            context.report({
              range: relation.fieldsSpan,
              message: `Relation \`${model.name}.${relation.field.name}\` has no index on ${fields}: ${reason}${info ? ', and then loading' : ', so loading'} the \`${relation.target}\`'s \`${model.name}\` rows, joins and cascading deletes scan the whole \`${model.name}\` table.`,
              demote: info ? 1 : undefined,
              related: target?.nameSpan && !target.stale ? [{ path: target.file, range: target.nameSpan, message: `referenced model \`${target.name}\`` }] : [],
              fixes: edit ? [{ kind: 'suggestion', title: `Add ${indexAttributeText(relation.fromFields)} to model ${model.name}`, edits: [edit] }] : [],
            });
          }
        }
      },
    };
  },
});
