-- Generated from crates/core/data/record-kinds.toml by jixiao-store's schema.rs; keep in step (a test compares).

-- Line-month totals (指标月度汇总): per unit, fiscal year, appropriation line and month of the voucher date
-- (yyyymm), the budget by kind, the spending and the number of vouchers. `Store::apply` adds to them in the
-- transaction that inserts the vouchers, so totals are read per line instead of summed over every voucher.
CREATE TABLE line_month_total (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    year BIGINT NOT NULL,
    line_code TEXT NOT NULL,
    period BIGINT NOT NULL,
    carry_over BIGINT NOT NULL,
    initial BIGINT NOT NULL,
    adjustments BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    budget_vouchers BIGINT NOT NULL,
    expenditures BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year, line_code, period)
);
CREATE INDEX line_month_total_year_unit ON line_month_total (year, unit_id);

-- The totals of the vouchers already stored (dates are ISO text: yyyy-mm-dd).
INSERT INTO line_month_total (unit_id, year, line_code, period, carry_over, initial, adjustments, spent, budget_vouchers, expenditures)
SELECT unit_id, year, line_code, period,
       CAST(SUM(carry_over) AS BIGINT), CAST(SUM(initial) AS BIGINT), CAST(SUM(adjustments) AS BIGINT), CAST(SUM(spent) AS BIGINT),
       CAST(SUM(budget_vouchers) AS BIGINT), CAST(SUM(expenditures) AS BIGINT)
FROM (
    SELECT unit_id, year, line_code,
           CAST(SUBSTR(date, 1, 4) AS BIGINT) * 100 + CAST(SUBSTR(date, 6, 2) AS BIGINT) AS period,
           CASE WHEN kind = 'carry_over' THEN amount ELSE 0 END AS carry_over,
           CASE WHEN kind = 'initial' THEN amount ELSE 0 END AS initial,
           CASE WHEN kind = 'reduction' THEN -amount WHEN kind IN ('carry_over', 'initial') THEN 0 ELSE amount END AS adjustments,
           0 AS spent, 1 AS budget_vouchers, 0 AS expenditures
    FROM budget_voucher
    UNION ALL
    SELECT unit_id, year, line_code,
           CAST(SUBSTR(date, 1, 4) AS BIGINT) * 100 + CAST(SUBSTR(date, 6, 2) AS BIGINT),
           0, 0, 0, amount, 0, 1
    FROM expenditure
) entries
GROUP BY unit_id, year, line_code, period;
