"""Customs on the database: sync with provenance, stored tariff look-ups, extra duties,
declarations and documents (SQLite, and PostgreSQL when DATABASE_URL is set)."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from xborder.customs import declarations as dc
from xborder.customs import documents as docs
from xborder.customs import service
from xborder.customs.errors import DeclarationInvalid
from xborder.customs.orm import RefVersion, TariffLineRow
from xborder.customs.tariffs import TariffLine
from xborder.customs.vat import VatRate
from xborder.errors import ImportRejected, NotFound


def _store_small(s):
    service.store_tariff(s, dataset="tariff:US", version="t1", source="test", url="", digest="a" * 64,
                         valid_from=date(2025, 1, 1),
                         lines=[TariffLine("61091000", "Of cotton", "16.5%"), TariffLine("61099010", "MMF", "32%"),
                                TariffLine("61099080", "Other", "5.6%")])
    service.store_tariff(s, dataset="tariff:US", version="t2", source="test", url="", digest="b" * 64,
                         valid_from=date(2026, 1, 1), lines=[TariffLine("61091000", "Of cotton", "20%")])


def test_db_tariffs_pick_the_version_in_force_and_keep_earlier_ones(uow):
    _store_small(uow.session)
    uow.commit()
    t = service.DbTariffs(uow.session)
    assert t.lookup("US", "610910", date(2025, 6, 1)).rate.ad_valorem == D("0.165")
    m = t.lookup("US", "6109100004", date(2026, 6, 1))
    assert m.rate.ad_valorem == D("0.20") and m.version == "t2"
    assert t.lookup("US", "610990", date(2025, 6, 1)).ambiguous
    assert t.lookup("GB", "610910", date(2025, 6, 1)) is None
    # the same file again is a no-op
    _, created = service.store_tariff(uow.session, dataset="tariff:US", version="t1", source="test", url="",
                                      digest="a" * 64, valid_from=date(2025, 1, 1), lines=[])
    assert not created and len(service.ref_versions(uow.session)) == 2


def test_landed_cost_uses_stored_tariff_vat_and_org_extra_duties(uow, principal, other_principal):
    s = uow.session
    _store_small(s)
    service.store_vat(s, dataset="vat:history", version="h", source="test history", url="", digest="c" * 64,
                      valid_from=date(2016, 1, 1), rates=[VatRate("DE", D("0.25"), date(2016, 1, 1), None, "x")])
    service.import_extra_duties(s, principal,
                                "programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note\n"
                                "Section 301,US,CN,61091000,0,2020-01-01,,exclusion granted,\n")
    uow.commit()
    req = {"destination": "US", "date": "2026-11-24", "currency": "USD", "shipping": "0",
           "lines": [{"hs_code": "6109100004", "origin": "CN", "quantity": 1, "unit_value": "100.00"}]}
    mine = service.quote_landed_cost(s, principal.org_id, req)
    theirs = service.quote_landed_cost(s, other_principal.org_id, req)
    assert mine["duty"] == "20.00"  # 20% (t2), Section 301 excluded for this organisation only
    assert theirs["duty"] == "27.50"  # 20% + 7.5% List 4A
    de = service.quote_landed_cost(s, principal.org_id, {**req, "destination": "DE", "currency": "EUR",
                                                          "lines": [{"hs_code": "610910", "unit_value": "10"}]})
    assert de["taxes"] == "2.50"  # synced 25% wins over the built-in table (test row)
    assert "synced" in " ".join(e["rule"] for e in de["explanation"])


def test_prefill_from_catalog_sku(uow, principal):
    from xborder.catalog.orm import Sku

    uow.session.add(Sku(org_id=principal.org_id, sku="TS-1", name_en="Cotton T-shirt", hs_code="610910", origin="CN",
                        weight_g=D("200")))
    uow.commit()
    out = service.quote_landed_cost(uow.session, principal.org_id, {
        "destination": "DE", "date": "2026-11-24", "currency": "EUR",
        "lines": [{"sku": "TS-1", "quantity": 1, "unit_value": "15.00"}]})
    assert out["lines"][0]["hs_code"] == "610910" and out["duty"] == "3.00"


def test_extra_duty_import_rejects_whole_file_and_is_idempotent(uow, principal):
    bad = ("programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note\n"
           "A,US,CN,6109,0.1,2020-01-01,,src,\nB,USA,CN,6109,x,2020-13-01,,,\n")
    with pytest.raises(ImportRejected) as e:
        service.import_extra_duties(uow.session, principal, bad)
    cols = {(err["line"], err["column"]) for err in e.value.errors}
    assert {(3, "destination"), (3, "rate"), (3, "valid_from"), (3, "source")} <= cols
    assert service.org_extra_duties(uow.session, principal.org_id) == []
    good = "programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note\nA,US,CN,6109,0.1,2020-01-01,,src,\n"
    assert service.import_extra_duties(uow.session, principal, good) == {"imported": 1, "skipped_duplicates": 0}
    assert service.import_extra_duties(uow.session, principal, good) == {"imported": 0, "skipped_duplicates": 1}


def test_declarations_store_validate_and_isolate(uow, principal, other_principal):
    s = uow.session
    row, created = service.save_declaration(s, principal, dc.to_dict(dc.sample()))
    assert created
    again, created2 = service.save_declaration(s, principal, dc.to_dict(dc.sample()))
    assert again.id == row.id and not created2
    uow.commit()
    assert sorted(service.declaration_messages(row)) == ["CEB303", "CEB403", "CEB505", "CEB603"]
    summary = service.monthly_summary(s, principal, 2026, 11)
    assert summary["groups"][0]["lists"] == 1
    assert service.monthly_summary(s, other_principal, 2026, 11)["groups"] == []
    with pytest.raises(NotFound):
        service.get_declaration(s, other_principal, row.id)
    bad = dc.to_dict(dc.sample(order_no="X2"))
    bad["lines"][0]["gcode"] = "610910"
    with pytest.raises(DeclarationInvalid) as e:
        service.save_declaration(s, principal, bad)
    assert e.value.details["errors"][0]["field"] == "lines[0].gcode"


def test_documents_store_and_render(uow, principal, other_principal):
    row, _ = service.save_docs(uow.session, principal, docs.sample_input())
    uow.commit()
    pdf, mime, name = service.render_doc(row, "invoice", "pdf")
    assert pdf[:5] == b"%PDF-" and mime == "application/pdf" and name == "invoice-INV-2026-0001.pdf"
    with pytest.raises(NotFound):
        service.get_docs(uow.session, other_principal, row.id)


def test_sync_real_files_with_provenance(container, shared_data):
    from xborder.reference import service as reference

    outcomes = reference.sync(container.sessions, shared_data, ["us-hts", "uk-tariff", "eu-vat-rates", "eu-vat-history"])
    assert {o.name: o.status for o in outcomes} == dict.fromkeys(["us-hts", "uk-tariff", "eu-vat-rates", "eu-vat-history"], "loaded")
    again = reference.sync(container.sessions, shared_data, ["us-hts"])
    assert again[0].status == "unchanged"
    with container.sessions() as s:
        assert s.scalar(select(func.count()).select_from(RefVersion)) == 5
        assert s.scalar(select(func.count()).select_from(TariffLineRow)) == 29842 + 2 * 11830
        assert all(v.data_source_id for v in service.ref_versions(s))
        t = service.DbTariffs(s)
        assert t.lookup("EU", "610910", date(2026, 11, 24)).rate.ad_valorem == D("0.12")
        assert t.lookup("GB", "610910", date(2026, 11, 24)).rate.ad_valorem == D("0.12")
        out = service.quote_landed_cost(s, None, {
            "destination": "US", "date": "2026-11-24", "currency": "USD",
            "lines": [{"hs_code": "610910", "origin": "CN", "quantity": 1, "unit_value": "40.00"}]})
        assert out["duty"] == "9.60"  # 16.5% HTS 2025 + 7.5% Section 301
        gb = service.quote_landed_cost(s, None, {
            "destination": "GB", "date": "2026-11-24", "currency": "GBP", "shipping": "10.00",
            "lines": [{"hs_code": "610910", "origin": "CN", "quantity": 2, "unit_value": "80.00"}]})
        assert gb["duty"] == "20.40" and gb["taxes"] == "38.08"  # 12% of 170; 20% of 190.40
        assert service.vat_book(s).standard("RO", date(2026, 11, 24)).rate == D("0.21")


def test_corrected_declaration_becomes_a_change(uow, principal):
    row, _ = service.save_declaration(uow.session, principal, dc.to_dict(dc.sample()))
    assert row.data["app_type"] == "1"
    same, _ = service.save_declaration(uow.session, principal, dc.to_dict(dc.sample()))
    assert same.data["app_type"] == "1"
    # recording the list number customs returned (CEB604) is not a correction
    numbered, _ = service.save_declaration(uow.session, principal, dc.to_dict(dc.sample(invt_no="29912026E000000001")))
    assert numbered.data["app_type"] == "1" and numbered.data["invt_no"] == "29912026E000000001"
    fixed, created = service.save_declaration(uow.session, principal, dc.to_dict(dc.sample(freight=D("6.00"))))
    assert not created and fixed.id == row.id and fixed.data["app_type"] == "2"
    assert "<ceb:appType>2</ceb:appType>" in service.declaration_messages(fixed)["CEB303"]


def test_cn_tariff_versions_and_legal_unit_books(uow, principal, other_principal):
    from xborder.customs.legal_units import parse_cn_tariff_csv

    head = "code,name,unit1,unit2\n"
    v25, _ = service.store_cn_tariff(uow.session, version="2025", digest="a" * 64, valid_from=date(2025, 1, 1),
                                     rows=parse_cn_tariff_csv(head + "6109100022,T恤,件,千克\n"))
    service.store_cn_tariff(uow.session, version="2026", digest="b" * 64, valid_from=date(2026, 1, 1),
                            rows=parse_cn_tariff_csv(head + "6109100022,T恤,件,\n"))
    again, created = service.store_cn_tariff(uow.session, version="2025", digest="a" * 64, valid_from=date(2025, 1, 1),
                                             rows=[])
    assert not created and again.id == v25.id
    old = service.legal_unit_books(uow.session, principal.org_id, ["6109100022"], date(2025, 6, 1))
    new = service.legal_unit_books(uow.session, principal.org_id, ["6109100022"], date(2026, 6, 1))
    assert [b.kind for b in old] == ["tariff"] and "2025" in old[0].label
    assert old[0].find("6109100022", date(2025, 6, 1))[0].unit2 == "千克"
    assert new[0].find("6109100022", date(2026, 6, 1))[0].unit2 == ""
    # the sample (second unit 千克) passes on the 2025 tariff, not on the 2026 one
    assert service.check_legal_units(uow.session, principal.org_id, dc.sample(ie_date=date(2025, 6, 1))).errors == []
    assert [p.field for p in service.check_legal_units(uow.session, principal.org_id, dc.sample()).errors] == ["lines[0].unit2"]
    # the rebate library is the organisation's own: another organisation's does not count
    from xborder.rebate.rates import RebateRate
    from xborder.rebate.service import store_rates

    store_rates(uow.session, other_principal, [RebateRate("6109100022", date(2025, 1, 1), None, D("0.13"), (), "T恤", "千克")])
    kinds = [b.kind for b in service.legal_unit_books(uow.session, principal.org_id, ["6109100022"], date(2026, 6, 1))]
    assert kinds == ["tariff"]
    kinds = [b.kind for b in service.legal_unit_books(uow.session, other_principal.org_id, ["6109100022"], date(2026, 6, 1))]
    assert kinds == ["rebate", "tariff"]
