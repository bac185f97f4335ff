"""Listings services on the database (SQLite, and PostgreSQL when DATABASE_URL is set)."""

from datetime import date

import pytest

from xborder.catalog import service as catalog
from xborder.errors import ImportRejected, NotFound, PermissionDenied, ValidationError
from xborder.listings import service
from xborder.listings.importers.keywords import import_keywords
from xborder.listings.importers.messages import import_messages

CATALOG = (
    "sku,name_en,name_zh,brand,material,category,weight_g,length_cm,width_cm,height_cm,battery\n"
    "PB-1,Acme Power Bank 10000mAh,充电宝,Acme,ABS塑料,electronics,210,14,7,1.5,yes\n"
    "BO-1,BEST SELLER Bamboo Board Free Shipping!!!,砧板,Acme,竹子,kitchen,1200,40,30,2,no\n"
    "TOY-1,Acme Building Blocks 100 Pieces,积木,Acme,ABS,toys,300,20,15,8,no\n"
)
KEYWORDS = (
    "text,kind,demand\n"
    "Zeta Bamboo Cutting Board with Juice Groove,title,1200\n"
    "Omni Bamboo Cutting Board Set of 3,title,800\n"
    "bamboo cutting board,search_term,40000\n"
    "cutting board with juice groove,search_term,9000\n"
)
MESSAGES = (
    "message_id,buyer_name,body,order_id,marketplace,incoterm\n"
    "M1,Anna,Wo ist meine Bestellung? Sie ist noch nicht angekommen.,302-1,amazon-de,\n"
    "M2,Jean,Dois-je payer des frais de douane ?,302-2,amazon-fr,DDP\n"
    "M3,Sam,Can I return this and get a refund?,302-3,amazon-us,\n"
)


@pytest.fixture()
def with_catalog(uow, principal):
    catalog.import_catalog(uow.session, principal, CATALOG.encode(), "c.csv")
    uow.commit()


def test_check_catalog_records_and_ranks(uow, principal, with_catalog):
    rows = service.check_catalog(uow.session, principal, ["amazon-us", "ebay"], on=date(2026, 11, 24))
    uow.commit()
    worst = rows[0]
    assert worst.sku == "BO-1" and worst.errors >= 3 and worst.score < 60
    assert {r.marketplace for r in rows} == {"amazon-us", "ebay-us"}
    stored = service.latest_checks(uow.session, principal)
    assert len(stored) == len(rows) == 6
    # re-running updates the same rows (one per SKU x marketplace)
    service.check_catalog(uow.session, principal, ["amazon-us"], on=date(2026, 11, 24))
    uow.commit()
    assert len(service.latest_checks(uow.session, principal)) == 6
    rep = service.report_rows(uow.session, principal, "zh")
    assert any("促销" in r.findings for r in rep if r.sku == "BO-1")


def test_catalog_listing_titles_checked_on_their_channel(uow, principal, with_catalog):
    catalog.upsert_listing(uow.session, principal, {"channel": "etsy", "listing_id": "E1", "title": "x" * 150, "sku": "BO-1"})
    uow.commit()
    rows = service.check_catalog(uow.session, principal, ["etsy", "amazon-us"])
    etsy = [r for r in rows if r.marketplace == "etsy"]
    assert any(r.errors and "title.max_length" in r.findings for r in etsy)


def test_draft_from_catalog_sku_uses_attributes(uow, principal, with_catalog):
    draft, res, row = service.create_draft(uow.session, principal, "BO-1", "amazon-us", {"product_type": "Cutting Board"})
    uow.commit()
    assert row is not None and row.sku_code == "BO-1"
    assert "Bamboo" in draft.title and "15.7 x 11.8 x 0.8 in" in " ".join(draft.bullets)
    assert res.errors == 0
    assert service.get_draft(uow.session, principal, row.id).title == draft.title


def test_tenancy_of_drafts(uow, principal, other_principal, with_catalog):
    _d, _r, row = service.create_draft(uow.session, principal, "BO-1", "amazon-us", {"product_type": "Cutting Board"})
    uow.commit()
    with pytest.raises(NotFound):
        service.get_draft(uow.session, other_principal, row.id)
    assert service.drafts(uow.session, other_principal) == []


def test_keyword_import_is_idempotent_and_bad_file_writes_nothing(uow, principal):
    r1 = import_keywords(uow.session, principal, KEYWORDS.encode(), "kw.csv", "boards")
    uow.commit()
    assert (r1.imported, r1.skipped_duplicates) == (4, 0)
    r2 = import_keywords(uow.session, principal, KEYWORDS.encode(), "kw.csv", "boards")
    uow.commit()
    assert (r2.imported, r2.skipped_duplicates) == (0, 4)
    bad = "text,kind,demand\nok title,title,5\n,title,3\nanother,review,x\n"
    with pytest.raises(ImportRejected) as e:
        import_keywords(uow.session, principal, bad.encode(), "bad.csv", "bad")
    uow.rollback()
    got = {(x["line"], x["column"]) for x in e.value.errors}
    assert got == {(3, "text"), (4, "kind"), (4, "demand")}
    assert service.keyword_sets(uow.session, principal) == [{"set": "boards", "titles": 2, "search_terms": 2}]


def test_keyword_report_proposal_passes_checker(uow, principal):
    import_keywords(uow.session, principal, KEYWORDS.encode(), "kw.csv", "boards")
    uow.commit()
    rep = service.keyword_report(service.keyword_sources(uow.session, principal, "boards"),
                                 {"title": "Acme Bamboo Board", "brand": "Acme", "bullets": ["Thick bamboo.", "Easy to clean.", "Two handles."]},
                                 "amazon-us")
    phrases = [k["phrase"] for k in rep["keywords"]]
    assert phrases[0] in ("bamboo cutting board", "cutting board") and not any("zeta" in p or "omni" in p for p in phrases)
    assert "juice groove" in [m["phrase"] for m in rep["coverage"]["missing"]]
    assert "Cutting Board" in rep["proposal"]["title"] and len(rep["proposal"]["title"]) <= 200
    assert rep["proposal_check"]["errors"] == 0
    with pytest.raises(NotFound):
        service.keyword_sources(uow.session, principal, "nope")
    with pytest.raises(NotFound):
        service.keyword_sources(uow.session, principal, "selection:latest")


def test_buyer_messages_import_with_replies(uow, principal):
    r = import_messages(uow.session, principal, MESSAGES.encode(), "m.csv", "Acme Store")
    uow.commit()
    assert r.imported == 3
    by_id = {m.message_id: m for m in service.buyer_messages(uow.session, principal)}
    assert (by_id["M1"].language, by_id["M1"].intent) == ("de", "shipping_delay")
    assert by_id["M1"].situation == "general_reply" and "tracking_number" in by_id["M1"].missing
    assert "Guten Tag Anna" in by_id["M1"].reply_body
    assert (by_id["M2"].language, by_id["M2"].situation) == ("fr", "customs_ddp") and "DDP" in by_id["M2"].reply_body
    assert by_id["M3"].intent == "return_refund"
    again = import_messages(uow.session, principal, MESSAGES.encode(), "m.csv", "Acme Store")
    assert (again.imported, again.skipped_duplicates) == (0, 3)
    bad = "message_id,buyer_name,body,language\nX1,,hello,en\nX2,Bo,hi,xx\n"
    with pytest.raises(ImportRejected) as e:
        import_messages(uow.session, principal, bad.encode(), "bad.csv", "Acme")
    assert {(x["line"], x["column"]) for x in e.value.errors} == {(2, "buyer_name"), (3, "language")}


def test_compliance_from_catalog_flags_and_status(uow, principal, with_catalog):
    c = service.sku_checklist(uow.session, principal, "PB-1", "amazon-de", on=date(2026, 11, 1))
    ids = {i["id"] for i in c["items"]}
    assert {"transport.un38_3", "transport.sds", "de.weee.ear", "de.battery.battdg", "eu.gpsr.responsible_person"} <= ids
    assert c["summary"]["ready"] is False
    for i in c["items"]:
        if i["blocking"]:
            service.set_status(uow.session, principal, "PB-1", i["id"], "done", reference="ref")
    uow.commit()
    assert service.sku_checklist(uow.session, principal, "PB-1", "DE", on=date(2026, 11, 1))["summary"]["ready"] is True
    # the GPSR record also counts for France; French EPR items are still open there
    fr = service.sku_checklist(uow.session, principal, "PB-1", "FR", on=date(2026, 11, 1))
    st = {i["id"]: i["status"] for i in fr["items"]}
    assert st["eu.gpsr.responsible_person"] == "done" and st["fr.epr.batteries"] == "missing"
    us = service.sku_checklist(uow.session, principal, "TOY-1", "US", on=date(2026, 11, 1))
    assert "us.cpsia.cpc" in {i["id"] for i in us["items"]}


def test_compliance_profile_overrides_and_validation(uow, principal, with_catalog):
    service.set_sku_profile(uow.session, principal, "PB-1", "power_bank", ["radio"], ["lithium_battery"])
    uow.commit()
    c = service.sku_checklist(uow.session, principal, "PB-1", "US", on=date(2026, 11, 1))
    ids = {i["id"] for i in c["items"]}
    assert "us.fcc.certification" in ids and "transport.un38_3" not in ids
    with pytest.raises(ValidationError) as e:
        service.set_sku_profile(uow.session, principal, "PB-1", "spaceship", [])
    assert e.value.field == "category"
    with pytest.raises(ValidationError) as e:
        service.set_status(uow.session, principal, "PB-1", "de.weee.ear", "not_applicable")
    assert e.value.field == "note"
    with pytest.raises(ValidationError):
        service.set_status(uow.session, principal, "PB-1", "made.up", "done")


def test_provider_settings_need_owner_and_keep_key(uow, principal):
    cfg = service.set_provider(uow.session, principal, base_url="http://127.0.0.1:8080/v1", model="qwen", api_key="sk-abcdef123")
    uow.commit()
    assert cfg.enabled and cfg.api_key == "sk-abcdef123" and cfg.masked()["api_key"] == "sk-…23"
    cfg = service.set_provider(uow.session, principal, base_url="http://127.0.0.1:8080/v1", model="qwen2", api_key=None)
    assert cfg.api_key == "sk-abcdef123" and cfg.model == "qwen2"
    from dataclasses import replace

    from xborder.accounts.model import Role

    viewer = replace(principal, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        service.set_provider(uow.session, viewer, base_url="http://x/v1", model="m")
    with pytest.raises(ValidationError):
        service.set_provider(uow.session, principal, base_url="ftp://x", model="m")


def test_demo_and_dashboard(uow, principal, with_catalog):
    from xborder.listings import dashboard, demo

    msg = demo.build(uow.session, principal)
    uow.commit()
    assert "4 buyer messages" in msg and "6 listing checks" in msg
    again = demo.build(uow.session, principal)
    assert "0 keyword sources, 0 buyer messages" in again
    w = {x["title"]: x for x in dashboard.widgets(uow.session, principal)}
    assert w["Listings with rule errors"]["value"] >= 1 and w["Buyer messages"]["value"] == 4


def test_catalog_check_prefers_live_listing_then_draft_then_name(uow, principal, with_catalog):
    catalog.upsert_listing(uow.session, principal, {"channel": "amazon-us", "listing_id": "B0X", "title": "Acme Bamboo Cutting Board",
                                                    "sku": "BO-1"})
    service.create_draft(uow.session, principal, "TOY-1", "ebay", {"product_type": "Building Blocks", "brand": "Acme"})
    uow.commit()
    rows = {(r.sku, r.marketplace): r for r in service.check_catalog(uow.session, principal, ["amazon-us", "ebay"])}
    assert rows[("BO-1", "amazon-us")].source == "listing" and rows[("BO-1", "amazon-us")].errors == 0
    assert rows[("BO-1", "ebay-us")].source == "sku_name" and rows[("BO-1", "ebay-us")].errors > 0
    assert rows[("TOY-1", "ebay-us")].source == "draft"
    assert rows[("TOY-1", "amazon-us")].source == "sku_name"
    assert len(rows) == 6


def test_keyword_proposal_cleans_the_title_and_ignores_other_products(uow, principal):
    mixed = KEYWORDS + "Zeta Silicone Phone Case Shockproof,title,5000\nsilicone phone case,search_term,90000\n"
    import_keywords(uow.session, principal, mixed.encode(), "kw.csv", "mixed")
    uow.commit()
    rep = service.keyword_report(service.keyword_sources(uow.session, principal, "mixed"),
                                 {"title": "Acme Bamboo Board BEST SELLER!!", "brand": "Acme"}, "amazon-us")
    phrases = [k["phrase"] for k in rep["keywords"]]
    assert "juice groove" in phrases and not any("phone" in p for p in phrases)
    t = rep["proposal"]["title"]
    assert "BEST" not in t and "Seller" not in t and "!" not in t and t.startswith("Acme Bamboo Board")
    assert rep["proposal_check"]["errors"] == 0
