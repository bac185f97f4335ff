"""Export VAT rebate (出口退税): refund engine, rebate-rate library, document matching, deadlines.

Pure modules (no I/O): :mod:`rules`, :mod:`engine`, :mod:`rates`, :mod:`matching`,
:mod:`deadlines`, :mod:`fob`. File formats: :mod:`dbf`. Database and edges: ``orm``,
``service``, ``importers``, ``cli``, ``api``, ``web``, ``workbook``, ``demo``.
"""
