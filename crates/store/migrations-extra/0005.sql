-- Segregation of duties: who entered a batch (the signed-in user of the web app or API), so that a voucher's
-- approver can be checked against its enterer. Empty for imports from files (their source names them).
ALTER TABLE import_batch ADD COLUMN entered_by TEXT;
