"""Chinese product descriptions read in English for the classifier (xborder.hs.zh)."""

from xborder.hs.zh import PRODUCT_TERMS, Glossary, clean_senses, glossary, has_chinese

CEDICT_SAMPLE = [
    "# CC-CEDICT sample in the file's own format",
    "藍牙 蓝牙 [lan2 ya2] /Bluetooth/",
    "耳機 耳机 [er3 ji1] /headphones/earphones/telephone receiver/",
    "數據 数据 [shu4 ju4] /data/numbers/digital/",
    "線 线 [xian4] /thread/string/wire/line/CL:條|条[tiao2]/",
    "杯 杯 [bei1] /cup/trophy cup/classifier for certain containers of liquids: glass, cup/",
    "盃 杯 [bei1] /variant of 杯[bei1]/",
]


def test_the_longest_word_wins_and_product_terms_come_first():
    plain = Glossary.from_cedict(CEDICT_SAMPLE, extra={})
    assert plain.entries["线"] == "thread"  # a single character keeps its main sense
    assert plain.entries["杯"] == "cup"  # the first entry of a word is kept, not the variant
    r = plain.read("蓝牙耳机")
    assert r.english == "Bluetooth headphones earphones" and r.words == [("蓝牙", "Bluetooth"), ("耳机", "headphones earphones")]
    assert plain.read("数据线").english == "data numbers thread"  # word by word ...
    g = Glossary.from_cedict(CEDICT_SAMPLE)  # ... so the product terms read compounds as sellers mean them
    assert g.read("蓝牙耳机").words == [("蓝牙耳机", PRODUCT_TERMS["蓝牙耳机"])]
    r = g.read("USB数据线 1米")
    assert r.english == f"USB {PRODUCT_TERMS['数据线']} 1" and r.unknown == ["米"]


def test_unknown_characters_are_listed_and_latin_text_kept():
    g = Glossary.from_cedict(CEDICT_SAMPLE, extra={})
    r = g.read("蓝牙耳机（黑色）20W")
    assert r.english == "Bluetooth headphones earphones 20W" and r.unknown == ["黑", "色"]
    assert "not in the dictionary: 黑色" in r.explanation()
    assert not has_chinese("cotton T-shirt") and has_chinese("T恤")


def test_clean_senses_drops_classifiers_variants_and_notes():
    assert clean_senses("knapsack/rucksack/infantry pack/CL:個|个[ge4]") == "knapsack rucksack"
    assert clean_senses("lace (loanword) (textiles)") == "lace"
    assert clean_senses("see also 電燈泡|电灯泡[dian4 deng1 pao4]/light bulb") == "light bulb"


def test_the_shipped_dictionary_reads_common_product_names():
    g = glossary()
    assert len(g.entries) > 80_000
    cases = {"蓝牙耳机": "Bluetooth", "纯棉男士T恤": "T-shirt", "不锈钢": "stainless steel", "陶瓷马克杯": "mug",
             "帆布双肩包": "backpack", "无线鼠标": "mouse"}
    for zh, en in cases.items():
        r = g.read(zh)
        assert en in r.english and not r.unknown, (zh, r)
