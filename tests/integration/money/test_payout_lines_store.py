"""Payout lines in the store: the bulk path writes exactly what the row path writes, and the
references of a line (its payout, its organisation) hold on both databases: foreign keys on
SQLite, statement-level triggers on PostgreSQL (migration payments_0002)."""

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from xborder.payments import service as payments
from xborder.payments.orm import Payout, PayoutLine

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "payments"
COLUMNS = ["line_key", "posted_at", "transaction_type", "amount_type", "description", "fee_class", "unexpected",
           "amount", "currency", "order_ref", "sku", "quantity"]


def stored(uow, org_id):
    rows = uow.session.execute(select(*[getattr(PayoutLine, c) for c in COLUMNS])
                               .where(PayoutLine.org_id == org_id).order_by(PayoutLine.line_key)).all()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("name", ["amazon_settlement_v2_us.txt", "amazon_settlement_v2_de.txt"])
def test_bulk_path_stores_what_the_row_path_stores(uow, principal, other_principal, name):
    # a CJK SKU and an empty quantity exercise text encoding and NULLs of the bulk (binary COPY) path
    data = (FIX / name).read_bytes().replace(b"MUG-BL-350", "杯子-蓝-350".encode())
    slow = payments.import_payouts(uow.session, principal, "amazon-settlement-v2", data, fast=False)
    fast = payments.import_payouts(uow.session, other_principal, "amazon-settlement-v2", data, fast=True)
    assert slow.imported == fast.imported > 0
    uow.session.expire_all()
    a, b = stored(uow, principal.org_id), stored(uow, other_principal.org_id)
    assert a == b
    if name.endswith("us.txt"):
        assert any(r[COLUMNS.index("quantity")] is None for r in a)
        assert any(r[COLUMNS.index("sku")] == "杯子-蓝-350" for r in a)
        assert any(r[COLUMNS.index("unexpected")] for r in a)
    # re-importing either way skips every line (same natural keys)
    again = payments.import_payouts(uow.session, other_principal, "amazon-settlement-v2", data, fast=False)
    assert (again.imported, again.skipped_duplicates) == (0, fast.imported)


def _line(org_id, payout_id, key="k1"):
    now = datetime(2026, 11, 24)
    return dict(org_id=org_id, payout_id=payout_id, line_key=key, fee_class="sale", unexpected=False, amount=1,
                currency="USD", created_at=now, updated_at=now)


def _payout(uow, principal):
    payments.import_payouts(uow.session, principal, "amazon-settlement-v2",
                            (FIX / "amazon_settlement_v2_us.txt").read_bytes(), fast=True)
    return uow.session.scalar(select(Payout.id).where(Payout.org_id == principal.org_id))


def _refused(uow, stmt):
    with pytest.raises((IntegrityError, DBAPIError)), uow.session.begin_nested():
        uow.session.execute(stmt)


def test_a_line_needs_an_existing_payout(uow, principal):
    pid = _payout(uow, principal)
    _refused(uow, insert(PayoutLine).values(**_line(principal.org_id, pid + 1000)))
    _refused(uow, update(PayoutLine).where(PayoutLine.payout_id == pid).values(payout_id=pid + 1000))
    uow.session.execute(insert(PayoutLine).values(**_line(principal.org_id, pid)))  # a valid one is accepted


def test_a_line_cannot_point_at_another_organisations_payout(uow, principal, other_principal, settings):
    if settings.is_sqlite:
        pytest.skip("the same-organisation rule is enforced by the PostgreSQL triggers (SQLite checks each key alone)")
    pid = _payout(uow, principal)
    _refused(uow, insert(PayoutLine).values(**_line(other_principal.org_id, pid)))


def test_deleting_a_payout_deletes_its_lines_and_its_id_cannot_change(uow, principal):
    pid = _payout(uow, principal)
    n = uow.session.scalar(select(func.count()).select_from(PayoutLine).where(PayoutLine.payout_id == pid))
    assert n > 0
    _refused(uow, update(Payout).where(Payout.id == pid).values(id=pid + 1000))
    uow.session.execute(update(Payout).where(Payout.id == pid).values(total=1))  # other columns may change
    uow.session.execute(delete(Payout).where(Payout.id == pid))
    assert uow.session.scalar(select(func.count()).select_from(PayoutLine).where(PayoutLine.payout_id == pid)) == 0


def test_bulk_path_with_two_settlements_in_one_file(uow, principal, other_principal):
    one = (FIX / "amazon_settlement_v2_us.txt").read_bytes()
    body = one.split(b"\n", 1)[1].replace(b"24680135791", b"24680135792")
    data = one.rstrip(b"\r\n") + b"\r\n" + body
    slow = payments.import_payouts(uow.session, principal, "amazon-settlement-v2", data, fast=False)
    fast = payments.import_payouts(uow.session, other_principal, "amazon-settlement-v2", data, fast=True)
    assert slow.imported == fast.imported == 40
    uow.session.expire_all()
    assert stored(uow, principal.org_id) == stored(uow, other_principal.org_id)
    per_payout = dict(uow.session.execute(
        select(Payout.payout_ref, func.count(PayoutLine.id)).join(PayoutLine, PayoutLine.payout_id == Payout.id)
        .where(Payout.org_id == other_principal.org_id).group_by(Payout.payout_ref)).all())
    assert per_payout == {"24680135791": 20, "24680135792": 20}


def test_deleting_an_organisation_deletes_its_payout_lines(uow, principal, other_principal):
    from xborder.accounts.orm import Organisation

    _payout(uow, principal)
    _payout(uow, other_principal)
    uow.session.execute(delete(Organisation).where(Organisation.id == principal.org_id))
    left = dict(uow.session.execute(select(PayoutLine.org_id, func.count()).group_by(PayoutLine.org_id)).all())
    assert left == {other_principal.org_id: 20}
