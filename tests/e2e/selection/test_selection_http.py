"""Selection over HTTP: the API mirrors the CLI contract; the pages render with charts."""

from __future__ import annotations

import io
import re


def _upload(path):
    return {"file": (path.name, path.read_bytes(), "text/csv")}


def test_api_analyze_contract(api_client, uci_sample):
    r = api_client.post("/api/v1/selection/analyze", files=_upload(uci_sample), data={"format": "uci-online-retail"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert list(out) == ["markets", "opportunities", "cleaning"]
    assert out["markets"][0]["country"] == "Germany"


def test_api_analyze_rejects_bad_file_with_lines(api_client):
    data = b"order_id,date,product,quantity,unit_price,market\n1,2024-01-01,A,x,1.00,DE\n"
    r = api_client.post("/api/v1/selection/analyze", files={"file": ("b.csv", data, "text/csv")}, data={"format": "mapped"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["line"] == 2


def test_api_forecast_saved_and_listed(api_client, uci_sample):
    r = api_client.post("/api/v1/selection/forecast", files=_upload(uci_sample),
                        data={"top": "3", "horizon": "8", "save": "true"})
    assert r.status_code == 200, r.text
    run_id = r.json()["forecast_run"]
    lst = api_client.get("/api/v1/selection/forecasts").json()["items"]
    assert lst[0]["id"] == run_id and lst[0]["series"] == 3
    one = api_client.get(f"/api/v1/selection/forecasts/{run_id}").json()
    assert len(one["forecasts"]) == 3 and one["forecasts"][0]["history"]
    assert api_client.get("/api/v1/selection/margin-model").json()["*"]["fee_rate"] == "0.15"
    risk = api_client.get("/api/v1/selection/risk").json()
    assert "fx_exposure" in risk and risk["demand_concentration"]["market"]["top"]


def test_api_research_import_idempotent(api_client):
    csv = (b"title,price,rating,review_count,rank,seller_count,category,brand,est_sales,launch_date\n"
           b"Heart decoration red,12.99,4.5,2340,1,3,Home,Acme,1200,2021-03-01\n"
           b"Red heart decoration,11.99,4.4,1100,2,2,Home,Acme,900,2026-09-01\n"
           b"Glass tea light holder,8.50,4.1,45,3,1,Home,Brite,300,2026-10-10\n")
    r = api_client.post("/api/v1/selection/research", files={"file": ("r.csv", csv, "text/csv")},
                        data={"marketplace": "amazon.com"})
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["imported"] == 3 and first["niches"][0]["listings"] == 3
    again = api_client.post("/api/v1/selection/research", files={"file": ("r.csv", csv, "text/csv")}).json()
    assert again["imported"] == 0 and again["snapshot_id"] == first["snapshot_id"]
    assert len(api_client.get("/api/v1/selection/research").json()["items"]) == 1
    shown = api_client.get(f"/api/v1/selection/research/{first['snapshot_id']}").json()
    assert shown["niches"][0]["homogeneity"] > 0


def test_selection_pages(web_client, uci_sample):
    assert web_client.get("/selection").status_code == 200
    r = web_client.post("/selection/analyze", data={"csrf_token": web_client.csrf, "format": "uci-online-retail"},
                        files=_upload(uci_sample))
    assert r.status_code == 200, r.text[:500]
    assert 'id="quadrant-chart"' in r.text and "<svg" in r.text and "85123A" in r.text
    assert "cancelled_original" in r.text
    r = web_client.post("/selection/forecast", data={"csrf_token": web_client.csrf, "top": "3", "horizon": "8"},
                        files=_upload(uci_sample), follow_redirects=False)
    assert r.status_code == 303
    page = web_client.get(r.headers["location"])
    assert page.status_code == 200 and page.text.count("<svg") >= 3 and 'id="mase-summary"' in page.text
    assert web_client.get("/selection/risk").status_code == 200
    assert "WANB" in web_client.get("/selection/margin-model").text


def test_selection_page_shows_rejected_lines(web_client):
    data = b"title,price\nLamp,abc\n,3.00\n"
    r = web_client.post("/selection/research", data={"csrf_token": web_client.csrf},
                        files={"file": ("r.csv", io.BytesIO(data), "text/csv")})
    assert r.status_code == 422 and 'id="import-errors"' in r.text
    assert len(re.findall(r'<td class="num">\d+</td><td><code>', r.text)) == 2


def test_selection_posts_need_csrf(web_client, uci_sample):
    r = web_client.post("/selection/analyze", files=_upload(uci_sample))
    assert r.status_code == 403
