"""The one workbook layer every .xlsx qingdan writes goes through (on xlsxwriter).

``cells`` makes any text safe to store, ``layout`` sizes and sets up sheets for print, ``writer``
owns the workbook being written and its styles, and saves it atomically. The list workbooks
(``lists``), the entry templates (``template``) and the 修订对照表 are drawn on it. Only the
commands that write a workbook import this package, and with it xlsxwriter.
"""
