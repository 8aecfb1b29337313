/** Drawing the lines of a BOM version. */
import { type Ctx } from './context.js';
import { Rng } from './random.js';

export interface BomLineDraft { componentIdx: number; q4: number; w4: number }

export function drawBomLines(ctx: Ctx, rng: Rng): BomLineDraft[] {
  const count = rng.int(1, Math.min(5, ctx.components.length));
  const used = new Set<number>();
  const lines: BomLineDraft[] = [];
  while (lines.length < count) {
    const idx = rng.int(0, ctx.components.length - 1);
    if (used.has(idx)) continue;
    used.add(idx);
    const c = ctx.components[idx]!;
    const q4 = c.uom === 'each' || c.uom === 'pack' || c.uom === 'sheet' ? rng.int(1, 4) * 10_000 : rng.int(1, 60) * 250; // 0.025 … 1.5
    const w4 = rng.weighted([[0, 5], [200, 2], [500, 2], [rng.int(1, 1000), 1]] as const);
    lines.push({ componentIdx: idx, q4, w4 });
  }
  return lines;
}
