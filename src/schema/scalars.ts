import { Decimal } from 'decimal.js';
import { GraphQLError, Kind } from 'graphql';
import { DateResolver, DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { builder } from './builder.js';

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('JSON', JSONResolver);

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** NUMERIC values (money, ratios) travel as decimal strings so no client ever sees a float. */
builder.scalarType('Decimal', {
  description:
    'An exact decimal number as a string, e.g. "24.00" or "0.4250"; never a float. Money has 2 decimals, ratios 4 (see each field). An input that is not a decimal number is refused before any resolver runs: BAD_USER_INPUT with extensions.argument naming its path, e.g. "createBomVersion.input.lines[0].quantity".',
  serialize: (value) => {
    if (typeof value === 'string') return value;
    if (value && typeof (value as { toFixed?: unknown }).toFixed === 'function') {
      return withAtLeastTwoDecimals((value as { toFixed(): string }).toFixed());
    }
    throw new GraphQLError('Decimal cannot represent a non-decimal value');
  },
  parseValue: (value) => parseDecimal(value),
  // A plain Error (not GraphQLError) here, so graphql-js reports it with the literal's location,
  // which src/graphql/input-paths.ts turns into the argument path.
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) {
      throw new Error('Decimal must be given as a string such as "19.99"');
    }
    try {
      return parseDecimal(ast.value);
    } catch (error) {
      throw new Error((error as Error).message);
    }
  },
});

/**
 * Prisma's Decimal drops the column's scale (24.00 arrives as 24), so database values are shown
 * with at least two decimals ("24.00", "0.20"); finer values keep every digit ("0.1155").
 */
function withAtLeastTwoDecimals(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  return fraction.length >= 2 ? text : `${whole}.${fraction.padEnd(2, '0')}`;
}

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL_PATTERN.test(text.trim())) {
    throw new GraphQLError(`Invalid Decimal ${JSON.stringify(value)}: use a string such as "19.99"`);
  }
  return new Decimal(text.trim()).toFixed();
}
