import pytest

from xborder.errors import ValidationError
from xborder.listings.drafts import make_draft, templates
from xborder.listings.rulebook import marketplace, marketplace_ids

ZH = {"brand": "Acme", "category": "kitchen", "product_type_zh": "砧板", "material_zh": "竹子", "color_zh": "棕色",
      "features_zh": ["防滑", "易清洗", "食品级"], "use_zh": "厨房", "dimensions_cm": ["40", "30", "2"], "weight_g": "1200",
      "pack_count": 2}


@pytest.mark.parametrize("mp", marketplace_ids())
def test_draft_from_chinese_attributes_passes_every_checker(mp):
    d, res = make_draft(ZH, marketplace(mp))
    assert d.title.startswith("Acme") and "Cutting Board" in d.title
    assert [f.rule for f in res.findings if f.severity == "error"] == []


def test_units_follow_the_country():
    us, _ = make_draft(ZH, marketplace("amazon-us"))
    de, _ = make_draft(ZH, marketplace("amazon-de"))
    assert "15.7 x 11.8 x 0.8 in (40 x 30 x 2 cm)" in " ".join(us.bullets)
    assert "2.65 lb" in " ".join(us.bullets)
    assert "40 x 30 x 2 cm (15.7 x 11.8 x 0.8 in)" in " ".join(de.bullets)
    assert any("expects de" in n for n in de.notes)


def test_untranslated_values_are_reported_not_copied():
    d, res = make_draft({**ZH, "features_zh": ["防滑", "神奇功能"]}, marketplace("amazon-us"))
    text = " ".join([d.title, *d.bullets, d.description, d.search_terms])
    assert "神奇" not in text
    assert d.untranslated == ("features: 神奇功能",)
    assert not [f for f in res.findings if f.rule == "content.wrong_script"]


def test_title_respects_ebay_80_chars():
    d, res = make_draft({**ZH, "features_zh": ["防滑", "易清洗", "食品级", "可重复使用"], "audience": "home cooks"}, marketplace("ebay-us"))
    assert len(d.title) <= 80


def test_apparel_size_mapping_in_bullets():
    d, _ = make_draft({"brand": "Acme", "category": "apparel", "product_type_zh": "卫衣", "material_zh": "纯棉",
                       "color": "navy blue", "size": "L", "size_chart": "mens_tops"}, marketplace("amazon-uk"))
    line = [b for b in d.bullets if b.startswith("Fit and size")][0]
    assert "CN 175/92A" in line and "UK 42" in line and "EU 52" in line and "102-107 cm" in line


def test_shoe_size_line():
    d, _ = make_draft({"brand": "Acme", "category": "shoes", "product_type_zh": "运动鞋", "material_zh": "帆布", "foot_mm": 250},
                      marketplace("amazon-us"))
    assert any("EU 40" in b and "US men 7.5" in b and "9.8 in" in b for b in d.bullets)


def test_missing_brand_and_unknown_category():
    with pytest.raises(ValidationError) as e:
        make_draft({"product_type": "mug"}, marketplace("amazon-us"))
    assert e.value.field == "brand"
    with pytest.raises(ValidationError) as e:
        make_draft({"brand": "Acme", "product_type": "mug", "category": "nope"}, marketplace("amazon-us"))
    assert e.value.field == "category"


def test_all_templates_render_with_full_attributes():
    full = {"brand": "Acme", "product_type": "gadget", "material": "plastic", "color": "black", "features": ["portable", "foldable"],
            "use": "travel", "dimensions_cm": "10x5x2", "weight_g": "80", "compatible_with": "most phones", "audience": "kids 3+",
            "size": "M", "size_chart": "womens_tops", "battery": True, "lithium_battery": True, "battery_mah": 500}
    for cat in templates():
        d, res = make_draft({**full, "category": cat}, marketplace("amazon-us"))
        assert d.title and len(d.bullets) >= 3, cat
        assert not [f for f in res.findings if f.severity == "error"], (cat, res.findings)
