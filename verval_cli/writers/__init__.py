"""Everything verval writes for people: Parquet, workbooks, the progress page, village workbooks, copies.

The top of the import graph: writers read :mod:`verval_cli.result` (and validate's report) and nothing
below imports them. Each writer is imported from its own module, so writing one kind of file never
loads the libraries of another (xlsxwriter, openpyxl).
"""
