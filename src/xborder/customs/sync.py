"""Reference data sources of the customs package for ``xborder data sync``.

* ``us-hts``         US HTSUS (USITC CSV export or per-revision JSON) -> dataset ``tariff:US``
* ``us-section301``  USTR Section 301 product lists per HTS8 (China origin) -> ``us-section301``,
  extra-duty rows more specific than the shipped heading rows (``data/extra_duties.csv``)
* ``uk-tariff``      UK Global Tariff 2021 with the EU CET column -> ``tariff:GB`` and ``tariff:EU``
* ``eu-vat-rates``   current EU/European VAT rates (eu-vat-rates-data JSON) -> ``vat:current``
* ``eu-vat-history`` EU-27 standard-rate history (duty27-eu-vat CSV) -> ``vat:history``
* ``cn-tariff``      China customs tariff CSV (10-digit code, name, 法定第一/第二单位, 申报要素)
  -> ``cn-tariff``, used to check the legal units of export declarations (local file only)

Each load keeps its provenance twice: the framework's ``data_sources`` row (file hash, origin,
licence) and our ``customs_ref_versions`` row per dataset (version label, effective date, row
count, linked to the ``data_sources`` row). Earlier versions stay; look-ups use the newest
version in force on the shipment's date. Loading the same file again is a no-op.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from xborder.customs import service
from xborder.customs.tariffs import (
    CET_SOURCE,
    UKGT_SOURCE,
    US_SOURCE,
    parse_ukgt_csv,
    parse_us_hts_csv,
    parse_us_hts_json,
)
from xborder.customs.vat import CURRENT_SOURCE, HISTORY_SOURCE, parse_vat_current, parse_vat_history
from xborder.reference import SyncContext, SyncReport, SyncSource

US_URL = "https://www.usitc.gov/sites/default/files/tata/hts/hts_2025_revision_29_json.json"
UKGT_URL = "https://check-future-uk-trade-tariffs.service.gov.uk/api/global-uk-tariff.csv"
VAT_URL = "https://raw.githubusercontent.com/vatnode/eu-vat-rates-data/main/data/eu-vat-rates-data.json"


def _us_version(name: str) -> tuple[str, date]:
    """'hts_2025_revision_29_json.json' -> ('2025 revision 29', 2025-01-01)."""
    m = re.search(r"(20\d\d)[_ -]?(basic[_ -]edition|revision[_ -]?(\d+))?", name, re.I)
    if not m:
        return name, date(date.today().year, 1, 1)
    year = int(m.group(1))
    if m.group(3):
        label = f"{year} revision {int(m.group(3))}"
    elif m.group(2):
        label = f"{year} basic edition"
    else:
        label = str(year)
    return label, date(year, 1, 1)


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError("cn-tariff: the file is neither UTF-8 nor GB18030")


def load_cn_tariff(s: Session, ctx: SyncContext) -> SyncReport:
    """The rows carry their own valid_from/valid_to when the CSV has those columns; the version
    starts at the earliest valid_from, else on 1 January of a year named in the file name, else
    of the load year (the China tariff changes on 1 January) — the notes say which."""
    from xborder.customs.legal_units import parse_cn_tariff_csv

    rows = parse_cn_tariff_csv(_decode(ctx.path.read_bytes()))
    dated = [r.valid_from for r in rows if r.valid_from]
    m = re.search(r"(20\d\d)", ctx.path.name)
    if dated:
        start, how = min(dated), "the rows' valid_from dates"
    elif m:
        start, how = date(int(m.group(1)), 1, 1), f"1 January of {m.group(1)} (year in the file name)"
    else:
        start, how = date(date.today().year, 1, 1), "1 January of the load year (no dates in the file)"
    version = f"{ctx.path.name} ({start.isoformat()})"
    ver, _ = service.store_cn_tariff(s, version=version, digest=ctx.sha256, valid_from=start, rows=rows,
                                     data_source_id=ctx.source_id)
    with_unit2 = sum(1 for r in rows if r.unit2)
    return SyncReport(rows=ver.rows, version=version, effective_from=start,
                      notes=[f"{with_unit2} codes have a second legal unit; valid from {how}"])


def load_us_section301(s: Session, ctx: SyncContext) -> SyncReport:
    """USTR's Section 301 lists per HTS8 line (China origin), dated with our rate schedule."""
    from xborder.customs.section301 import TRACKER_URL, parse_s301_csv, to_extra_duties

    try:
        pairs = parse_s301_csv(ctx.path.read_text("utf-8-sig"))
    except ValueError as exc:
        raise ValueError(f"{ctx.path.name}: {exc}") from None
    rows = to_extra_duties(pairs)
    start = min((r.valid_from for r in rows), default=date(2018, 7, 6))
    version = f"{ctx.path.name} ({len({r.hs_prefix for r in rows})} lines)"
    ver, _ = service.store_s301(s, version=version, digest=ctx.sha256, valid_from=start, rows=rows, url=TRACKER_URL,
                                data_source_id=ctx.source_id)
    skipped = len({c for c, h in pairs}) - len({r.hs_prefix for r in rows})
    return SyncReport(rows=ver.rows, version=version, effective_from=start,
                      notes=[f"{len(pairs)} list entries; {skipped} lines only on the suspended List 4B"])


def load_us_hts(s: Session, ctx: SyncContext) -> SyncReport:
    text = ctx.path.read_text("utf-8-sig")
    lines = parse_us_hts_json(text) if text.lstrip().startswith("[") else parse_us_hts_csv(text)
    version, valid_from = _us_version(ctx.path.name)
    ver, _created = service.store_tariff(
        s, dataset="tariff:US", version=version, source=US_SOURCE, url=US_URL, digest=ctx.sha256,
        valid_from=valid_from, lines=lines, data_source_id=ctx.source_id,
    )
    rated = sum(1 for ln in lines if ln.rate_text)
    return SyncReport(rows=ver.rows, version=version, effective_from=valid_from,
                      notes=[f"{rated} lines carry a general rate; revision dates are taken as 1 January of the year"])


def load_uk_tariff(s: Session, ctx: SyncContext) -> SyncReport:
    uk, eu = parse_ukgt_csv(ctx.path.read_text("utf-8-sig"))
    gb_ver, _ = service.store_tariff(s, dataset="tariff:GB", version="UKGT 2021", source=UKGT_SOURCE, url=UKGT_URL,
                                     digest=ctx.sha256, valid_from=date(2021, 1, 1), lines=uk, data_source_id=ctx.source_id)
    eu_ver, _ = service.store_tariff(s, dataset="tariff:EU", version="CET 2020", source=CET_SOURCE, url=UKGT_URL,
                                     digest=ctx.sha256, valid_from=date(2020, 1, 1), lines=eu, data_source_id=ctx.source_id)
    return SyncReport(rows=gb_ver.rows + eu_ver.rows, version="UKGT 2021 / CET 2020", effective_from=date(2021, 1, 1),
                      notes=["EU CET rates are the 2020 third-country duties (MFN estimate); UK rates as of 2021-01-01"])


def load_vat_current(s: Session, ctx: SyncContext) -> SyncReport:
    version, rates = parse_vat_current(ctx.path.read_text("utf-8"))
    on = date.fromisoformat(version) if version else date.today()
    ver, _ = service.store_vat(s, dataset="vat:current", version=version, source=CURRENT_SOURCE, url=VAT_URL,
                               digest=ctx.sha256, valid_from=on, rates=rates, data_source_id=ctx.source_id)
    return SyncReport(rows=ver.rows, version=version, effective_from=on,
                      notes=[f"{len({r.country for r in rates})} jurisdictions, rates as of {version}"])


def load_vat_history(s: Session, ctx: SyncContext) -> SyncReport:
    rates = parse_vat_history(ctx.path.read_text("utf-8-sig"))
    first = min((r.valid_from for r in rates), default=date(2016, 1, 1))
    ver, _ = service.store_vat(s, dataset="vat:history", version="duty27-eu-vat 0.1.0 (2026-10-04)",
                               source=HISTORY_SOURCE, url="", digest=ctx.sha256, valid_from=first, rates=rates,
                               data_source_id=ctx.source_id)
    return SyncReport(rows=ver.rows, version="duty27-eu-vat 0.1.0", effective_from=first,
                      notes=["standard rates only; the first row per country is 2016-01-01"])


SOURCES = [
    SyncSource(
        name="us-hts",
        description="US Harmonized Tariff Schedule (USITC), general rates parsed into ad valorem / specific / compound",
        local_path="tariffs/us_hts_2025_basic_edition.csv",
        url=US_URL,
        load=load_us_hts,
        licence="US Government work, public domain",
        # "header-path": a line's description starts with the codeless header rows above it
        # (tariffs.parse_us_hts_csv, 2026-11-25); a database synced before loads the file again once
        revision="header-path",
    ),
    SyncSource(
        name="us-section301",
        description="US Section 301 duties on goods of China per HTS8 line (USTR lists 1-4A and the 2024 review increases)",
        local_path="tariffs/s301_product_lists.csv",
        url="https://raw.githubusercontent.com/Budget-Lab-Yale/tariff-rate-tracker/main/resources/s301_product_lists.csv",
        load=load_us_section301,
        licence="MIT (The Budget Lab at Yale, tariff-rate-tracker); lists from USTR / HTSUS ch. 99 (public domain)",
    ),
    SyncSource(
        name="uk-tariff",
        description="UK Global Tariff 2021 with the EU Common External Tariff (2020) beside it (DIT)",
        local_path="tariffs/uk_global_tariff_2021_vs_eu_cet.csv",
        url=UKGT_URL,
        load=load_uk_tariff,
        licence="Crown copyright, Open Government Licence v3.0",
    ),
    SyncSource(
        name="eu-vat-rates",
        description="Current standard and reduced VAT rates of 45 European jurisdictions (eu-vat-rates-data)",
        local_path="vat/eu_vat_rates_data_2026-09-29.json",
        url=VAT_URL,
        load=load_vat_current,
        licence="MIT (vatnode.dev); source European Commission TEDB",
    ),
    SyncSource(
        name="eu-vat-history",
        description="EU-27 standard VAT rate history since 2016 (duty27-eu-vat)",
        local_path="vat/eu_standard_vat_history_duty27.csv",
        url=None,
        load=load_vat_history,
        licence="data CC BY 4.0 (duty27-eu-vat)",
    ),
    SyncSource(
        name="cn-tariff",
        description="China customs tariff: 10-digit codes with the legal first and second units and 申报要素 (CSV)",
        local_path="tariffs/cn_customs_tariff.csv",
        url=None,
        load=load_cn_tariff,
        licence="GACC tariff data as exported by the user (no public download address)",
    ),
]
