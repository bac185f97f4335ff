"""Keyword research CSV/XLSX: competitor titles and customer search terms with demand.

Columns: ``text`` (or title / keyword / search_term / query), optional ``kind`` and ``demand``
(or search volume / monthly sales). See :mod:`xborder.listings.rows`. Whole file validated
first; a bad file writes nothing; re-importing changes nothing (natural key: set + kind +
normalised text; the file hash is recorded in ``import_batches``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.importing import ImportResult, RowErrors, find_batch, read_table, record_batch
from xborder.listings import rows, service

KIND = "listings.keywords"


def import_keywords(s: Session, principal: Principal, data: bytes, filename: str, set_name: str) -> ImportResult:
    principal.require("catalog")
    table = read_table(data, filename=filename)
    errors = RowErrors()
    if not table.rows:
        errors.add(1, "text", "the file has no data rows")
    sources, errs = rows.keyword_rows([r.values for r in table.rows], start_line=0)
    line_of = [r.line for r in table.rows]
    for e in errs:
        errors.add(line_of[e["line"]], e["column"], e["message"])
    errors.raise_if_any("keyword file")
    result = ImportResult()
    result.imported, result.skipped_duplicates = service.store_keyword_sources(s, principal, set_name, sources, table.sha256)
    if find_batch(s, principal.org_id, KIND, table.sha256) is None:
        record_batch(s, principal.org_id, KIND, filename, table.sha256, result, len(table.rows))
    return result
