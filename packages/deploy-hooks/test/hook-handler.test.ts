import { checkBudgetMs, MAX_CHECK_BUDGET_MS, REPORT_MARGIN_MS } from '../src/hook-handler';

describe('checkBudgetMs', () => {
  it('keeps the report margin free when little time is left', () => {
    expect(checkBudgetMs(REPORT_MARGIN_MS + 1_500)).toBe(1_500);
  });

  it('leaves no budget when the margin is already eaten', () => {
    expect(checkBudgetMs(REPORT_MARGIN_MS - 1_000)).toBeLessThanOrEqual(0);
  });

  it('caps the checks so a hanging dependency fails the deployment within a minute', () => {
    // A 5-minute hook timeout must not let a hung call delay the rollback by 5 minutes.
    expect(checkBudgetMs(5 * 60_000)).toBe(MAX_CHECK_BUDGET_MS);
  });
});
