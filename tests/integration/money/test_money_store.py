"""Orders, payouts, reconciliation, FX and profit on the database (SQLite, or PostgreSQL with DATABASE_URL)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from xborder.catalog import service as catalog
from xborder.errors import ImportRejected, NotFound, PermissionDenied
from xborder.fx import service as fx
from xborder.fx.model import FxRateMissing
from xborder.payments import service as payments
from xborder.payments.orm import PayoutLine
from xborder.profit import service as profit
from xborder.sales import service as sales
from xborder.sales.orm import SalesOrderLine

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def load(uow, principal, kind, fmt, name, **kw):
    data = (FIX / ("sales" if kind == "orders" else "payments") / name).read_bytes()
    fn = sales.import_orders if kind == "orders" else payments.import_payouts
    return fn(uow.session, principal, fmt, data, **kw)


def count(uow, model):
    return uow.session.scalar(select(func.count()).select_from(model))


def test_import_is_idempotent_and_rejects_whole_file(uow, principal):
    r = load(uow, principal, "orders", "amazon-all-orders", "amazon_all_orders_29col_us.txt")
    assert (r.imported, r.skipped_duplicates) == (4, 0)
    again = load(uow, principal, "orders", "amazon-all-orders", "amazon_all_orders_29col_us.txt")
    assert (again.imported, again.skipped_duplicates) == (0, 4)
    before = count(uow, SalesOrderLine)
    with pytest.raises(ImportRejected) as e:
        load(uow, principal, "orders", "amazon-all-orders", "amazon_all_orders_bad.txt")
    assert len(e.value.errors) == 3
    assert count(uow, SalesOrderLine) == before
    p = load(uow, principal, "payouts", "amazon-settlement-v2", "amazon_settlement_v2_us.txt")
    assert p.imported == 20
    assert load(uow, principal, "payouts", "amazon-settlement-v2", "amazon_settlement_v2_us.txt").skipped_duplicates == 20
    # the vectorised path recognises the same lines
    fast = payments.import_payouts(uow.session, principal, "amazon-settlement-v2",
                                   (FIX / "payments" / "amazon_settlement_v2_us.txt").read_bytes(), fast=True)
    assert (fast.imported, fast.skipped_duplicates) == (0, 20)
    assert count(uow, PayoutLine) == 20


def test_fast_path_stores_same_amounts(uow, principal):
    data = (FIX / "payments" / "amazon_settlement_v2_de.txt").read_bytes()
    r = payments.import_payouts(uow.session, principal, "amazon-settlement-v2", data, fast=True)
    assert r.imported == 9
    uow.session.expire_all()
    lines = uow.session.scalars(select(PayoutLine).order_by(PayoutLine.id)).all()
    assert sum(ln.amount for ln in lines) == Decimal("9.91")
    sale = [ln for ln in lines if ln.fee_class == "sale"]
    assert sorted((ln.posted_at.isoformat(), str(ln.amount)) for ln in sale) == [
        ("2026-03-11T09:30:00", "14.9900"), ("2026-03-12T09:30:00", "22.9800")]


def test_etsy_orders_then_items_share_the_order(uow, principal):
    assert load(uow, principal, "orders", "etsy-orders", "EtsySoldOrders2026-3.csv").imported == 1
    assert load(uow, principal, "orders", "etsy-items", "EtsySoldOrderItems2026-3.csv").imported == 2
    (o,) = sales.list_orders(uow.session, principal)
    assert o.order_total == Decimal("45.60") and len(o.lines) == 2


def test_reconcile_profit_and_ties(uow, principal):
    catalog.create_sku(uow.session, principal, {"sku": "MUG-BL-350", "name_en": "Mug", "purchase_cost": "18.00",
                                                "rebate_rate": "0.13"})
    load(uow, principal, "orders", "amazon-all-orders", "amazon_all_orders_29col_us.txt")
    load(uow, principal, "payouts", "amazon-settlement-v2", "amazon_settlement_v2_us.txt")
    load(uow, principal, "payouts", "mapped", "payoneer_statement.csv", mapping="payoneer")
    r = payments.run_reconcile(uow.session, principal)
    assert (r.matched, r.unmatched_payout_lines, r.orders_without_payout) == (15, 2, 0)
    assert r.ties[0]["fx_settlements"][0]["rate"] == "7.033643"
    t = r.ties[0]
    # booked at the ECB rate of the receipt day, converted at 7.033643: the gain is their difference
    assert Decimal(t["realised_fx_cny"]) == (Decimal("25.86") * (Decimal("7.033643") - Decimal(t["booking_rate"]))).quantize(Decimal("0.01"))
    assert t["booking_source"].startswith("ECB")
    rep = profit.build_report(uow.session, principal)
    mug = [ln for ln in rep.lines if ln.input.sku == "MUG-BL-350"]
    assert mug[0].cost_of_goods == Decimal("-36") and mug[0].rebate > 0
    assert mug[0].fx != 0  # converted through Payoneer at 7.033643
    rows = rep.rows("order")
    assert {r["key"] for r in rows} == {"111-4012345-1234567", "112-0000001-0000001"}
    for row in rows:
        figures = [Decimal(row[k]) for k in ("revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate")]
        assert abs(sum(figures) - Decimal(row["margin"])) <= Decimal("0.04")


def test_unpaired_queue_and_pairing(uow, principal):
    catalog.create_sku(uow.session, principal, {"sku": "MUG-1", "name_en": "Mug"})
    load(uow, principal, "orders", "amazon-all-orders", "amazon_all_orders_29col_us.txt")
    queue = sales.unpaired_listings(uow.session, principal)
    assert {q["seller_sku"] for q in queue} == {"MUG-BL-350", "CST-BAM-4", "LID-SIL-10"}
    sales.pair_listing(uow.session, principal, "amazon-us", "MUG-BL-350", "MUG-1", "B0CMUG0001")
    assert "MUG-BL-350" not in {q["seller_sku"] for q in sales.unpaired_listings(uow.session, principal)}
    rep = profit.build_report(uow.session, principal)
    assert "MUG-1" in {ln.input.sku for ln in rep.lines}


def test_other_org_sees_nothing(uow, principal, other_principal):
    load(uow, principal, "orders", "shopify", "shopify_orders.csv")
    assert sales.list_orders(uow.session, other_principal) == []
    (o,) = sales.list_orders(uow.session, principal)[:1]
    with pytest.raises(NotFound):
        sales.get_order(uow.session, other_principal, o.id)


def test_viewer_cannot_import(uow, principal):
    from xborder.accounts.model import Role
    from xborder.accounts.service import Principal

    viewer = Principal(user_id=principal.user_id, org_id=principal.org_id, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        load(uow, viewer, "orders", "shopify", "shopify_orders.csv")


def test_fx_rates_parity_first_then_ecb(uow, principal):
    r = fx.sync_ecb(uow.session, since=date(2026, 3, 1))
    assert r.inserted > 100 and fx.sync_ecb(uow.session, since=date(2026, 3, 1)).inserted == 0
    fx.import_central_parity(uow.session, b"date,currency,rate\n2026-03-02,USD,7.1001\n")
    c = fx.converter(uow.session, bundled_ecb=False)
    q = c.to_cny("USD", date(2026, 3, 3))
    assert (q.source, q.rate, q.fallback_days) == ("PBOC", Decimal("7.1001"), 1)
    assert c.to_cny("EUR", date(2026, 3, 3)).source == "ECB"
    # beyond the 7-day gap of the parity, the next source (ECB) answers, and says so
    assert c.to_cny("USD", date(2026, 3, 20)).source == "ECB"
    with pytest.raises(FxRateMissing):
        c.to_cny("USD", date(2027, 1, 20))  # no source within 7 days
    with pytest.raises(ImportRejected):
        fx.import_central_parity(uow.session, b"date,currency,rate\n2026-03-02,USD,abc\n")


def test_converter_sees_rates_stored_after_an_earlier_conversion(uow, principal):
    """The stored rate sources are kept between conversions while the table is unchanged; a new
    import is seen at once (no stale cache)."""
    fx.import_central_parity(uow.session, b"date,currency,rate\n2026-03-02,USD,7.1001\n")
    assert fx.converter(uow.session, bundled_ecb=False).to_cny("USD", date(2026, 3, 2)).rate == Decimal("7.1001")
    assert fx.converter(uow.session, bundled_ecb=False).to_cny("USD", date(2026, 3, 2)).rate == Decimal("7.1001")
    with pytest.raises(FxRateMissing):
        fx.converter(uow.session, bundled_ecb=False).to_cny("JPY", date(2026, 3, 2))
    fx.import_central_parity(uow.session, b"date,currency,rate\n2026-03-02,JPY,0.047\n2026-03-03,USD,7.2002\n")
    c = fx.converter(uow.session, bundled_ecb=False)
    assert c.to_cny("JPY", date(2026, 3, 2)).rate == Decimal("0.047")
    assert c.to_cny("USD", date(2026, 3, 3)).rate == Decimal("7.2002")


def test_manual_settlement_and_exposure(uow, principal):
    load(uow, principal, "payouts", "amazon-settlement-v2", "amazon_settlement_v2_us.txt")
    fx.add_settlement(uow.session, principal, on=date(2026, 3, 20), platform="bank", ref="BOC-1", currency="USD",
                      foreign_amount="10.00", cny_received="70.90")
    (e,) = fx.open_exposure(uow.session, principal)
    assert e.currency == "USD" and e.open == Decimal("15.86") and e.open_cny > 0


def test_imports_record_their_file(uow, principal):
    from xborder.importing import ImportBatch

    data = (FIX / "sales" / "shopify_orders.csv").read_bytes()
    sales.import_orders(uow.session, principal, "shopify", data, filename="orders.csv")
    (b,) = uow.session.scalars(select(ImportBatch)).all()
    assert (b.kind, b.filename, b.imported) == ("orders:shopify", "orders.csv", 3) and len(b.sha256) == 64
