/** Pure business rules (docs/domain-rules.md): no I/O, nothing imported from the rest of the project. */
export * from './money.js';
export * from './economics.js';
export * from './guardrails.js';
export * from './sales.js';
export * from './bom.js';
export * from './recommendation-lifecycle.js';
