"""The vectorised Amazon settlement path gives the same lines, keys and errors as the row parser."""

from pathlib import Path

import pytest

from xborder.payments.importers import amazon_settlement_v2 as slow
from xborder.payments.importers import fast_settlement as fast

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "payments"


@pytest.mark.parametrize("name", ["amazon_settlement_v2_us.txt", "amazon_settlement_v2_de.txt"])
def test_same_as_row_parser(name):
    data = (FIX / name).read_bytes()
    a, b = fast.parse(data), slow.parse(data)
    assert a.errors == [] and b.errors == []
    (pa,), (pb,) = a.payouts, b.payouts
    assert (pa.payout_ref, pa.currency, pa.total, pa.start, pa.end, pa.deposit_date, pa.marketplace) == \
        (pb.payout_ref, pb.currency, pb.total, pb.start, pb.end, pb.deposit_date, pb.marketplace)
    got = a.lines.to_dicts()
    assert len(got) == len(pb.lines)
    for x, y in zip(got, pb.lines, strict=True):
        assert (x["line_key"], x["amount"], x["fee_class"], x["unexpected"], x["posted_at"], x["currency"],
                x["order_ref"], x["sku"], x["transaction_type"], x["description"]) == \
            (y.line_key, int(y.amount * 10000), y.fee_class, y.unexpected, y.posted_at, y.currency, y.order_ref,
             y.sku, y.transaction_type, y.description)


def test_bad_file_reports_like_row_parser():
    data = (FIX / "amazon_settlement_v2_bad.txt").read_bytes()
    assert [e.to_dict() for e in fast.parse(data).errors] == [e.to_dict() for e in slow.parse(data).errors]


@pytest.mark.parametrize(("data", "padded"), [
    (b"a\tb\n", False), (b"a\tb c\n", False), (b"a \tb\n", True), (b"a\t b\n", True), (b"a\tb \n", True),
    (b"a\tb\n c", True), (b"a\tb ", True), (b" a", True), (b"a\r\n", True), (b"a\tb\x0b\n", True),
    # across the 16 MB slices of the numpy check
    (b"x y\tz\n" * 3_000_000 + b"a \tb", True), (b"x y\tz\n" * 3_000_000, False),
])
def test_blank_cell_check(data, padded):
    from xborder.payments.importers.fast_settlement import _padded

    assert _padded(data) is padded
