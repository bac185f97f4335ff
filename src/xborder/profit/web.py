"""Profit dashboard under /reports: margin by SKU and market, trend by month (server-side SVG
charts), a table by any dimension with drill-down to the order lines and the rules behind each
figure, and CSV/XLSX export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from xborder import charts, i18n
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, download, get_uow, render, request_language, web_context
from xborder.entrypoints.deps import _ as tr
from xborder.entrypoints.deps import message as deps_message
from xborder.profit import labels, service
from xborder.profit.model import FIGURES

router = APIRouter(include_in_schema=False)


def _d2(v: Decimal) -> str:
    from xborder.money import dec_str

    return dec_str(Decimal(v), 2)


def _d6(v: Decimal) -> str:
    from xborder.money import dec_str

    return dec_str(Decimal(v), 6)
BY = "^(order|sku|market|channel|month)$"


def page_labels() -> dict[str, Any]:
    """Label helpers for the templates; they translate at render time (the page's language)."""
    return {"figure_label": lambda k: labels.figure_label(k, tr), "dimension_label": lambda k: labels.dimension_label(k, tr),
            "rule_label": lambda r: labels.rule_label(r, tr),
            "source_label": _source_label}


def _source_label(source: str, message: dict[str, Any] | None = None) -> str:
    """A source in the page's language: from its message (``{"msgid", "params"}``, which the
    customs package's order duties give) when it has one, else the text through the catalogs."""
    if not source:
        return source
    if message:
        try:
            from xborder.customs.translate import render_json
        except ImportError:
            return tr(source)
        from xborder.entrypoints.deps import current_lang

        return render_json(message, current_lang.get()) or tr(source)
    return deps_message(source, "profit")


def _period(period: str | None, start: str | None, last: str | None) -> tuple[Any, str | None]:
    """The page's period, or every order and the reason when the one asked for is not valid."""
    from xborder.errors import ValidationError
    from xborder.profit.period import resolve

    try:
        return service.period_from(period, start, last), None
    except ValidationError as e:
        return resolve("all"), e.message


def _period_context(p: Any) -> dict[str, Any]:
    from xborder.profit.period import PRESET_LABELS, PRESETS

    q = p.query()
    return {"period": p, "amp_period": f"&{q}" if q else "", "presets": PRESETS,
            "preset_label": lambda k: tr(PRESET_LABELS[k])}


@router.get("/reports")
def reports(request: Request, by: str = Query("sku", pattern=BY), period: str | None = Query(None),
            start: str | None = Query(None, alias="from"), last: str | None = Query(None, alias="to"),
            ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    chosen, error = _period(period, start, last)
    report = service.period_report(uow.session, ctx.principal, chosen)
    prev = chosen.previous()
    before = service.period_report(uow.session, ctx.principal, prev) if prev else None
    summary = service.compare(report, before)
    lang = request_language(request)  # render() sets the page language only later: translate chart text here

    def _(message: str) -> str:
        return i18n.gettext(lang, message)

    rows = service.with_previous(report.rows(by), before.rows(by)) if before is not None and by != "month" else report.rows(by)
    by_sku = sorted(report.rows("sku"), key=lambda r: Decimal(r["margin"]), reverse=True)[:15]
    by_market = report.rows("market")
    months = report.rows("month")
    svg_sku = charts.bar_chart([(r["key"], Decimal(r["margin"])) for r in by_sku], title=_("Margin by SKU (CNY, top 15)"))
    svg_market = charts.bar_chart([(r["key"], Decimal(r["margin"])) for r in by_market], title=_("Margin by market (CNY)"))
    svg_trend = charts.line_chart([(_("Revenue"), [(r["key"], Decimal(r["revenue"])) for r in months]),
                                   (_("Margin"), [(r["key"], Decimal(r["margin"])) for r in months])],
                                  title=_("Revenue and margin by month (CNY)")) if months else ""
    totals = {f: sum((Decimal(r[f]) for r in rows), Decimal(0)) for f in FIGURES}
    return render(request, "profit/reports.html", {
        "by": by, "rows": rows, "figures": FIGURES, "totals": totals, "warnings": report.warnings,
        "svg_sku": svg_sku, "svg_market": svg_market, "svg_trend": svg_trend, "lines": len(report.lines), "d2": _d2, "d6": _d6,
        "summary": summary, "previous": prev, "period_error": error, "start_text": start or "", "last_text": last or "",
        **_period_context(chosen), **page_labels()})


@router.get("/reports/lines")
def report_lines(request: Request, by: str = Query("sku", pattern=BY), key: str = Query(...), period: str | None = Query(None),
                 start: str | None = Query(None, alias="from"), last: str | None = Query(None, alias="to"),
                 ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    chosen = service.period_from(period, start, last)
    report = service.period_report(uow.session, ctx.principal, chosen)
    lines = service.line_details(report, by=by, key=key)
    return render(request, "profit/lines.html", {"by": by, "key": key, "lines": lines, "figures": FIGURES, "d2": _d2, "d6": _d6,
                                                 **_period_context(chosen), **page_labels()})


@router.get("/reports/sku-markets")
def sku_markets(request: Request, sku: str = Query(..., min_length=1, max_length=64), period: str | None = Query("last-365-days"),
                ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """A card for the catalog's SKU page (fetched after the page shows): the SKU's orders, units,
    revenue and margin per market over the last 365 days, with a link to its order lines."""
    chosen = service.period_from(period)
    rows = service.sku_markets(service.period_report(uow.session, ctx.principal, chosen), sku)
    return render(request, "profit/sku_markets.html", {"sku": sku, "rows": rows, **_period_context(chosen), **page_labels()})


@router.get("/reports/export")
def export(by: str = Query("sku", pattern=BY), format: str = Query("csv", pattern="^(csv|xlsx)$"),
           period: str | None = Query(None), start: str | None = Query(None, alias="from"),
           last: str | None = Query(None, alias="to"),
           ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    p = service.period_from(period, start, last)
    return download(service.report_table(uow.session, ctx.principal, by, start=p.start, end=p.end), format)


@router.get("/reports/lines/export")
def export_lines(by: str = Query("order", pattern=BY), key: str | None = Query(None), format: str = Query("csv", pattern="^(csv|xlsx)$"),
                 period: str | None = Query(None), start: str | None = Query(None, alias="from"),
                 last: str | None = Query(None, alias="to"),
                 ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every order line (or those behind one key) with its figures and the rule behind each."""
    p = service.period_from(period, start, last)
    return download(service.lines_table(uow.session, ctx.principal, by=by, key=key, start=p.start, end=p.end), format)
