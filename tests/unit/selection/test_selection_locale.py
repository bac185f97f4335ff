"""Every UI string of the selection and procurement pages has a Chinese translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xborder.i18n import translations
from xborder.procurement.model import ALLOCATION_METHODS, INVOICE_TYPES
from xborder.selection.analytics import SCORE_WEIGHTS
from xborder.selection.transactions import REASONS

SRC = Path(__file__).resolve().parents[3] / "src" / "xborder"


@pytest.mark.parametrize("pkg", ["selection", "procurement"])
def test_template_strings_translated(pkg):
    zh = translations("zh_CN")
    used: set[str] = set()
    for f in (SRC / pkg / "templates").rglob("*.html"):
        text = f.read_text("utf-8")
        used |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', text)) | set(re.findall(r"_\('((?:[^'\\]|\\.)*)'\)", text))
    assert used
    missing = sorted(m for m in used if zh.gettext(m) == m)
    assert not missing, missing


def test_dynamic_labels_translated():
    zh = translations("zh_CN")
    labels = (list(REASONS.values()) + list(SCORE_WEIGHTS) + list(INVOICE_TYPES) + list(ALLOCATION_METHODS)
              + ["niche, profitable", "crowded, thin margin", "export VAT rebate", "marketplace fee", "partially_received",
                 "smooth", "intermittent", "not in the catalog", "Risk alerts", "Open purchase orders"])
    missing = [m for m in labels if zh.gettext(m) == m]
    assert not missing, missing
