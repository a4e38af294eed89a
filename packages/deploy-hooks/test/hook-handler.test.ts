import { checkBudgetMs, REPORT_MARGIN_MS } from '../src/hook-handler';

describe('checkBudgetMs', () => {
  it('keeps the report margin free when little time is left', () => {
    expect(checkBudgetMs(REPORT_MARGIN_MS + 1_500)).toBe(1_500);
  });

  it('leaves no budget when the margin is already eaten', () => {
    expect(checkBudgetMs(REPORT_MARGIN_MS - 1_000)).toBeLessThanOrEqual(0);
  });

  it('gives the checks the rest of the invocation; each check caps its own time', () => {
    expect(checkBudgetMs(5 * 60_000)).toBe(5 * 60_000 - REPORT_MARGIN_MS);
  });
});
