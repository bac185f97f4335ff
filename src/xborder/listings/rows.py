"""Row validators for the listings importers (pure: rows in, records and row errors out).

* keyword research CSV (competitor titles / customer search terms, used when the selection
  package's research imports are not available): ``text`` (aliases: title, keyword,
  search_term, search term, query), optional ``kind`` (title | search_term; default from the
  column name), optional ``demand`` (aliases: search_volume, monthly_sales, sales, volume);
* buyer messages CSV: ``message_id``, ``buyer_name``, ``body`` (alias: message) required;
  ``order_id``, ``marketplace``, ``language``, ``buyer_country``, ``incoterm``, ``received_at``,
  ``subject`` optional.

Errors are ``{"line", "column", "message"}`` with the file's line numbers (header = line 1).

>>> srcs, errs = keyword_rows([{"keyword": "phone case", "search volume": "1,200"}], start_line=2)
>>> srcs[0].kind, srcs[0].demand, errs
('search_term', Decimal('1200'), [])
>>> _, errs = keyword_rows([{"keyword": "", "search volume": "-3"}], start_line=2)
>>> [e["column"] for e in errs]
['keyword', 'search volume']
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from xborder.listings.seo import Source

TEXT_ALIASES = ("text", "title", "keyword", "search_term", "search term", "query", "customer search term")
DEMAND_ALIASES = ("demand", "search_volume", "search volume", "monthly_sales", "monthly sales", "sales", "volume", "searches")


def _norm(row: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    return {str(k).strip().lower(): (str(k).strip(), v) for k, v in row.items() if k is not None}


def _pick(n: dict[str, tuple[str, Any]], aliases: tuple[str, ...]) -> tuple[str | None, Any]:
    for a in aliases:
        if a in n:
            return n[a]
    return None, None


def keyword_rows(rows: list[dict[str, Any]], start_line: int = 2) -> tuple[list[Source], list[dict[str, Any]]]:
    out: list[Source] = []
    errors: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        line = start_line + i
        n = _norm(row)
        col, text = _pick(n, TEXT_ALIASES)
        if col is None:
            errors.append({"line": line, "column": "text", "message": "missing column: text (or title / keyword / search_term)"})
            continue
        text = str(text or "").strip()
        if not text:
            errors.append({"line": line, "column": col, "message": f"{col}: empty"})
        kcol, kind = _pick(n, ("kind", "type"))
        kind = str(kind or "").strip().lower().replace(" ", "_")
        if not kind:
            kind = "title" if col.lower() == "title" else ("search_term" if col.lower() != "text" else "title")
        if kind not in ("title", "search_term"):
            errors.append({"line": line, "column": kcol or "kind", "message": f"kind: expected title or search_term, got {kind!r}"})
        dcol, dem = _pick(n, DEMAND_ALIASES)
        demand = Decimal(0)
        if dcol is not None and str(dem or "").strip():
            try:
                demand = Decimal(str(dem).strip().replace(",", "").replace("_", ""))
                if demand < 0 or not demand.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append({"line": line, "column": dcol, "message": f"{dcol}: {dem!r} is not a non-negative number"})
                demand = Decimal(0)
        if text:
            out.append(Source(text=text, demand=demand, kind=kind))
    return out, errors


MESSAGE_REQUIRED = ("message_id", "buyer_name", "body")


def message_rows(rows: list[dict[str, Any]], start_line: int = 2) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from xborder.listings import messages as msgs

    out: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        line = start_line + i
        n = {k: (str(v).strip() if v is not None else "") for k, (_, v) in _norm(row).items()}
        if "body" not in n and "message" in n:
            n["body"] = n["message"]
        rec: dict[str, Any] = {}
        bad = False
        for key in MESSAGE_REQUIRED:
            if not n.get(key):
                errors.append({"line": line, "column": key, "message": f"{key}: required"})
                bad = True
        mid = n.get("message_id", "")
        if mid and mid in seen:
            errors.append({"line": line, "column": "message_id", "message": f"message_id: {mid!r} appears twice in the file"})
            bad = True
        seen.add(mid)
        lang = n.get("language", "").lower()[:2]
        if lang and lang not in msgs.languages():
            errors.append({"line": line, "column": "language", "message": f"language: {lang!r} not one of {', '.join(msgs.languages())}"})
            bad = True
        inc = n.get("incoterm", "").upper()
        if inc and inc not in ("DDP", "DAP"):
            errors.append({"line": line, "column": "incoterm", "message": "incoterm: expected DDP or DAP"})
            bad = True
        received = None
        if n.get("received_at"):
            try:
                received = datetime.fromisoformat(n["received_at"].replace("Z", "+00:00"))
            except ValueError:
                try:
                    received = datetime.combine(date.fromisoformat(n["received_at"][:10]), datetime.min.time())
                except ValueError:
                    errors.append({"line": line, "column": "received_at", "message": f"received_at: {n['received_at']!r} is not an ISO date/time"})
                    bad = True
        if bad:
            continue
        rec = {"message_id": mid, "buyer_name": n["buyer_name"], "body": n["body"], "order_id": n.get("order_id", ""),
               "marketplace": n.get("marketplace", ""), "language": lang, "buyer_country": n.get("buyer_country", "").upper(),
               "incoterm": inc, "received_at": received, "subject": n.get("subject", "")}
        out.append(rec)
    return out, errors
