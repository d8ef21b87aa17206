"""Monthly analysis and assessment (issue #14): the one statistics query layer read by the
dashboard, the `stats`/`report`/`assess` commands and the monthly report; 防激化 records; 考核
weights and ranking; the ledger import from Excel."""
