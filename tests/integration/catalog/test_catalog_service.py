from decimal import Decimal

import pytest

from xborder.catalog import service
from xborder.errors import ImportRejected, NotFound

GOOD = (
    "sku,name_en,name_zh,weight_g,hs_code,purchase_cost,barcode,battery\n"
    "A-1,Cable,数据线,35,854442,6.80,4006381333931,no\n"
    "A-2,Power bank,充电宝,210.5,850760,38,,yes\n"
)
BAD = (
    "sku,name_en,weight_g,hs_code,barcode\n"
    "B-1,Good row,10,854442,\n"
    "B-2,Bad weight,heavy,854442,\n"
    ",No sku,5,854442,\n"
    "B-4,Bad barcode,5,854442,1234567890123\n"
)


def test_import_is_idempotent(uow, principal):
    r1 = service.import_catalog(uow.session, principal, GOOD.encode(), "c.csv")
    uow.commit()
    assert (r1.imported, r1.skipped_duplicates) == (2, 0)
    r2 = service.import_catalog(uow.session, principal, GOOD.encode(), "c.csv")
    uow.commit()
    assert (r2.imported, r2.updated, r2.skipped_duplicates) == (0, 0, 2)
    sku = service.get_sku_by_code(uow.session, principal.org_id, "A-2")
    assert sku.weight_g == Decimal("210.5") and sku.battery is True


def test_bad_file_writes_nothing_and_lists_every_bad_row(uow, principal):
    with pytest.raises(ImportRejected) as e:
        service.import_catalog(uow.session, principal, BAD.encode(), "bad.csv")
    uow.rollback()
    lines = {(x["line"], x["column"]) for x in e.value.errors}
    assert {(3, "weight_g"), (4, "sku"), (5, "barcode")} <= lines
    assert service.list_skus(uow.session, principal).total == 0


def test_export_round_trips_through_import(uow, principal):
    service.import_catalog(uow.session, principal, GOOD.encode(), "c.csv")
    uow.commit()
    csv_bytes = service.export_csv(uow.session, principal)
    xlsx_bytes = service.export_xlsx(uow.session, principal)
    for blob, name in ((csv_bytes, "e.csv"), (xlsx_bytes, "e.xlsx")):
        r = service.import_catalog(uow.session, principal, blob, name)
        assert (r.imported, r.updated, r.skipped_duplicates) == (0, 0, 2), name


def test_organisations_are_isolated(uow, principal, other_principal):
    sku = service.create_sku(uow.session, principal, {"sku": "MINE", "name_en": "Mine"})
    uow.commit()
    assert service.list_skus(uow.session, other_principal).total == 0
    with pytest.raises(NotFound):
        service.get_sku(uow.session, other_principal, sku.id)
    # the same SKU code may exist in another organisation
    service.create_sku(uow.session, other_principal, {"sku": "MINE", "name_en": "Theirs"})
    uow.commit()


def test_listing_pairing_and_unpaired_queue(uow, principal, other_principal):
    sku = service.create_sku(uow.session, principal, {"sku": "P-1", "name_en": "Lamp"})
    li, status = service.upsert_listing(uow.session, principal, {"channel": "amazon-us", "listing_id": "B0TEST1234",
                                                                 "seller_sku": "P-1-US"})
    assert status == "created"
    assert [x.id for x in service.list_listings(uow.session, principal, unpaired=True)] == [li.id]
    service.pair_listing(uow.session, principal, li.id, sku.id)
    assert service.list_listings(uow.session, principal, unpaired=True) == []
    assert service.find_listing_sku(uow.session, principal.org_id, "amazon-us", "B0TEST1234").sku == "P-1"
    with pytest.raises(NotFound):
        service.pair_listing(uow.session, other_principal, li.id, None)
