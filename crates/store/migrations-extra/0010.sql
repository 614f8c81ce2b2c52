-- Procurement payment totals (采购付款汇总): per unit, fiscal year, line and 采购编号, what the expenditures
-- naming that procurement paid (reversals naming it included) and how many they are. `Store::apply` adds to
-- them in the transaction that inserts the vouchers, beside the line-month totals; books in summary form
-- (`Store::books_summary`) read them instead of every procurement payment.
CREATE TABLE procurement_payment_total (
    unit_id BIGINT NOT NULL REFERENCES unit(id),
    year BIGINT NOT NULL,
    line_code TEXT NOT NULL,
    procurement_ref TEXT NOT NULL,
    paid BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year, line_code, procurement_ref)
);

-- The totals of the payments already stored.
INSERT INTO procurement_payment_total (unit_id, year, line_code, procurement_ref, paid, payments)
SELECT unit_id, year, line_code, procurement_ref, CAST(SUM(amount) AS BIGINT), CAST(COUNT(*) AS BIGINT)
FROM expenditure WHERE procurement_ref IS NOT NULL
GROUP BY unit_id, year, line_code, procurement_ref;

-- Summary books read the payments naming a procurement the books lack through this (the scan of a
-- unit-year's expenditures would grow with its vouchers).
CREATE INDEX expenditure_procurement ON expenditure (unit_id, year, procurement_ref) WHERE procurement_ref IS NOT NULL;
