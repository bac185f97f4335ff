"""HS use cases: nomenclature search, classification, per-SKU suggestions and bulk classify.

The nomenclature and the classifier are global reference data (loaded by ``xborder data
sync``); SKUs are the organisation's: every SKU query filters by ``principal.org_id``. Nothing
here commits: the caller's unit of work does.

Loaded nomenclatures and classifiers are cached in the process, keyed by the SHA-256 of the
loaded files (identical content gives an identical model, whatever the database); for a
classifier also by its library/encoder and artefact size (a TF-IDF-only build differs).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import NotFound, ValidationError
from xborder.hs import zh
from xborder.hs.errors import ClassifierMissing, NomenclatureMissing
from xborder.hs.model import SUPPORTED_VERSIONS, HsEntry, SearchHit
from xborder.hs.model import search as search_entries
from xborder.hs.orm import HsClassifierModel, HsCode
from xborder.hs.sync import CLASSIFIER_SOURCE
from xborder.hs.zh import Reading, has_chinese
from xborder.reference.service import current

if TYPE_CHECKING:  # scikit-learn is imported only when a classifier is needed
    from xborder.hs.classifier import Classification, HsClassifier

MAX_TEXT = 500
MAX_TOP = 20

_lock = threading.Lock()
_entries_cache: dict[str, list[HsEntry]] = {}
_clf_cache: dict[str, HsClassifier] = {}


def _check_version(version: str) -> str:
    if version not in SUPPORTED_VERSIONS:
        raise ValidationError(f"version: must be one of {', '.join(SUPPORTED_VERSIONS)}, got {version!r}",
                              field="version")
    return version


def entries(s: Session, version: str = "2022") -> list[HsEntry]:
    src = current(s, f"hs-{_check_version(version)}")
    if src is None:
        raise NomenclatureMissing(
            f"HS {version} is not loaded: run `xborder data sync --from DIR --only hs-{version}`", field="version")
    key = f"{version}:{src.sha256}"
    with _lock:
        cached = _entries_cache.get(key)
    if cached is None:
        rows = s.execute(select(HsCode.code, HsCode.level, HsCode.description, HsCode.parent, HsCode.section)
                         .where(HsCode.source_id == src.id).order_by(HsCode.code))
        cached = [HsEntry(*r) for r in rows]
        with _lock:
            _entries_cache[key] = cached
    return cached


def search(s: Session, q: str, version: str = "2022", limit: int = 20) -> list[SearchHit]:
    return search_read(s, q, version, limit)[0]


def search_read(s: Session, q: str, version: str = "2022", limit: int = 20) -> tuple[list[SearchHit], dict[str, Any]]:
    """The hits and, for a Chinese text, how it was read: ``{"read_as": English, "unknown":
    [characters]}`` (``{}`` for other text)."""
    q = (q or "").strip()
    if not q:
        raise ValidationError("q: enter a code or words to search for", field="q")
    if len(q) > MAX_TEXT:
        raise ValidationError(f"q: at most {MAX_TEXT} characters", field="q")
    if not 1 <= limit <= 200:
        raise ValidationError("limit: must be between 1 and 200", field="limit")
    reading = chinese_reading(q)
    if reading is not None:
        from xborder.hs.model import search_groups

        # one group per Chinese word (its English senses), one per word typed in Latin letters ("LED")
        groups = [english for _, english in reading.words] + re.findall(r"[A-Za-z][A-Za-z0-9-]*", q)
        return search_groups(entries(s, version), groups, limit=limit), {"read_as": reading.english, "unknown": reading.unknown}
    return search_entries(entries(s, version), q, limit=limit), {}


def chinese_reading(q: str) -> Any:
    """How a Chinese search text is read in English (:class:`xborder.hs.zh.Reading`), None for
    other text: the nomenclature is in English, so 保温杯 is searched as its senses."""
    from xborder.hs import zh

    return zh.glossary().read(q.strip()) if zh.has_chinese(q) else None


def lookup(s: Session, code: str, version: str = "2022") -> HsEntry | None:
    code = code.strip()
    return next((e for e in entries(s, version) if e.code == code), None)


def classifier(s: Session) -> HsClassifier:
    src = current(s, CLASSIFIER_SOURCE)
    model = None
    if src is not None:
        # the key columns only: the artefact (tens of MB) is read on a cache miss alone
        model = s.execute(select(HsClassifierModel.id, HsClassifierModel.library,
                                 HsClassifierModel.artefact_bytes)
                          .where(HsClassifierModel.source_id == src.id)
                          .order_by(HsClassifierModel.id.desc()).limit(1)).first()
    if src is None or model is None:
        raise ClassifierMissing("no HS classifier in the store yet: run "
                                "`xborder data sync --from DIR --only hs-2022 --only hs-classifier`")
    # same stored row, input files, library/encoder and artefact size: the same model (the row id
    # matters: a database rebuilt from the same files must not be served another one's artefact)
    key = f"{src.sha256}:{model.library}:{model.artefact_bytes}:{model.id}"
    with _lock:
        clf = _clf_cache.get(key)
    if clf is None:
        from xborder.hs.classifier import HsClassifier

        try:
            artefact = s.scalar(select(HsClassifierModel.artefact).where(HsClassifierModel.id == model.id))
            clf = HsClassifier.from_bytes(artefact, _encoder)
        except ValueError as exc:  # e.g. an artefact of an older format, stored before an upgrade
            raise ClassifierMissing(f"the stored HS classifier cannot be used ({exc}): run "
                                    "`xborder data sync --from DIR --only hs-classifier`") from exc
        with _lock:
            _clf_cache[key] = clf
    return clf


def classifier_info(s: Session) -> dict[str, Any] | None:
    """Which classifier is loaded: ``kind`` is ``full`` (the fine-tuned encoder), ``quick``
    (TF-IDF only, learned in about a minute) or ``encoder`` (the stock or int8 encoder); None
    when no classifier is loaded."""
    src = current(s, CLASSIFIER_SOURCE)
    if src is None:
        return None
    row = s.execute(select(HsClassifierModel.library, HsClassifierModel.n_label, HsClassifierModel.n_classes)
                    .where(HsClassifierModel.source_id == src.id).order_by(HsClassifierModel.id.desc()).limit(1)).first()
    if row is None:
        return None
    kind = "quick" if "sentence-transformers" not in row.library else "full" if "fine-tuned" in row.library else "encoder"
    return {"kind": kind, "library": row.library, "labelled_examples": row.n_label, "classes": row.n_classes,
            "loaded_at": src.loaded_at.isoformat() if src.loaded_at else None}


def _encoder(name: str, weights: Any = None) -> Any:
    from xborder.hs import embedding

    try:
        return embedding.get(name, weights)
    except embedding.EmbedderUnavailable as exc:
        raise ClassifierMissing(f"the HS classifier needs the sentence encoder {name}: {exc}") from exc


def _check_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError("text: describe the product (what it is, material, use)", field="text")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"text: at most {MAX_TEXT} characters", field="text")
    return text


def _check_top(top: int) -> int:
    if not 1 <= top <= MAX_TOP:
        raise ValidationError(f"top: must be between 1 and {MAX_TOP}", field="top")
    return top


def english_query(text: str) -> tuple[str, Reading | None]:
    """The text the classifier reads: as given, or a Chinese description read in English
    word by word (:mod:`xborder.hs.zh`, CC-CEDICT), with how it was read."""
    if not has_chinese(text):
        return text, None
    reading = zh.glossary().read(text)
    return reading.english, reading


def _with_reading(result: Classification, reading: Reading | None) -> Classification:
    if reading is None:
        return result
    return replace(result, read_as=reading.english, reasons=[reading.explanation(), *result.reasons])


def classify(s: Session, text: str, top: int = 5) -> Classification:
    """Suggest HS 2022 subheadings for an English or Chinese product description."""
    query, reading = english_query(_check_text(text))
    if not query.strip():
        raise ValidationError("text: none of these Chinese words is in the dictionary; add the English name "
                              "(what it is, material, use)", field="text")
    return _with_reading(classifier(s).classify(query[:MAX_TEXT], top=_check_top(top)), reading)


def classification_dict(result: Classification) -> dict[str, Any]:
    out = result.to_dict()
    out["hs_version"] = "2022"
    return out


# --- SKUs ---------------------------------------------------------------------------------


def sku_text(sku: Any) -> str:
    """The text of a SKU the classifier reads: its English name, material, category and
    description; the Chinese name (read in English, see :func:`english_query`) when it has no
    English name."""
    name = sku.name_en if (sku.name_en or "").strip() else (sku.name_zh or "")
    parts = [name, sku.material, sku.category if sku.category not in ("", "other") else "",
             (sku.description or "")[:200]]
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def _get_sku(s: Session, principal: Principal, sku_id: int) -> Any:
    from xborder.catalog.orm import Sku

    row = s.scalar(select(Sku).where(Sku.id == sku_id, Sku.org_id == principal.org_id))
    if row is None:
        raise NotFound(f"SKU {sku_id} not found", field="sku_id")
    return row


@dataclass
class SkuSuggestion:
    sku_id: int
    sku: str
    text: str
    current_code: str | None
    result: Classification | None
    applied: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sku_id": self.sku_id, "sku": self.sku, "text": self.text,
                               "current_code": self.current_code, "applied": self.applied}
        if self.result is None:
            out.update(candidates=[], vague=True, ask_for=["English product name", "material", "use (what it is for)"],
                       heading=None, explanation=["the SKU has no name, material or description the classifier can read"])
        else:
            out.update(self.result.to_dict())
        return out


def suggest_for_sku(s: Session, principal: Principal, sku_id: int, top: int = 5) -> SkuSuggestion:
    sku = _get_sku(s, principal, sku_id)
    text = sku_text(sku)
    query, reading = english_query(text)
    result = (_with_reading(classifier(s).classify(query[:MAX_TEXT], top=_check_top(top)), reading)
              if query.strip() else None)
    return SkuSuggestion(sku.id, sku.sku, text, sku.hs_code, result)


def classify_skus(s: Session, principal: Principal, *, apply: bool = False, top: int = 3,
                  sku_ids: list[int] | None = None) -> list[SkuSuggestion]:
    """Suggest codes for the organisation's SKUs without an HS code; with ``apply`` the top
    candidate of each non-vague result is written to the SKU (HS 2022)."""
    from xborder.catalog.orm import Sku

    if apply:
        principal.require("catalog")
    q = select(Sku).where(Sku.org_id == principal.org_id, or_(Sku.hs_code.is_(None), Sku.hs_code == ""))
    if sku_ids is not None:
        q = q.where(Sku.id.in_(sku_ids))
    skus = list(s.scalars(q.order_by(Sku.sku)))
    clf = classifier(s) if skus else None
    texts = [sku_text(k)[:MAX_TEXT] for k in skus]
    queries = [english_query(t) for t in texts]
    with_text = [i for i, (q, _) in enumerate(queries) if q.strip()]
    results: dict[int, Classification] = {}
    if clf is not None and with_text:
        answers = clf.classify_many([queries[i][0][:MAX_TEXT] for i in with_text], top=_check_top(top))
        results = {i: _with_reading(a, queries[i][1]) for i, a in zip(with_text, answers, strict=True)}
    out = []
    for i, sku in enumerate(skus):
        found = results.get(i)
        sug = SkuSuggestion(sku.id, sku.sku, texts[i], sku.hs_code, found)
        if apply and found is not None and not found.vague and found.candidates and not _codes_left_behind(sku, found.candidates[0].code):
            sku.hs_code = found.candidates[0].code
            sku.hs_version = "2022"
            sug.applied = True
        out.append(sug)
    if apply:
        s.flush()
    return out


def set_sku_code(s: Session, principal: Principal, sku_id: int, code: str) -> Any:
    """Write a chosen (e.g. suggested) HS 2022 subheading to a SKU, checked against the nomenclature."""
    from xborder.hs.model import check_hs6

    principal.require("catalog")
    sku = _get_sku(s, principal, sku_id)
    known = {e.code for e in entries(s, "2022") if e.level == 6}
    hs6 = check_hs6(code, known)
    behind = _codes_left_behind(sku, hs6)
    if behind:
        raise ValidationError(f"code: the SKU's {', '.join(behind)} would no longer extend {hs6}; change or clear "
                              "them on the SKU first", field="code")
    sku.hs_code = hs6
    sku.hs_version = "2022"
    s.flush()
    return sku


def _codes_left_behind(sku: Any, hs6: str) -> list[str]:
    """The SKU's markets' own codes (``hs_code_us 8205513030``) that do not begin with ``hs6``."""
    from xborder.catalog.model import NATIONAL_CODES

    return [f"{name} {code}" for name in NATIONAL_CODES if (code := getattr(sku, name, None)) and not code.startswith(hs6)]
