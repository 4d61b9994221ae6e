"""Import of ideas and organisations from an .xlsx workbook.

``template`` writes the workbook to fill in, ``reading`` opens an upload safely (size,
archive, macros, XML), ``parsing`` turns its rows into values with every problem by sheet,
row and column, and ``services`` checks the rows against the database and writes them all
or none through the portfolio's own services.
"""
