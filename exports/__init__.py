"""Files for other programs: CSV of scores, and the ministry statistics releases as CSV, XLSX and
Parquet. Text cells a spreadsheet could run as formulas are always neutralised (``exports.neutralise``)."""
