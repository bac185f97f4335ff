"""Buyer-message CSV/XLSX import with a suggested reply per message.

Columns: ``message_id``, ``buyer_name``, ``body`` required; ``order_id``, ``marketplace``,
``language``, ``buyer_country``, ``incoterm``, ``received_at``, ``subject`` optional (see
:mod:`xborder.listings.rows`). Whole file validated first; a bad file writes nothing; a message
already stored (same marketplace + message_id) is skipped, so importing twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.importing import ImportResult, RowErrors, find_batch, read_table, record_batch
from xborder.listings import rows, service

KIND = "listings.buyer_messages"


def import_messages(s: Session, principal: Principal, data: bytes, filename: str, seller_name: str) -> ImportResult:
    principal.require("operations")
    table = read_table(data, filename=filename)
    errors = RowErrors()
    if not table.rows:
        errors.add(1, "message_id", "the file has no data rows")
    records, errs = rows.message_rows([r.values for r in table.rows], start_line=0)
    line_of = [r.line for r in table.rows]
    for e in errs:
        errors.add(line_of[e["line"]], e["column"], e["message"])
    errors.raise_if_any("buyer message file")
    result = ImportResult()
    result.imported, result.skipped_duplicates = service.store_messages(s, principal, records, seller_name, table.sha256)
    if find_batch(s, principal.org_id, KIND, table.sha256) is None:
        record_batch(s, principal.org_id, KIND, filename, table.sha256, result, len(table.rows))
    return result
