"""HS classifier: TF-IDF nearest neighbours over labelled descriptions and nomenclature texts.

Pure computation (numpy, scipy, scikit-learn's ``HashingVectorizer``): no database, no files,
no network. ``fit`` learns from documents handed in; ``to_bytes``/``from_bytes`` give a
self-contained artefact (an ``.npz`` of arrays plus JSON metadata, no pickle) that the sync
stores in the database, so a PostgreSQL deployment needs no model file and nothing is
downloaded at run time.

How a description is scored
---------------------------
1. Text → hashed character n-grams (2–5, inside word boundaries) and word uni/bi-grams,
   sublinear TF × IDF (IDF learned over the training documents), L2-normalised.
2. Cosine similarity to three document sets: labelled descriptions (HMRC FPO reference data),
   nomenclature texts (HS subheading + heading text, and national 8/10-digit tariff lines
   mapped to their HS6 when available) and the class centroids of both.
3. Each of the ``k`` nearest documents of a set votes ``weight × similarity ** power`` for its
   HS6 code. Candidates are ranked by votes; ``score`` is a candidate's share of all votes
   (0–1), ``similarity`` the best cosine of a document that voted for it.
4. Heading (4 digits) scores are the sums of their subheadings' votes.

"Too vague" answer
------------------
A description is vague when it has no word of three letters or more, when its nearest
neighbour is one of HMRC's vague terms (``vague_terms.csv``) and closer than any labelled or
nomenclature text, when the best similarity is below ``min_similarity``, or when the top
candidate's vote share is below ``min_share``. ``ask_for`` then lists what to add, chosen from
the chapters of the candidates (see :data:`ASK_RULES`).

>>> docs = [Doc("cotton t-shirt", "610910", "label"), Doc("men's cotton tee", "610910", "label"),
...         Doc("T-shirts, singlets and other vests; of cotton, knitted or crocheted", "610910", "nomen"),
...         Doc("Jerseys, pullovers, cardigans; of wool, knitted or crocheted", "611011", "nomen"),
...         Doc("wool jumper", "611011", "label"), Doc("ceramic mug", "691200", "label"),
...         Doc("Ceramic tableware, kitchenware, other household articles", "691200", "nomen"),
...         Doc("gift", "", "vague"), Doc("clothes", "", "vague")]
>>> clf = fit(docs, {"610910": "T-shirts; of cotton", "611011": "Jerseys; of wool",
...                  "691200": "Ceramic tableware"}, {"6109": "T-shirts", "6110": "Jerseys",
...                  "6912": "Ceramic tableware"}, Params(n_features=2 ** 16))
>>> r = clf.classify("cotton tshirt", top=2)
>>> r.vague, r.candidates[0].code, r.heading.code
(False, '610910', '6109')
>>> r2 = clf.classify("gift")
>>> r2.vague, r2.ask_for[:1]
(True, ['what the item is'])
>>> clf2 = HsClassifier.from_bytes(clf.to_bytes())
>>> clf2.classify("cotton tshirt", top=2).candidates[0].code
'610910'
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

ARTEFACT_FORMAT = 1

KINDS = ("label", "nomen", "vague")

_NOISE = re.compile(r"[_*|#@/\\]+")
_HAS_WORD = re.compile(r"[^\W\d_]{3,}")


def prepare(text: str) -> str:
    """Normalise a description before vectorising: lower case, separators to spaces.

    >>> prepare("SANEX_roll_on*SKU 10")
    'sanex roll on sku 10'
    """
    return " ".join(_NOISE.sub(" ", (text or "").lower()).split())


@dataclass(frozen=True)
class Doc:
    text: str
    code: str  # HS6; "" for a vague term
    kind: str  # label | nomen | vague


@dataclass(frozen=True)
class Params:
    n_features: int = 2**20
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    word_weight: float = 1.0
    k_label: int = 10
    k_nomen: int = 10
    k_centroid: int = 20
    w_label: float = 1.0
    w_nomen: float = 1.0
    w_centroid: float = 2.0
    power: float = 2.0
    power_centroid: float = 2.0
    min_similarity: float = 0.25
    min_share: float = 0.12
    vague_margin: float = 0.0
    max_terms: int = 200  # per nomenclature document and centroid: keep the heaviest features

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Params:
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Candidate:
    code: str
    description: str
    score: float
    similarity: float
    heading: str

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "description": self.description, "score": round(self.score, 4),
                "similarity": round(self.similarity, 4), "heading": self.heading}


@dataclass(frozen=True)
class Heading:
    code: str
    description: str
    score: float

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "description": self.description, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Classification:
    text: str
    candidates: list[Candidate]
    heading: Heading | None
    vague: bool
    ask_for: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why vague / how it was decided

    def to_dict(self) -> dict[str, object]:
        return {
            "candidates": [c.to_dict() for c in self.candidates],
            "vague": self.vague,
            "ask_for": list(self.ask_for),
            "heading": self.heading.to_dict() if self.heading else None,
            "explanation": list(self.reasons),
        }


# Which details to ask for, by the chapters the candidates fall in (first match wins per rule;
# the union over the top candidates is returned, most specific first). Written for this
# project from the HS chapter structure (material chapters 39-83, apparel 61-62, etc.).
ASK_RULES: list[tuple[frozenset[str], list[str]]] = [
    (frozenset({"61", "62", "63", "65"}), ["material (e.g. cotton, polyester, wool)", "knitted or woven",
                                            "for men, women or children"]),
    (frozenset({"64"}), ["material of the upper and of the sole", "type of footwear"]),
    (frozenset({"39", "40", "44", "48", "69", "70", "73", "74", "76", "83"}), ["material (e.g. plastic, steel, wood, glass)",
                                                                       "use (what it is for)"]),
    (frozenset({"84", "85", "90"}), ["function (what it does)", "power source (electric, battery, manual)"]),
    (frozenset({"30", "33", "34"}), ["use (skin care, make-up, hair care, medicine, cleaning)",
                                     "form (cream, liquid, powder, tablets)"]),
    (frozenset({"02", "03", "04", "07", "08", "09", "16", "17", "18", "19", "20", "21", "22"}),
     ["what food or drink it is", "main ingredients", "fresh, frozen, dried or prepared"]),
    (frozenset({"71"}), ["material (precious metal, plated, imitation)", "type of jewellery"]),
    (frozenset({"95"}), ["type of toy, game or sports article", "age group"]),
    (frozenset({"42"}), ["material of the outer surface", "type (handbag, wallet, case)"]),
    (frozenset({"94"}), ["type of furniture or lighting", "material"]),
]
ASK_DEFAULT = ["what the item is", "material", "use (what it is for)"]


def ask_for(chapters: Sequence[str], shares: Sequence[float] | None = None) -> list[str]:
    """What to ask a seller for, given the chapters of the leading candidates (and their
    scores). When no chapter holds at least half of the leading candidates' score, the item
    itself is unclear and the general questions are asked.

    >>> ask_for(["61", "62", "61"])[:2]
    ['material (e.g. cotton, polyester, wool)', 'knitted or woven']
    >>> ask_for(["48", "85", "33"], [0.3, 0.3, 0.3])
    ['what the item is', 'material', 'use (what it is for)']
    >>> ask_for([])
    ['what the item is', 'material', 'use (what it is for)']
    """
    if not chapters:
        return list(ASK_DEFAULT)
    weights = list(shares) if shares is not None else [1.0] * len(chapters)
    by_chapter: dict[str, float] = defaultdict(float)
    for ch, w in zip(chapters, weights, strict=False):
        by_chapter[ch] += w
    total = sum(by_chapter.values()) or 1.0
    lead = max(by_chapter, key=lambda c: (by_chapter[c], c))
    if by_chapter[lead] / total < 0.5:
        return list(ASK_DEFAULT)
    for chapters_set, questions in ASK_RULES:
        if lead in chapters_set:
            return list(questions)
    return list(ASK_DEFAULT)


class _Featurizer:
    def __init__(self, p: Params):
        self.char = HashingVectorizer(analyzer="char_wb", ngram_range=p.char_ngrams, n_features=p.n_features,
                                      alternate_sign=False, norm=None, lowercase=False)
        self.word = HashingVectorizer(analyzer="word", ngram_range=p.word_ngrams, n_features=p.n_features,
                                      alternate_sign=False, norm=None, lowercase=False,
                                      token_pattern=r"(?u)\b\w+\b")
        self.word_weight = p.word_weight

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        prepared = [prepare(t) for t in texts]
        m = sp.hstack([self.char.transform(prepared), self.word.transform(prepared) * self.word_weight])
        m = sp.csr_matrix(m, dtype=np.float32)
        m.data = 1.0 + np.log(m.data)  # sublinear tf
        return m


def _prune(m: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Keep the ``keep`` largest weights of each row (smaller artefact, faster products)."""
    if keep <= 0:
        return m
    m = sp.csr_matrix(m)
    lengths = np.diff(m.indptr)
    if lengths.max(initial=0) <= keep:
        return m
    mask = np.ones(m.nnz, dtype=bool)
    for r in np.nonzero(lengths > keep)[0]:
        a, b = m.indptr[r], m.indptr[r + 1]
        order = np.argsort(m.data[a:b])
        mask[a + order[: (b - a) - keep]] = False
    rows = np.repeat(np.arange(m.shape[0]), lengths)[mask]
    out = sp.csr_matrix((m.data[mask], (rows, m.indices[mask])), shape=m.shape)
    return _l2(out)


def _l2(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ m)


class HsClassifier:
    def __init__(self, params: Params, idf: np.ndarray, matrices: dict[str, sp.csr_matrix],
                 codes: dict[str, np.ndarray], descriptions: dict[str, str], headings: dict[str, str],
                 meta: dict[str, object]):
        self.params = params
        self.idf = idf.astype(np.float32)
        self.m = matrices  # label, nomen, vague, centroid
        self.codes = codes  # label, nomen, centroid
        self.descriptions = descriptions
        self.headings = headings
        self.meta = meta
        self._f = _Featurizer(params)
        self._idf_diag = sp.diags(self.idf)
        # transposed once: q @ M.T would otherwise convert the whole matrix on every call
        self._mt = {name: sp.csr_matrix(m.T) for name, m in matrices.items() if m.shape[0]}

    # --- vectors -------------------------------------------------------------------------
    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        return _l2(sp.csr_matrix(self._f.counts(texts) @ self._idf_diag))

    # --- scoring ---------------------------------------------------------------------------
    def classify(self, text: str, top: int = 5) -> Classification:
        return self.classify_many([text], top=top)[0]

    def classify_many(self, texts: Sequence[str], top: int = 5) -> list[Classification]:
        p = self.params
        q = self.vectors(texts)
        sims = {name: (q @ mt).toarray() for name, mt in self._mt.items()}
        out = []
        for i, text in enumerate(texts):
            votes: dict[str, float] = defaultdict(float)
            best: dict[str, float] = defaultdict(float)
            for name, k, w, power in (("label", p.k_label, p.w_label, p.power),
                                      ("nomen", p.k_nomen, p.w_nomen, p.power),
                                      ("centroid", p.k_centroid, p.w_centroid, p.power_centroid)):
                if name not in sims or k <= 0 or w <= 0:
                    continue
                row = sims[name][i]
                kk = min(k, row.shape[0])
                idx = np.argpartition(-row, kk - 1)[:kk]
                codes = self.codes[name]
                for j in idx:
                    s = float(row[j])
                    if s <= 0:
                        continue
                    c = str(codes[j])
                    votes[c] += w * s**power
                    if name != "centroid":
                        best[c] = max(best[c], s)
            out.append(self._decide(text, votes, best, float(sims["vague"][i].max()) if "vague" in sims else 0.0, top))
        return out

    def _decide(self, text: str, votes: dict[str, float], best: dict[str, float], vague_sim: float,
                top: int) -> Classification:
        p = self.params
        total = sum(votes.values())
        ranked = sorted(votes, key=lambda c: (-votes[c], c))
        cands = [Candidate(c, self.descriptions.get(c, ""), votes[c] / total if total else 0.0,
                           best.get(c, 0.0), c[:4]) for c in ranked[: max(top, 1)]]
        heads: dict[str, float] = defaultdict(float)
        for c, v in votes.items():
            heads[c[:4]] += v
        heading = None
        if heads:
            h = max(heads, key=lambda c: (heads[c], c))
            heading = Heading(h, self.headings.get(h, ""), heads[h] / total if total else 0.0)
        top_sim = max(best.values()) if best else 0.0
        reasons: list[str] = []
        if not _HAS_WORD.search(prepare(text)):
            reasons.append("no word of three letters or more")
        if vague_sim > top_sim + p.vague_margin:
            reasons.append(f"closest to a known vague description (similarity {vague_sim:.2f} > {top_sim:.2f})")
        if top_sim < p.min_similarity:
            reasons.append(f"best similarity {top_sim:.2f} below {p.min_similarity}")
        if cands and cands[0].score < p.min_share:
            reasons.append(f"top candidate share {cands[0].score:.2f} below {p.min_share}")
        vague = bool(reasons) or not cands
        if not vague:
            reasons.append(f"top candidate share {cands[0].score:.2f}, best similarity {top_sim:.2f}")
        asks = ask_for([c.code[:2] for c in cands], [c.score for c in cands]) if vague else []
        if vague and ("no word" in reasons[0] or "vague" in " ".join(reasons)) and "what the item is" not in asks:
            asks = ["what the item is", *asks]
        return Classification(text, cands[:top], heading, vague, asks, reasons)

    # --- artefact ------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        arrays: dict[str, np.ndarray] = {}
        nz = np.nonzero(self.idf != np.float32(self._idf_default))[0]  # features seen in training
        arrays["idf_idx"] = nz.astype(np.int32)
        arrays["idf_val"] = self.idf[nz]
        for name, m in self.m.items():
            arrays[f"{name}_data"] = m.data.astype(np.float32)
            arrays[f"{name}_indices"] = m.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = m.indptr.astype(np.int64)
            arrays[f"{name}_shape"] = np.array(m.shape, dtype=np.int64)
        for name, c in self.codes.items():
            arrays[f"{name}_codes"] = np.array([str(x) for x in c], dtype="U6")
        meta = dict(self.meta)
        meta.update(format=ARTEFACT_FORMAT, params=_params_json(self.params),
                    descriptions=self.descriptions, headings=self.headings,
                    idf_default=float(self._idf_default))
        arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # numpy stub: allow_pickle kw
        return buf.getvalue()

    _idf_default: float = 1.0

    @classmethod
    def from_bytes(cls, blob: bytes) -> HsClassifier:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta.get("format") != ARTEFACT_FORMAT:
                raise ValueError(f"unsupported classifier artefact format {meta.get('format')}")
            params = Params.from_dict(meta["params"])
            idf = np.full(2 * params.n_features, meta.get("idf_default", 1.0), dtype=np.float32)
            idf[z["idf_idx"]] = z["idf_val"]
            mats = {}
            for name in ("label", "nomen", "vague", "centroid"):
                shape = tuple(int(x) for x in z[f"{name}_shape"])
                mats[name] = sp.csr_matrix((z[f"{name}_data"], z[f"{name}_indices"], z[f"{name}_indptr"]),
                                           shape=shape)
            codes = {name: z[f"{name}_codes"] for name in ("label", "nomen", "centroid")}
        clf = cls(params, idf, mats, codes, meta.pop("descriptions"), meta.pop("headings"),
                  {k: v for k, v in meta.items() if k not in ("params", "format", "idf_default")})
        clf._idf_default = float(meta.get("idf_default", 1.0))
        return clf


def _params_json(p: Params) -> dict[str, object]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(p).items()}


def fit(docs: Sequence[Doc], descriptions: dict[str, str], headings: dict[str, str],
        params: Params | None = None, meta: dict[str, object] | None = None) -> HsClassifier:
    """Learn the classifier from documents (labelled, nomenclature and vague)."""
    p = params or Params()
    f = _Featurizer(p)
    groups = {k: [d for d in docs if d.kind == k] for k in KINDS}
    unknown = {d.kind for d in docs} - set(KINDS)
    if unknown:
        raise ValueError(f"unknown document kind(s): {sorted(unknown)}")
    counts = {k: f.counts([d.text for d in g]) if g else sp.csr_matrix((0, 2 * p.n_features), dtype=np.float32)
              for k, g in groups.items()}
    n_docs = sum(m.shape[0] for m in counts.values())
    df = np.zeros(2 * p.n_features, dtype=np.float64)
    for m in counts.values():
        if m.shape[0]:
            df += np.bincount(m.indices, minlength=2 * p.n_features)
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    idf_default = float(np.log(1.0 + n_docs) + 1.0)  # a feature never seen in training
    idf_diag = sp.diags(idf)
    mats = {k: _l2(sp.csr_matrix(m @ idf_diag)) for k, m in counts.items()}
    mats["nomen"] = _prune(mats["nomen"], p.max_terms)
    # class centroids over labelled + nomenclature documents
    coded = sp.vstack([mats["label"], mats["nomen"]]).tocsr()
    code_list = [d.code for d in groups["label"]] + [d.code for d in groups["nomen"]]
    classes, inverse = np.unique(np.array(code_list, dtype="U6"), return_inverse=True)
    member = sp.csr_matrix((np.ones(len(inverse), dtype=np.float32), (inverse, np.arange(len(inverse)))),
                           shape=(len(classes), len(inverse)))
    mats["centroid"] = _prune(_l2(sp.csr_matrix(member @ coded)), p.max_terms)
    codes = {"label": np.array([d.code for d in groups["label"]], dtype="U6"),
             "nomen": np.array([d.code for d in groups["nomen"]], dtype="U6"),
             "centroid": classes}
    info = dict(meta or {})
    info.update(n_label=len(groups["label"]), n_nomen=len(groups["nomen"]), n_vague=len(groups["vague"]),
                n_classes=int(len(classes)))
    clf = HsClassifier(p, idf, mats, codes, dict(descriptions), dict(headings), info)
    # a feature never seen in training has df 0, i.e. the largest idf: stored as the default
    clf._idf_default = float(np.float32(idf_default))
    return clf
