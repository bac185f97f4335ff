"""SKUs whose HS code carries several rates in a market's tariff: listed with the candidate lines
(page, API, CLI, dashboard card), and the chosen line saved on the SKU."""

import re
from datetime import date

from xborder.catalog import service as catalog
from xborder.customs import service as customs
from xborder.customs import tariff_lines
from xborder.customs.tariffs import TariffLine


def _setup(uow, principal):
    s = uow.session
    catalog.create_sku(s, principal, {"sku": "KT-HOOK", "name_en": "Hook", "hs_code": "830230", "origin": "CN"})
    catalog.create_sku(s, principal, {"sku": "SW-TEE", "name_en": "Cotton T-shirt", "hs_code": "610910", "origin": "CN"})
    customs.store_tariff(s, dataset="tariff:US", version="t1", source="test HTS", url="", digest="f" * 64,
                         valid_from=date(2025, 1, 1),
                         lines=[TariffLine("61091000", "Of cotton", "16.5%"),
                                TariffLine("83023030", "Of iron or steel, of aluminum or of zinc", "2%"),
                                TariffLine("8302306000", "Other", "3.5%")])
    uow.commit()


def test_missing_lines_and_setting_one(uow, principal, other_principal):
    _setup(uow, principal)
    (row,) = tariff_lines.missing_lines(uow.session, principal)
    d = row.to_dict()
    assert (d["sku"], d["market"], d["field"], d["hs_code"], d["lines"], d["rates"]) == ("KT-HOOK", "US", "hs_code_us", "830230", 2, 2)
    assert [(c["code"], c["rate"], c["description"]) for c in d["candidates"]] == [
        ("83023030", "2%", "Of iron or steel, of aluminum or of zinc"), ("8302306000", "3.5%", "Other")]
    assert tariff_lines.missing_lines(uow.session, principal, "gb") == []  # no UK tariff stored
    assert tariff_lines.missing_lines(uow.session, other_principal) == []  # another organisation's SKUs
    import pytest

    from xborder.errors import ValidationError

    with pytest.raises(ValidationError, match="market: one of US, EU, GB"):
        tariff_lines.missing_lines(uow.session, principal, "JP")
    with pytest.raises(ValidationError, match="does not extend the HS code 830230"):
        tariff_lines.set_line(uow.session, principal, "KT-HOOK", "US", "6109100012")
    with pytest.raises(ValidationError, match="sku: NOPE is not in the catalog"):
        tariff_lines.set_line(uow.session, principal, "NOPE", "US", "83023030")
    tariff_lines.set_line(uow.session, principal, "KT-HOOK", "us", "8302.30.30")
    uow.commit()
    assert catalog.get_sku_by_code(uow.session, principal.org_id, "KT-HOOK").hs_code_us == "83023030"
    assert tariff_lines.missing_lines(uow.session, principal) == []


def test_page_api_cli_and_dashboard(uow, principal, web_client, api_client, cli):
    _setup(uow, principal)
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get("/customs/tariff-lines").text
    assert 'id="line-' in page and "830230 下有 2 个税目，税率有 2 种" in page and "8302306000" in page
    cards = web_client.get("/dashboard/widgets/customs").text
    assert "缺少市场税目的 SKU" in cards and "KT-HOOK · US：830230 下有 2 个税目" in cards
    sku_id = re.search(r'name="sku_id" value="(\d+)"', page).group(1)
    bad = web_client.post("/customs/tariff-lines", data={"csrf_token": web_client.csrf, "sku_id": sku_id, "market": "US",
                                                         "code": "12"})
    assert bad.status_code == 422 and 'id="tariff-line-error"' in bad.text
    ok = web_client.post("/customs/tariff-lines", data={"csrf_token": web_client.csrf, "sku_id": sku_id, "market": "US",
                                                        "code": "8302306000"})
    assert ok.status_code == 200 and 'id="tariff-line-saved"' in ok.text and 'id="tariff-lines-none"' in ok.text
    # the API lists none now; it sets a line back
    assert api_client.get("/api/v1/customs/tariff-lines").json() == {"missing": []}
    put = api_client.put("/api/v1/customs/tariff-lines", json={"sku": "KT-HOOK", "market": "US", "code": "83023030"})
    assert put.status_code == 200 and put.json()["hs_code_us"] == "83023030"
    assert api_client.put("/api/v1/customs/tariff-lines", json={"sku": "KT-HOOK", "market": "XX", "code": "1"}).status_code == 422
    # the CLI lists and sets
    catalog.create_sku(uow.session, principal, {"sku": "KT-HOOK-2", "name_en": "Hook 2", "hs_code": "830230", "origin": "CN"})
    uow.commit()
    listed = cli("customs", "tariff-lines", "--market", "US", "--json")
    assert listed.exit_code == 0 and [m["sku"] for m in listed.json()["missing"]] == ["KT-HOOK-2"]
    r = cli("customs", "set-tariff-line", "KT-HOOK-2", "US", "8302306000")
    assert r.exit_code == 0 and r.json() == {"sku": "KT-HOOK-2", "market": "US", "hs_code_us": "8302306000"}
    assert cli("customs", "set-tariff-line", "KT-HOOK-2", "US", "9999").exit_code != 0
    assert cli("customs", "tariff-lines", "--market", "US", "--json").json() == {"missing": []}
