import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { isDatabaseId, parseGlobalId } from '../resolvers/global-id.js';

export { safeDecodeGlobalID } from '../resolvers/global-id.js';

/** True when the ID names a Node type of this schema and carries a valid integer key. */
export function isLoadableNodeId(schema: GraphQLSchema, id: { typename: string; id: string }): boolean {
  const type = schema.getType(id.typename);
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node') && isDatabaseId(id.id);
}

/**
 * The database id behind a global ID argument of the expected type(s); a GraphQL validation error
 * naming the argument otherwise.
 */
export function databaseIdOf(globalID: string, expected: string | string[], argument: string): number {
  const types = Array.isArray(expected) ? expected : [expected];
  const parsed = parseGlobalId(globalID, types);
  if (parsed.ok) return parsed.id;
  throw new GraphQLError(`${argument} must be a ${types.join(' or ')} ID; got ${JSON.stringify(globalID)}`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}

/** Prisma's "record not found" (P2025) from a node lookup becomes null: an unknown id is not an error. */
export async function nullWhenNotFound<T>(load: () => Promise<T> | T): Promise<T | null> {
  try {
    return (await load()) ?? null;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2025') return null;
    throw error;
  }
}
