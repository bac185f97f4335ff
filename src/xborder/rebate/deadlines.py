"""Deadlines of the export refund, per declaration, and their alerts (pure).

Rules (国家税务总局公告2026年第5号, research notes ``rebate_fx.md`` §3.3; before 2026 国家税务总局公告2012年第24号):

* declare the refund in the VAT filing periods up to **30 April of the year after export**
  (a late declaration is still possible once the documents are complete: 财政部 税务总局公告2020年第2号 第五条);
* FX received by **30 April of the year after export**; where the contract sets a later final
  payment date, by that date and **no later than 36 months after export** (第四十八条); if not,
  the refund already paid must be returned;
* 备案单证 put on file within **15 days** of declaring, and kept **10 years** (第四十五条; 5 years
  under 2012年第24号). The retention period is counted here from the refund declaration date
  (or the export date while undeclared) — our reading.

>>> ds = declaration_deadlines("0001", date(2026, 3, 10), today=date(2027, 4, 10))
>>> [(d.key, d.due.isoformat(), d.state) for d in ds][:2]
[('declare', '2027-04-30', 'due_soon'), ('fx', '2027-04-30', 'due_soon')]
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from xborder.rebate.rules import rule_for

__all__ = ["Deadline", "declaration_deadlines", "add_months", "STATES", "WARN_DAYS"]

STATES = ("done", "overdue", "due_soon", "upcoming")
WARN_DAYS = 30


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadline:
    declaration: str
    key: str
    due: date
    state: str
    en: str
    zh: str
    source: str
    note: str = ""

    @property
    def at_risk(self) -> bool:
        return self.state in ("overdue", "due_soon")

    def to_dict(self) -> dict[str, str]:
        return {"declaration": self.declaration, "key": self.key, "due": self.due.isoformat(), "state": self.state,
                "label_en": self.en, "label_zh": self.zh, "source": self.source, "note": self.note}


def _state(due: date, done: bool, today: date, warn_days: int) -> str:
    if done:
        return "done"
    if today > due:
        return "overdue"
    if (due - today).days <= warn_days:
        return "due_soon"
    return "upcoming"


def declaration_deadlines(number: str, export_date: date, *, today: date, declared_on: date | None = None,
                          fx_received: bool = False, contract_fx_date: date | None = None,
                          filed_on: date | None = None, warn_days: int = WARN_DAYS) -> list[Deadline]:
    proc = rule_for("procedure", declared_on or export_date)
    p = proc.params
    src = proc.source
    declare_by = date(export_date.year + 1, p["declare_month"], p["declare_day"])
    out = [Deadline(number, "declare", declare_by, _state(declare_by, declared_on is not None, today, warn_days),
                    "Declare the refund", "申报出口退（免）税", src,
                    "late declaration allowed once documents are complete (财政部 税务总局公告2020年第2号 第五条)"
                    if declared_on is None and today > declare_by else "")]
    fx_by = declare_by
    note = ""
    if contract_fx_date and contract_fx_date > fx_by:
        cap = add_months(export_date, p["fx_max_months"])
        fx_by = min(contract_fx_date, cap)
        note = f"contract date {contract_fx_date.isoformat()}, capped at 36 months after export ({cap.isoformat()})"
    fx_state = _state(fx_by, fx_received, today, warn_days)
    if fx_state == "overdue":
        note = (note + "; " if note else "") + "refund already paid must be returned unless a 视同收汇 case applies"
    out.append(Deadline(number, "fx", fx_by, fx_state, "Receive the foreign exchange", "收汇", src, note))
    if declared_on is not None:
        filing_by = declared_on + timedelta(days=p["filing_days"])
        out.append(Deadline(number, "filing", filing_by, _state(filing_by, filed_on is not None, today, warn_days),
                            "Put the filing documents on file", "备案单证归档", src))
    base = declared_on or export_date
    keep = add_months(base, 12 * p["keep_years"])
    out.append(Deadline(number, "keep", keep, "upcoming" if today <= keep else "done",
                        f"Keep the filing documents ({p['keep_years']} years)", f"备案单证保存{p['keep_years']}年", src))
    return out
