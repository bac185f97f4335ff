"""The sections of the web UI, one per business process, in the order of the export chain.

``empty`` says what the section will hold; it is shown by the fallback page until a package
serves the section's URL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    url: str
    label: str  # English msgid; translated in templates
    icon: str
    empty: str


SECTIONS: tuple[Section, ...] = (
    Section("dashboard", "/", "Dashboard", "◎", ""),
    Section("selection", "/selection", "Selection", "✦",
            "Market analytics, opportunity scores and demand forecasts from your sales history and research exports."),
    Section("procurement", "/procurement", "Procurement", "⇩",
            "Suppliers, purchase orders, receipts, landed unit costs and reorder suggestions."),
    Section("catalog", "/catalog", "Catalog", "▤",
            "SKUs with weights, sizes, materials, HS codes and costs, and the marketplace listings paired to them."),
    Section("listings", "/listings", "Listings", "✎",
            "Listing quality checks per marketplace, SEO keywords, drafts, buyer messages and compliance checklists."),
    Section("orders", "/orders", "Orders", "☰",
            "Marketplace orders imported from Amazon, Shopify, eBay, Etsy, WooCommerce, Temu and your own files."),
    Section("logistics", "/logistics", "Logistics", "✈",
            "Rate cards, rate shopping with volumetric weight, shipments, labels and batch shipment plans."),
    Section("customs", "/customs", "Customs", "⚖",
            "Landed cost (duties and taxes by destination), HS classification, China export declarations and documents."),
    Section("payments", "/payments", "Payments & FX", "¥",
            "Payouts and settlement reports, reconciliation with orders, FX rates and settlements."),
    Section("rebate", "/rebate", "Export VAT rebate", "↺",
            "Export VAT rebate periods, document matching (declarations, invoices, FX receipts), deadlines and the filing workbook."),
    Section("reports", "/reports", "Reports", "▦",
            "The true profit of every order, SKU, market, channel and month, with charts and exports."),
)

SETTINGS = (
    Section("org", "/settings/org", "Organisation", "⚙", ""),
    Section("users", "/settings/users", "Users", "☺", ""),
    Section("tokens", "/settings/tokens", "API tokens", "⚿", ""),
    Section("data", "/settings/data", "Reference data", "⛁", ""),
)


def nav_for(path: str) -> list[dict[str, object]]:
    out = []
    for s in SECTIONS:
        active = path == "/" if s.url == "/" else (path == s.url or path.startswith(s.url + "/"))
        out.append({"key": s.key, "url": s.url, "label": s.label, "icon": s.icon, "active": active})
    return out


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)
