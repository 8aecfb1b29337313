import { describe, expect, test } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { classifyDatabaseError } from '../../src/resolvers/core/database-errors.js';

/** PostgreSQL errors as the pg driver reports them (SQLSTATE in `code`, the constraint by name). */
function typedError(outcome: ReturnType<typeof classifyDatabaseError>): Error {
  if (outcome.kind !== 'typed') throw new Error(`expected a typed error, got ${outcome.kind}`);
  return outcome.error;
}

const pgError = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

describe('database errors a mutation cannot foresee become a ValidationError in the documented path format', () => {
  test.each([
    ['23503', 'insert or update on table "bom_lines" violates foreign key constraint "bom_lines_component_id_fkey"', { constraint: 'bom_lines_component_id_fkey' }, 'bom_lines_component_id_fkey'],
    ['23502', 'null value in column "title" of relation "listings" violates not-null constraint', { column: 'title' }, 'a column'],
    ['23514', 'new row for relation "components" violates check constraint "components_cost_nonneg"', { constraint: 'components_cost_nonneg' }, 'components_cost_nonneg'],
  ])('SQLSTATE %s: field "input", the reason names what the database refused', (code, message, extra, named) => {
    const error = typedError(classifyDatabaseError(pgError(code, message, extra))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('input');
    expect(error.reason).toContain(named);
  });

  test('a component listed twice in one BOM names the lines, and a serialization failure is retried', () => {
    const duplicate = classifyDatabaseError(pgError('23505', 'duplicate key value violates unique constraint "bom_lines_unique"', { constraint: 'bom_lines_unique' }));
    expect((typedError(duplicate) as ValidationError).field).toBe('lines');
    expect(classifyDatabaseError(pgError('40001', 'could not serialize access'))).toEqual({ kind: 'retry' });
  });
});
