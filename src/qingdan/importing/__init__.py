"""Office workbooks (.xlsx, .xls, .ods) read back into list files: ``qingdan import xlsx`` and
``qingdan validate FILE.xlsx``.

``reading`` turns a workbook into cell grids (merged cells filled in, guards against files that
would exhaust memory), ``headers`` finds each sheet's header rows and maps them to fields by the
kinds' titles and aliases, ``cells`` parses cell text back into field values (the inverse of
``present.values.render``), ``items`` builds the items of a sheet, ``overlay`` turns them into a
derived list, and ``conversion`` puts it together and validates the result before anything is
written. python-calamine is imported only in ``reading``, and only when a workbook is read.
"""
