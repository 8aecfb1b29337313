import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';

const DATABASE_ID = /^[1-9]\d{0,9}$/;
const MAX_INT4 = 2_147_483_647;

/** Decodes a Relay global ID without throwing: null when it is not one. */
export function safeDecodeGlobalID(globalID: string): { typename: string; id: string } | null {
  try {
    const decoded = decodeGlobalID(globalID);
    return decoded.typename && decoded.id ? decoded : null;
  } catch {
    return null;
  }
}

function isDatabaseId(id: string): boolean {
  return DATABASE_ID.test(id) && Number(id) <= MAX_INT4;
}

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
  const decoded = safeDecodeGlobalID(globalID);
  if (!decoded || !types.includes(decoded.typename) || !isDatabaseId(decoded.id)) {
    throw new GraphQLError(`${argument} must be a ${types.join(' or ')} ID; got ${JSON.stringify(globalID)}`, {
      extensions: { code: 'BAD_USER_INPUT', argument },
    });
  }
  return Number(decoded.id);
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
