import { describe, expect, it } from 'vitest';
import { nextVersion, validateBomLines } from '../../src/domain/bom.js';

describe('validateBomLines', () => {
  it('accepts valid lines and an empty list', () => {
    expect(validateBomLines([])).toEqual([]);
    expect(
      validateBomLines([
        { componentId: 1, quantity: '2', wastageRate: '0.05' },
        { componentId: 2, quantity: '1.5', wastageRate: 0 },
        { componentSku: 'BOX-1', quantity: 1 },
      ]),
    ).toEqual([]);
  });

  it('requires quantity > 0', () => {
    expect(validateBomLines([{ componentId: 1, quantity: '0' }])).toEqual([
      { field: 'lines[0].quantity', message: 'quantity must be a number greater than 0' },
    ]);
    expect(validateBomLines([{ componentId: 1, quantity: -1 }])[0]!.field).toBe('lines[0].quantity');
    expect(validateBomLines([{ componentId: 1, quantity: null }])[0]!.field).toBe('lines[0].quantity');
    expect(validateBomLines([{ componentId: 1, quantity: 'two' }])[0]!.field).toBe('lines[0].quantity');
  });

  it('requires 0 ≤ wastage < 1', () => {
    expect(validateBomLines([{ componentId: 1, quantity: 1, wastageRate: '1' }])).toEqual([
      { field: 'lines[0].wastageRate', message: 'wastage rate must be in [0, 1)' },
    ]);
    expect(validateBomLines([{ componentId: 1, quantity: 1, wastageRate: '-0.01' }])[0]!.field).toBe('lines[0].wastageRate');
    expect(validateBomLines([{ componentId: 1, quantity: 1, wastageRate: '0.9999' }])).toEqual([]);
    expect(validateBomLines([{ componentId: 1, quantity: 1, wastageRate: null }])).toEqual([]);
  });

  it('rejects digits the numeric(10,4) / numeric(5,4) columns would drop', () => {
    expect(validateBomLines([{ componentId: 1, quantity: '1.00001' }])[0]!.field).toBe('lines[0].quantity');
    expect(validateBomLines([{ componentId: 1, quantity: '1000000' }])[0]!.field).toBe('lines[0].quantity');
    expect(validateBomLines([{ componentId: 1, quantity: 1, wastageRate: '0.12345' }])[0]!.field).toBe('lines[0].wastageRate');
  });

  it('reports a duplicate component in one payload', () => {
    expect(
      validateBomLines([
        { componentId: 7, quantity: 1 },
        { componentId: 8, quantity: 1 },
        { componentId: 7, quantity: 2 },
      ]),
    ).toEqual([{ field: 'lines[2].componentId', message: 'duplicate component (also on line 0)' }]);
    expect(validateBomLines([{ componentSku: 'A', quantity: 1 }, { componentSku: 'a ', quantity: 1 }])[0]!.field).toBe('lines[1].componentId');
  });

  it('requires a component reference and reports every error of a line', () => {
    expect(validateBomLines([{ quantity: 0, wastageRate: 2 }])).toEqual([
      { field: 'lines[0].componentId', message: 'a component id or SKU is required' },
      { field: 'lines[0].quantity', message: 'quantity must be a number greater than 0' },
      { field: 'lines[0].wastageRate', message: 'wastage rate must be in [0, 1)' },
    ]);
  });

  it('uses the given field prefix', () => {
    expect(validateBomLines([{ componentId: 1, quantity: 0 }], 'input.lines')[0]!.field).toBe('input.lines[0].quantity');
  });
});

describe('nextVersion', () => {
  it('starts at 1 and is MAX + 1', () => {
    expect(nextVersion(null)).toBe(1);
    expect(nextVersion(undefined)).toBe(1);
    expect(nextVersion(1)).toBe(2);
    expect(nextVersion(41)).toBe(42);
  });
});
