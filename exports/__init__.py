"""Files for other programs (CSV today): cells that a spreadsheet must never run as formulas."""
