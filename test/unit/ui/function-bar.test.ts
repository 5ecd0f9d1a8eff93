import { describe, expect, it } from 'vitest';
import { Canvas } from '../../../src/ui/canvas.js';
import { initialUiState } from '../../../src/ui/ui-state.js';
import { drawFunctionBar } from '../../../src/ui/widgets/function-bar.js';

describe('the function bar', () => {
  it('keeps F10Quit whole at 80 columns however much status there is; the status is cut after the keys', () => {
    const state = {
      ...initialUiState(),
      message: 'kill 4200001: operation not permitted',
      filterText: 'postgres',
      tagged: new Set([1, 2]),
      followNew: true,
    };
    const canvas = new Canvas(80, 1);
    drawFunctionBar(canvas, 0, state, false);
    const row = canvas.rowText(0);
    expect(row).toContain('F9Kill  F10Quit');
    expect(row.endsWith('…')).toBe(true);
  });

  it('puts the status right-aligned where there is room', () => {
    const canvas = new Canvas(140, 1);
    drawFunctionBar(canvas, 0, { ...initialUiState(), filterText: 'cc1' }, false);
    expect(canvas.rowText(0)).toMatch(/F10Quit +filter:cc1 $/);
  });
});
