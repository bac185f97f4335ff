"""The filing workbook (XLSX) of a period: declaration detail, summary, documents to archive.

* ``明细 Detail``: one row per declaration line with its matched invoices and FX receipts, the
  CNY value at the central parity (and where the rate came from), the rebate rate and its 文库
  interval, the status.
* ``汇总 Summary``: the period's figures and, for production enterprises, every 免抵退 step with
  its formula and source; for trading enterprises, the refund per invoice.
* ``归档 Documents``: the 备案单证 checklist per declaration (国家税务总局公告2026年第5号 第四十五条:
  kept 10 years; practitioners' per-shipment list, research notes ``rebate_fx.md`` §3.4).

Numbers are written as numbers (exact decimals rounded to 2 places for money), never floats
computed by us: openpyxl stores the ``Decimal`` value given.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xborder.money import quantize
from xborder.rebate.service import PeriodReport

__all__ = ["build_workbook", "ARCHIVE_CHECKLIST"]

ARCHIVE_CHECKLIST: tuple[tuple[str, str, str], ...] = (
    # (key, Chinese, English); "trading" marks documents only traders need
    ("declaration", "报关单（出口退税专用）", "Customs declaration (export refund copy)"),
    ("agency", "委托报关协议", "Customs agency agreement"),
    ("release", "无纸化放行通知书", "Paperless release notice"),
    ("bl", "提单 / 运单", "Bill of lading / waybill"),
    ("export_invoice", "出口发票", "Export invoice"),
    ("input_invoice", "进货增值税专用发票", "Purchase VAT special invoice"),
    ("packing", "装箱单", "Packing list"),
    ("sales_contract", "外销合同", "Export sales contract"),
    ("purchase_contract", "购货合同", "Purchase contract"),
    ("freight", "国内、国际运费发票", "Domestic and international freight invoices"),
    ("fx_slip", "收汇 / 结汇水单", "FX receipt / settlement slip"),
)

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WARN_FILL = PatternFill("solid", fgColor="FCE4D6")


def _money(x: Decimal | str | None) -> Decimal | None:
    if x is None or x == "":
        return None
    return quantize(Decimal(x), 2)


def _header(ws: Any, cols: list[str]) -> None:
    ws.append(cols)
    for c in ws[ws.max_row]:
        c.font = BOLD
        c.fill = HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{ws.max_row + 1}"


def _widths(ws: Any, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def build_workbook(rep: PeriodReport, *, org_name: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "明细 Detail"
    _header(ws, ["报关单号 Declaration", "出口日期 Export date", "项号 Line", "商品编码 HS code", "商品名称 Goods",
                 "单位 Unit", "数量 Qty", "币制 Currency", "离岸价 FOB", "汇率 Rate", "汇率日期 Rate date",
                 "汇率来源 Rate source", "离岸价(人民币) FOB CNY", "退税率 Rebate rate", "征税率 Levy rate",
                 "文库区间 Library interval", "发票 Invoices (no. × qty = net / VAT)", "收汇 FX receipts",
                 "应退税额 Refund", "状态 Status", "问题 Problems"])
    for ln in rep.lines:
        inv_text = "; ".join(f"{a['invoice']} × {a['qty']} = {a['net']} / {a['vat']}" for a in ln.invoices)
        rec_text = "; ".join(f"{a['receipt']} {a['amount']} {a['currency']}" for a in ln.receipts)
        conv = ln.conversion
        ws.append([
            ln.declaration, ln.export_date, ln.line_no, ln.hs_code, ln.goods, ln.unit, ln.qty, ln.currency,
            _money(ln.fob), conv.rate if conv else None, conv.rate_date if conv else None,
            conv.source if conv else "", _money(conv.cny) if conv else None,
            ln.rate.rebate_rate if ln.rate else None, ln.levy_rate, ln.rate.describe() if ln.rate else "",
            inv_text, rec_text, _money(ln.refund), ln.status, "; ".join(ln.problems),
        ])
        row = ws.max_row
        ws.cell(row=row, column=2).number_format = "yyyy-mm-dd"
        ws.cell(row=row, column=11).number_format = "yyyy-mm-dd"
        for col in (9, 13, 19):
            ws.cell(row=row, column=col).number_format = "#,##0.00"
        for col in (14, 15):
            ws.cell(row=row, column=col).number_format = "0.00%"
        if ln.problems or ln.status not in ("ready", ""):
            for c in ws[row]:
                c.fill = WARN_FILL
    _widths(ws, [20, 12, 6, 13, 24, 7, 10, 8, 13, 10, 12, 28, 15, 10, 10, 40, 40, 30, 13, 16, 40])

    sm = wb.create_sheet("汇总 Summary")
    sm.append(["出口退税申报汇总 Export refund summary"])
    sm["A1"].font = Font(bold=True, size=14)
    sm.append(["企业 Company", org_name])
    sm.append(["所属期 Period", rep.period])
    sm.append(["退税方式 Method", "免抵退 exempt-credit-refund (production)" if rep.regime == "production"
               else "免退 exempt-refund (trading)"])
    sm.append(["汇率日期规则 FX date rule", ("出口日期 export date" if rep.fx_rule == "export_date"
                                          else "当月第一个工作日 first working day of the month")
               + ("" if rep.fx_rule_chosen else " (未选择，默认 default — not chosen)")])
    sm.append(["离岸价合计(人民币) FOB total CNY", _money(rep.fob_cny)])
    sm.append(["应退税额 Refund", _money(rep.refund)])
    sm.append([])
    _header(sm, ["步骤 Step", "项目", "Item", "公式", "Formula", "金额 Amount", "依据 Source"])
    steps = rep.result.steps if rep.result is not None else rep.trading_steps
    for st in steps:
        sm.append([st.key, st.zh, st.en, st.formula_zh, st.formula,
                   _money(st.amount) if st.amount is not None else None, st.source])
        sm.cell(row=sm.max_row, column=6).number_format = "#,##0.00"
    if rep.result is not None and rep.record is not None and rep.record.declared_end_credit is not None:
        sm.append([])
        sm.append(["期末留抵(申报表) Declared closing credit", _money(rep.record.declared_end_credit)])
        sm.append(["期末留抵(计算) Computed closing credit", _money(rep.result.computed_end_credit)])
        if rep.result.end_credit_differs:
            sm.append(["注意 Warning", "申报表期末留抵与计算值不一致 declared and computed closing credit differ"])
            sm.cell(row=sm.max_row, column=2).fill = WARN_FILL
    for w in rep.warnings + rep.errors:
        sm.append(["提示 Note", w])
    _widths(sm, [34, 26, 40, 60, 60, 16, 50])

    dc = wb.create_sheet("归档 Documents")
    dc.append(["备案单证：申报后15日内归档，保存10年（国家税务总局公告2026年第5号 第四十五条）",
               "Filing documents: on file within 15 days of declaring, kept 10 years (STA 2026 No. 5, art. 45)"])
    dc["A1"].font = BOLD
    _header(dc, ["报关单号 Declaration", "单证 Document", "Document", "编号 Reference", "已备 On file"])
    seen: set[str] = set()
    for ln in rep.lines:
        if ln.declaration in seen:
            continue
        seen.add(ln.declaration)
        invs = sorted({a["invoice"] for x in rep.lines if x.declaration == ln.declaration for a in x.invoices})
        recs = sorted({a["receipt"] for x in rep.lines if x.declaration == ln.declaration for a in x.receipts})
        for key, zh, en in ARCHIVE_CHECKLIST:
            if key == "input_invoice" and rep.regime == "production":
                continue
            if key == "purchase_contract" and rep.regime == "production":
                continue
            ref = ""
            if key == "declaration":
                ref = ln.declaration
            elif key == "input_invoice":
                ref = ", ".join(invs)
            elif key == "fx_slip":
                ref = ", ".join(recs)
            dc.append([ln.declaration, zh, en, ref, "是 yes" if ref else ""])
    _widths(dc, [22, 24, 44, 44, 10])

    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
