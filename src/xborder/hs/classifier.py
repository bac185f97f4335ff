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
   mapped to their HS6 when available) and the class centroids of both. With an encoder, the
   same sets are also compared by sentence embeddings (float16 vectors; the nomenclature ones
   through an inverted file of ``dense_clusters`` k-means clusters, ``dense_probe`` scanned).
3. Each of the ``k`` nearest documents of a set votes ``weight × similarity ** power`` for its
   HS6 code. With an encoder, a **code head** (a cosine softmax with one learned unit vector
   per HS6 code, trained at fit time on the labelled and nomenclature vectors) is a third
   retriever: its ``k_head`` most probable codes vote their probability, and every candidate
   gets the head's probability as evidence. Sparse, dense and head votes are normalised per
   retriever and averaged. Candidates are ranked by votes (without a re-ranker ``score`` is a candidate's
   share of all votes, 0–1); ``similarity`` is the best cosine of a document that voted for it.
4. Re-ranking: the best ``rerank_depth`` candidates are re-scored by gradient-boosted trees
   (LightGBM, binary; ``rerank_model="logistic"`` gives the earlier logistic regression)
   over their evidence (votes and best similarity per set, heading and chapter vote shares,
   number of labelled examples of the code, share of the query's words in the code's text,
   rank, query length). It is learned at fit time *out of fold* (each fold of the labelled
   descriptions is scored by a model fitted without it). ``score`` is then the estimated
   probability that the candidate is the right subheading.
5. Heading (4 digits) scores are the sums of their subheadings' scores (capped at 1).

"Too vague" answer
------------------
A description is vague when it has no word of three letters or more, when its nearest
neighbour is one of HMRC's vague terms (``vague_terms.csv``) and closer than any labelled or
nomenclature text (unless the re-ranker gives the top candidate ``confident_probability``), when the best similarity is below ``min_similarity``, or when the top
candidate's probability is below ``min_probability`` (vote share below ``min_share`` when no
re-ranker was learned). ``ask_for`` then lists what to add, chosen from
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
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from xborder.hs.model import words

ARTEFACT_FORMAT = 2

KINDS = ("label", "nomen", "vague")
RERANK_FEATURES = ("share", "label_votes", "label_best", "nomen_votes", "nomen_best", "centroid_votes",
                   "centroid_best", "heading_share", "chapter_share", "log_label_count", "word_overlap",
                   "reciprocal_rank", "query_words", "nearest_label", "nearest_nomen", "nearest_centroid",
                   "heading_word_overlap", "dense_label_votes", "dense_label_best", "dense_nomen_votes",
                   "dense_nomen_best", "dense_centroid_votes", "dense_centroid_best", "dense_heading_sim", "dense_share", "sparse_share",
                   "nearest_dense_label", "nearest_dense_nomen", "nearest_dense_centroid",
                   "head_share", "head_probability", "nearest_head")
DENSE_SETS = ("dense_label", "dense_nomen", "dense_centroid")
# votes and best similarity for label, nomen, centroid, dense_label, dense_nomen, dense_centroid
# (a centroid's "best" is the exact cosine to the candidate's centroid), then the dense cosine
# to the candidate's heading (the mean of its subheadings' centroids: hierarchical evidence),
# then the code head's vote (its probability when among the head's ``k_head`` best) and its
# exact probability for the candidate
N_EVIDENCE = 15


class Embedder(Protocol):
    """A sentence encoder: ``encode(texts)`` gives one L2-normalised float32 row per text."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class _Precomputed:
    """Vectors computed once for a set of texts (the out-of-fold fits reuse them)."""

    def __init__(self, embedder: Embedder, texts: Sequence[str]):
        self.name = embedder.name
        self._embedder = embedder
        unique = list(dict.fromkeys(texts))
        vecs = embedder.encode(unique) if unique else np.zeros((0, 1), dtype=np.float32)
        self._index = {t: i for i, t in enumerate(unique)}
        self._vecs = np.asarray(vecs, dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._index]
        if missing:
            extra = np.asarray(self._embedder.encode(missing), dtype=np.float32)
            base = len(self._vecs)
            self._vecs = np.vstack([self._vecs, extra]) if len(self._vecs) else extra
            self._index.update({t: base + i for i, t in enumerate(missing)})
        return self._vecs[[self._index[t] for t in texts]]

_NOISE = re.compile(r"[_*|#@/\\]+")
_HAS_WORD = re.compile(r"[^\W\d_]{3,}")


# Seller words → the terms the nomenclature uses for them, appended to a description before it
# is vectorised (training texts and queries alike). Written for this project from the HS 2022
# Section XI notes (synthetic = polyester, polyamide/nylon, acrylic...; artificial = viscose),
# Chapter 39 (plastics by polymer name), Chapter 71 and common seller wording; read 2026-11-24.
EXPANSIONS: dict[str, str] = {
    "polyester": "synthetic fibres man-made", "nylon": "polyamide synthetic fibres man-made",
    "acrylic": "synthetic fibres man-made", "spandex": "elastomeric synthetic fibres",
    "elastane": "elastomeric synthetic fibres", "lycra": "elastomeric synthetic fibres",
    "viscose": "artificial fibres man-made", "rayon": "artificial fibres man-made",
    "modal": "artificial fibres man-made", "merino": "wool", "cashmere": "fine animal hair kashmir",
    "denim": "cotton woven", "jersey": "knitted", "knit": "knitted", "pu": "plastics polyurethane",
    "pvc": "plastics polyvinyl chloride", "abs": "plastics", "silicone": "plastics silicones",
    "acrylic plastic": "plastics", "polypropylene": "plastics", "polyethylene": "plastics",
    "stainless": "steel", "aluminum": "aluminium", "tee": "t-shirt", "tshirt": "t-shirt",
    "hoodie": "jerseys pullovers sweatshirts", "sweater": "jerseys pullovers", "jumper": "jerseys pullovers",
    "sneakers": "footwear sports", "trainers": "footwear sports", "earbuds": "earphones headphones",
    "powerbank": "accumulators lithium-ion", "charger": "static converters",
    "sterling": "silver", "925": "silver", "bijouterie": "imitation jewellery",
}
_EXPAND = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in EXPANSIONS), key=len, reverse=True)) + r")\b")


def prepare(text: str) -> str:
    """Normalise a description before vectorising: lower case, separators to spaces, and the
    nomenclature's terms appended for seller words (:data:`EXPANSIONS`).

    >>> prepare("SANEX_roll_on*SKU 10")
    'sanex roll on sku 10'
    >>> prepare("Polyester dress")
    'polyester dress synthetic fibres man-made'
    """
    base = " ".join(_NOISE.sub(" ", (text or "").lower()).split())
    extra = [EXPANSIONS[m] for m in dict.fromkeys(_EXPAND.findall(base))]
    return " ".join([base, *extra]) if extra else base


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
    rerank_folds: int = 3  # out-of-fold runs to learn the candidate re-ranker (0: no re-ranker)
    rerank_depth: int = 30  # candidates re-ranked per description
    # the re-ranker's model: "gbdt" (LightGBM binary trees) or "logistic" (logistic regression)
    rerank_model: str = "gbdt"
    rerank_trees: int = 300
    rerank_leaves: int = 15
    rerank_learning_rate: float = 0.05
    min_probability: float = 0.15  # with the re-ranker: below this the answer is "too vague"
    confident_probability: float = 0.5  # at or above this, closeness to a vague term does not make it vague
    # dense (sentence-embedding) neighbours, used when an embedder is given to ``fit``
    k_dense_label: int = 10
    k_dense_nomen: int = 10
    k_dense_centroid: int = 20
    w_dense: float = 1.0
    power_dense: float = 4.0
    # the nomenclature texts' dense vectors are searched through an inverted file: spherical
    # k-means clusters (learned at fit time), a query scans only the ``dense_probe`` clusters
    # whose centres are closest (0 clusters: every vector, exact)
    dense_clusters: int = 256
    dense_probe: int = 24
    # a linear code head over the dense vectors: a cosine softmax (one unit vector per HS6 code,
    # started at the code's dense centroid) learned at fit time on the labelled and nomenclature
    # vectors (``head_epochs`` passes, Adam; labelled rows weigh ``head_label_weight``); its
    # ``k_head`` most probable codes are a third retriever and its probability a re-ranker
    # feature (0 epochs: no head)
    head_epochs: int = 3
    head_scale: float = 20.0
    head_label_weight: float = 3.0
    head_learning_rate: float = 3e-3
    k_head: int = 10

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
    read_as: str | None = None  # the English the classifier read, when the text was Chinese (xborder.hs.zh)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "candidates": [c.to_dict() for c in self.candidates],
            "vague": self.vague,
            "ask_for": list(self.ask_for),
            "heading": self.heading.to_dict() if self.heading else None,
            "explanation": list(self.reasons),
        }
        if self.read_as is not None:
            out["read_as"] = self.read_as
        return out


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
# When a description already names one of these, the seller is not asked for the material again.
_MATERIALS = ("cotton polyester nylon wool silk linen leather plastic plastics pvc pu silicone rubber steel stainless iron "
              "aluminium aluminum copper brass bronze zinc wood wooden bamboo glass ceramic porcelain stoneware paper "
              "cardboard gold silver platinum acrylic viscose cashmere denim fur felt cork stone marble")
MATERIAL_WORDS = frozenset(_MATERIALS.split(" "))


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
    """Rows scaled to unit length (in place on a copy of the data; no diagonal-matrix product,
    which costs milliseconds per query on 2 million columns)."""
    m = sp.csr_matrix(m, dtype=np.float32, copy=True)
    lengths = np.diff(m.indptr)
    sq = np.add.reduceat(m.data * m.data, m.indptr[:-1]) if m.nnz else np.zeros(m.shape[0], dtype=np.float32)
    norms = np.sqrt(np.where(lengths > 0, sq, 0.0)).astype(np.float32)
    norms[norms == 0] = 1.0
    m.data /= np.repeat(norms, lengths)
    return m


class HsClassifier:
    def __init__(self, params: Params, idf: np.ndarray, matrices: dict[str, sp.csr_matrix],
                 codes: dict[str, np.ndarray], descriptions: dict[str, str], headings: dict[str, str],
                 meta: dict[str, object], dense: dict[str, np.ndarray] | None = None,
                 embedder: Embedder | None = None, ivf: dict[str, np.ndarray] | None = None,
                 head: np.ndarray | None = None):
        self.params = params
        # the code head: one unit row per centroid code (same order as ``codes["centroid"]``)
        self.head = None if head is None or not len(head) else np.ascontiguousarray(head, dtype=np.float32)
        # inverted file over dense_nomen (rows grouped by cluster): "centroids" (C, d), "offsets" (C + 1)
        self.ivf: dict[str, np.ndarray] | None = ({"centroids": np.ascontiguousarray(ivf["centroids"], dtype=np.float32),
                     "offsets": np.asarray(ivf["offsets"], dtype=np.int64)} if ivf else None)
        self.idf = idf.astype(np.float32)
        self._shapes = {name: m.shape for name, m in matrices.items()}  # label, nomen, vague, centroid
        self.codes = codes  # label, nomen, centroid
        self.descriptions = descriptions
        self.headings = headings
        self.meta = meta
        self._f = _Featurizer(params)
        self._desc_words = {c: frozenset(words(d)) for c, d in descriptions.items()}
        self._head_words = {c: frozenset(words(d)) for c, d in headings.items()}
        self._prior: dict[str, int] = {}
        for c in codes["label"]:
            self._prior[str(c)] = self._prior.get(str(c), 0) + 1
        # kept transposed only (q @ M.T would otherwise convert the whole matrix on every call)
        self._mt = {name: sp.csr_matrix(m.T) for name, m in matrices.items() if m.shape[0]}
        # dense document vectors (float32, rows L2-normalised): dense_label, dense_nomen, dense_centroid
        # dense document vectors, rows L2-normalised, float16 as in the artefact: the per-query scan
        # reads half the memory (see ``_dense_sims``), and a fitted model scores as it will once stored
        self.dense = {k: np.ascontiguousarray(v, dtype=np.float16) for k, v in (dense or {}).items()}
        self._dense_t: dict[str, Any] | None = None  # torch views of ``dense`` (built on first query)
        self.embedder = embedder
        if self.dense and embedder is None:
            raise ValueError(f"this classifier needs the sentence encoder {meta.get('embedder')!r}")
        self._centroid_row = {str(c): i for i, c in enumerate(codes["centroid"])}
        self._head_row: dict[str, int] = {}
        self._dense_heads = np.zeros((0, 1), dtype=np.float32)
        if "dense_centroid" in self.dense and self.dense["dense_centroid"].shape[0]:
            heads_of = np.array([str(c)[:4] for c in codes["centroid"]])
            uniq, inv = np.unique(heads_of, return_inverse=True)
            m = np.zeros((len(uniq), self.dense["dense_centroid"].shape[1]), dtype=np.float32)
            np.add.at(m, inv, self.dense["dense_centroid"].astype(np.float32))
            m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
            self._dense_heads = m
            self._head_row = {str(h): i for i, h in enumerate(uniq)}

    # --- vectors -------------------------------------------------------------------------
    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        m = self._f.counts(texts)
        m.data *= self.idf[m.indices]
        return _l2(m)

    # --- scoring ---------------------------------------------------------------------------
    def classify(self, text: str, top: int = 5) -> Classification:
        return self.classify_many([text], top=top)[0]

    def classify_many(self, texts: Sequence[str], top: int = 5) -> list[Classification]:
        out = []
        for text, feats, vague_sim in self._candidates(texts):
            out.append(self._decide(text, feats, vague_sim, top))
        return out

    def _candidates(self, texts: Sequence[str]) -> list[tuple[str, dict[str, np.ndarray], float]]:
        """Per text: code -> [votes, best similarity] for each evidence set (label, nomen,
        centroid, then the dense ones), and the best similarity to a vague term."""
        p = self.params
        q = self.vectors(texts)
        sims = {name: (q @ mt).toarray() for name, mt in self._mt.items()}
        head_sims = None
        code_probs = None
        if self.dense and self.embedder is not None and len(texts):
            qd = np.asarray(self.embedder.encode(list(texts)), dtype=np.float32)
            sims.update(self._dense_sims(qd))
            if self._dense_heads.shape[0]:
                head_sims = qd @ self._dense_heads.T
            if self.head is not None:
                logits = p.head_scale * (qd @ self.head.T)
                logits -= logits.max(axis=1, keepdims=True)
                probs = np.exp(logits)
                probs /= probs.sum(axis=1, keepdims=True)
                code_probs = probs
        sets = (("label", p.k_label, p.w_label, p.power, "label"),
                ("nomen", p.k_nomen, p.w_nomen, p.power, "nomen"),
                ("centroid", p.k_centroid, p.w_centroid, p.power_centroid, "centroid"),
                ("dense_label", p.k_dense_label, p.w_dense, p.power_dense, "label"),
                ("dense_nomen", p.k_dense_nomen, p.w_dense, p.power_dense,
                 "dense_nomen" if "dense_nomen" in self.codes else "nomen"),
                ("dense_centroid", p.k_dense_centroid, p.w_dense, p.power_dense, "centroid"))
        out = []
        for i, text in enumerate(texts):
            feats: dict[str, np.ndarray] = {}
            for col, (name, k, w, power, code_set) in enumerate(sets):
                if name not in sims or k <= 0 or w <= 0:
                    continue
                row = sims[name][i]
                kk = min(k, row.shape[0])
                idx = np.argpartition(-row, kk - 1)[:kk]
                codes = self.codes[code_set]
                for j in idx:
                    sim = float(row[j])
                    if sim <= 0:
                        continue
                    f = feats.get(str(codes[j]))
                    if f is None:
                        f = feats[str(codes[j])] = np.zeros(N_EVIDENCE)
                    f[2 * col] += w * sim**power
                    f[2 * col + 1] = max(f[2 * col + 1], sim)
            if code_probs is not None and p.k_head > 0:  # the code head's most probable codes vote
                row = code_probs[i]
                kk = min(p.k_head, row.shape[0])
                for j in np.argpartition(-row, kk - 1)[:kk]:
                    code = str(self.codes["centroid"][j])
                    f = feats.get(code)
                    if f is None:
                        f = feats[code] = np.zeros(N_EVIDENCE)
                    f[13] = float(row[j])
            for code, f in feats.items():  # exact centroid (and heading) cosines for every candidate
                row_c = self._centroid_row.get(code)
                if row_c is not None:
                    for col, name in ((2, "centroid"), (5, "dense_centroid")):
                        if name in sims:
                            f[2 * col + 1] = max(f[2 * col + 1], float(sims[name][i][row_c]))
                row_h = self._head_row.get(code[:4])
                if head_sims is not None and row_h is not None:
                    f[12] = float(head_sims[i][row_h])
                if code_probs is not None and row_c is not None:
                    f[14] = float(code_probs[i][row_c])
            out.append((text, feats, float(sims["vague"][i].max()) if "vague" in sims else 0.0))
        return out

    _REQUEST = 8  # up to this many query texts: a request (torch, per text); above: a batch (numpy)

    def _torch_dense(self) -> dict[str, Any]:
        """Torch views of the float16 dense sets (no copy), made on the first request."""
        if self._dense_t is None:
            try:
                import torch

                self._dense_t = {k: torch.from_numpy(v) for k, v in self.dense.items()}
            except ImportError:  # pragma: no cover - the dense sets come with the encoder's torch
                self._dense_t = {}
        return self._dense_t

    def _dense_sims(self, qd: np.ndarray) -> dict[str, np.ndarray]:
        """Cosines of the query vectors to each dense document set. A request (up to 8 texts):
        torch's float16 matrix-vector product, one text at a time (the scan is memory-bound:
        float16 halves the bytes read; 4.0 vs 6.1 ms for 52,000 documents on this machine). A
        batch (the sync, the bench): numpy in float32 (torch's float16 matrix products are slow
        on CPU). Both read the same float16 vectors; they differ by < 1e-3."""
        out: dict[str, np.ndarray] = {}
        if self.ivf is not None and "dense_nomen" in self.dense:
            out["dense_nomen"] = self._ivf_sims(qd)
        tensors = self._torch_dense() if len(qd) <= self._REQUEST else {}
        q16 = _half(qd) if tensors else None
        for name, m in self.dense.items():
            if m.shape[0] and name not in out:
                out[name] = (np.stack([(tensors[name] @ q).float().numpy() for q in q16]) if q16 is not None
                             else qd @ m.astype(np.float32).T)
        return out

    def _ivf_sims(self, qd: np.ndarray) -> np.ndarray:
        """Cosines to the dense nomenclature vectors of the ``dense_probe`` clusters closest to
        each query; -1 for the vectors not scanned (they cannot be neighbours). The same search
        at fit time (the re-ranker's rows) and per request."""
        assert self.ivf is not None
        m = self.dense["dense_nomen"]
        cent, off = self.ivf["centroids"], self.ivf["offsets"]
        probe = max(1, min(self.params.dense_probe, len(cent)))
        top = np.argpartition(-(qd @ cent.T), probe - 1, axis=1)[:, :probe]
        out = np.full((len(qd), m.shape[0]), -1.0, dtype=np.float32)
        tensors = self._torch_dense() if len(qd) <= self._REQUEST else {}
        if tensors:  # a request: each query's probed clusters, torch float16 on views
            t, q16 = tensors["dense_nomen"], _half(qd)
            for i in range(len(qd)):
                for c in top[i]:
                    a, b = int(off[c]), int(off[c + 1])
                    if b > a:
                        out[i, a:b] = (t[a:b] @ q16[i]).float().numpy()
            return out
        member = np.zeros((len(qd), len(cent)), dtype=np.bool_)  # a batch: each cluster once, numpy
        member[np.arange(len(qd))[:, None], top] = True
        for c in range(len(cent)):
            a, b = int(off[c]), int(off[c + 1])
            qs = np.nonzero(member[:, c])[0]
            if b > a and len(qs):
                out[qs, a:b] = qd[qs] @ m[a:b].astype(np.float32).T
        return out

    def _rerank_features(self, text: str, feats: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Candidates by vote (at most ``rerank_depth``), their feature rows and vote shares.
        Sparse (TF-IDF) and dense votes are normalised separately and averaged, so both
        retrievers bring their candidates (a score-level fusion)."""
        p = self.params
        sparse = {c: float(f[0] + f[2] + f[4]) for c, f in feats.items()}
        dense = {c: float(f[6] + f[8] + f[10]) for c, f in feats.items()}
        head = {c: float(f[13]) for c, f in feats.items()}
        s_total = sum(sparse.values()) or 1.0
        d_total = sum(dense.values())
        h_total = sum(head.values())
        n_sets = 1.0 + (d_total > 0) + (h_total > 0)
        d_total = d_total or 1.0
        h_total = h_total or 1.0
        votes = {c: (sparse[c] / s_total + dense[c] / d_total + head[c] / h_total) / n_sets for c in feats}
        ranked = sorted(votes, key=lambda c: (-votes[c], c))[: p.rerank_depth]
        heads: dict[str, float] = defaultdict(float)
        chapters: dict[str, float] = defaultdict(float)
        for c, v in votes.items():
            heads[c[:4]] += v
            chapters[c[:2]] += v
        q_words = set(words(text))
        tops = [max((float(f[k]) for f in feats.values()), default=0.0) for k in (1, 3, 5, 7, 9, 11, 14)]
        rows = []
        for rank, c in enumerate(ranked):
            f = feats[c]
            d_words = self._desc_words.get(c, frozenset())
            overlap = len(q_words & d_words) / max(len(q_words), 1)
            h_words = self._head_words.get(c[:4], frozenset())
            h_overlap = len(q_words & h_words) / max(len(q_words), 1)
            nearest = [1.0 if t > 0 and float(f[k]) >= t else 0.0
                       for k, t in zip((1, 3, 5, 7, 9, 11, 14), tops, strict=True)]
            rows.append([votes[c], *f[:6].tolist(), heads[c[:4]], chapters[c[:2]],
                         float(np.log1p(self._prior.get(c, 0))), overlap, 1.0 / (rank + 1),
                         float(len(q_words)), *nearest[:3], h_overlap, *f[6:13].tolist(),
                         dense[c] / d_total, sparse[c] / s_total, *nearest[3:6],
                         head[c] / h_total, float(f[14]), nearest[6]])
        shares = np.array([votes[c] for c in ranked])
        return ranked, np.array(rows, dtype=np.float64).reshape(len(ranked), len(RERANK_FEATURES)), shares

    def _decide(self, text: str, feats: dict[str, np.ndarray], vague_sim: float, top: int) -> Classification:
        p = self.params
        ranked, rows, shares = self._rerank_features(text, feats)
        rr: dict[str, Any] = self.meta.get("rerank") or {}  # type: ignore[assignment]
        # a re-ranker learned on other features (older artefact) is not applied: vote shares instead
        if rr and rr.get("features") == list(RERANK_FEATURES) and len(ranked):
            probs = self._rerank_probabilities(rr, rows)
            order = sorted(range(len(ranked)), key=lambda k: (-probs[k], ranked[k]))
            scores = {ranked[k]: float(probs[k]) for k in order}
            ranked = [ranked[k] for k in order]
            min_score, score_name = p.min_probability, "estimated probability"
        else:
            scores = {c: float(shares[k]) for k, c in enumerate(ranked)}
            min_score, score_name = p.min_share, "share"
        # the "vague" tests read the TF-IDF similarities (character and word overlap); the
        # candidate's displayed similarity is the best of any evidence set
        best = {c: max(float(feats[c][1]), float(feats[c][3])) for c in ranked}
        shown = {c: max(float(feats[c][k]) for k in (1, 3, 7, 9)) for c in ranked}
        cands = [Candidate(c, self.descriptions.get(c, ""), scores[c], shown[c], c[:4]) for c in ranked[: max(top, 1)]]
        heads: dict[str, float] = defaultdict(float)
        for c in ranked:
            heads[c[:4]] += scores[c]
        heading = None
        if heads:
            h = max(heads, key=lambda c: (heads[c], c))
            heading = Heading(h, self.headings.get(h, ""), min(heads[h], 1.0))
        top_sim = max(best.values()) if best else 0.0
        reasons: list[str] = []
        if not _HAS_WORD.search(prepare(text)):
            reasons.append("no word of three letters or more")
        confident = bool(cands) and score_name != "share" and cands[0].score >= p.confident_probability
        if vague_sim > top_sim + p.vague_margin and not confident:
            reasons.append(f"closest to a known vague description (similarity {vague_sim:.2f} > {top_sim:.2f})")
        if top_sim < p.min_similarity:
            reasons.append(f"best similarity {top_sim:.2f} below {p.min_similarity}")
        if cands and cands[0].score < min_score:
            reasons.append(f"top candidate {score_name} {cands[0].score:.2f} below {min_score}")
        vague = bool(reasons) or not cands
        if not vague:
            reasons.append(f"top candidate {score_name} {cands[0].score:.2f}, best similarity {top_sim:.2f}")
        asks = ask_for([c.code[:2] for c in cands], [c.score for c in cands]) if vague else []
        if asks and MATERIAL_WORDS & set(prepare(text).split()):
            asks = [a for a in asks if not a.startswith("material")] or ["what the item is", "use (what it is for)"]
        if vague and ("no word" in reasons[0] or "vague" in " ".join(reasons)) and "what the item is" not in asks:
            asks = ["what the item is", *asks]
        return Classification(text, cands[:top], heading, vague, asks, reasons)

    _booster: Any = None

    def _rerank_probabilities(self, rr: dict[str, Any], rows: np.ndarray) -> np.ndarray:
        """The re-ranker's probability that each candidate row is the right subheading."""
        if rr.get("model") == "lightgbm":
            if self._booster is None:
                import lightgbm

                self._booster = lightgbm.Booster(model_str=rr["booster"])
            return np.asarray(self._booster.predict(rows, num_threads=1), dtype=np.float64)
        z = (rows - np.array(rr["mean"])) / np.array(rr["scale"])
        logit = z @ np.array(rr["coef"]) + float(rr["intercept"])
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0))))

    # --- artefact ------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        arrays: dict[str, np.ndarray] = {}
        nz = np.nonzero(self.idf != np.float32(self._idf_default))[0]  # features seen in training
        arrays["idf_idx"] = nz.astype(np.int32)
        arrays["idf_val"] = self.idf[nz]
        for name, shape in self._shapes.items():
            mt = self._mt.get(name)
            m = sp.csr_matrix(mt.T) if mt is not None else sp.csr_matrix(shape, dtype=np.float32)
            arrays[f"{name}_data"] = m.data.astype(np.float32)
            arrays[f"{name}_indices"] = m.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = m.indptr.astype(np.int64)
            arrays[f"{name}_shape"] = np.array(m.shape, dtype=np.int64)
        for name, c in self.codes.items():
            arrays[f"{name}_codes"] = np.array([str(x) for x in c], dtype="U6")
        for name, v in self.dense.items():  # float16 halves the artefact; cosines move by < 1e-3
            arrays[name] = v.astype(np.float16)
        if self.head is not None:
            arrays["code_head"] = self.head.astype(np.float16)
        if self.ivf is not None:
            arrays["ivf_centroids"] = self.ivf["centroids"].astype(np.float32)
            arrays["ivf_offsets"] = self.ivf["offsets"]
        weights = self.encoder_weights if self.dense else None
        for name, v in (weights or {}).items():
            arrays[f"encoder::{name}"] = np.asarray(v, dtype=np.float16)
        meta = dict(self.meta)
        if weights:
            meta["encoder_weights"] = sorted(weights)
        meta.update(format=ARTEFACT_FORMAT, params=_params_json(self.params),
                    descriptions=self.descriptions, headings=self.headings,
                    idf_default=float(self._idf_default), dense_sets=sorted(self.dense))
        arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # numpy stub: allow_pickle kw
        return buf.getvalue()

    _idf_default: float = 1.0

    @property
    def encoder_weights(self) -> dict[str, np.ndarray] | None:
        """The encoder's own weights when it was fine-tuned at sync time (float16 arrays by
        parameter name): the artefact carries them, so a stored classifier needs nothing but the
        packaged model."""
        return getattr(self.embedder, "weights", None)

    @staticmethod
    def embedder_name(blob: bytes) -> str | None:
        """The sentence encoder an artefact needs (``None``: TF-IDF only)."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
        return meta.get("embedder") if meta.get("dense_sets") else None

    @classmethod
    def from_bytes(cls, blob: bytes, embedder: Embedder | Callable[..., Embedder] | None = None) -> HsClassifier:
        """Load an artefact. One with dense vectors needs ``embedder`` (the encoder, or a
        function from the encoder's name to it); its name must match the artefact's. When the
        artefact carries fine-tuned encoder weights, the function is called ``(name, weights)``."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta.get("format") != ARTEFACT_FORMAT:
                raise ValueError(f"unsupported classifier artefact format {meta.get('format')}: run the "
                                 "hs-classifier sync again")
            params = Params.from_dict(meta["params"])
            idf = np.full(2 * params.n_features, meta.get("idf_default", 1.0), dtype=np.float32)
            idf[z["idf_idx"]] = z["idf_val"]
            mats = {}
            for name in ("label", "nomen", "vague", "centroid"):
                shape = tuple(int(x) for x in z[f"{name}_shape"])
                mats[name] = sp.csr_matrix((z[f"{name}_data"], z[f"{name}_indices"], z[f"{name}_indptr"]),
                                           shape=shape)
            codes = {name: z[f"{name}_codes"] for name in ("label", "nomen", "centroid", "dense_nomen")
                     if f"{name}_codes" in z.files}
            ivf = ({"centroids": z["ivf_centroids"], "offsets": z["ivf_offsets"]}
                   if "ivf_centroids" in z.files else None)
            dense = {name: z[name].astype(np.float32) for name in meta.get("dense_sets", [])}
            head = z["code_head"].astype(np.float32) if "code_head" in z.files else None
            weights = {k: z[f"encoder::{k}"] for k in meta.pop("encoder_weights", [])} or None
        enc: Embedder | None = None
        if dense:
            wanted = str(meta.get("embedder"))
            if embedder is None:
                raise ValueError(f"this classifier needs the sentence encoder {wanted!r}")
            if callable(embedder) and not hasattr(embedder, "encode"):
                enc = embedder(wanted, weights) if weights else embedder(wanted)
            else:
                enc = embedder  # type: ignore[assignment]
            if enc is None or enc.name != wanted:
                raise ValueError(f"encoder {getattr(enc, 'name', None)!r} given, the classifier was built with {wanted!r}")
        clf = cls(params, idf, mats, codes, meta.pop("descriptions"), meta.pop("headings"),
                  {k: v for k, v in meta.items() if k not in ("params", "format", "idf_default", "dense_sets")},
                  dense, enc, ivf, head)
        clf._idf_default = float(meta.get("idf_default", 1.0))
        return clf


def _params_json(p: Params) -> dict[str, object]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(p).items()}


def fit_steps(params: Params, n_label: int) -> int:
    """How many steps :func:`fit` reports to its ``progress``: the model itself, then (when a
    re-ranker is learned) each out-of-fold fit and the re-ranker's training."""
    return 1 + (params.rerank_folds + 1 if _learns_reranker(params, n_label) else 0)


def _learns_reranker(p: Params, n_label: int) -> bool:
    return p.rerank_folds >= 2 and n_label >= 10 * p.rerank_folds


def fit(docs: Sequence[Doc], descriptions: dict[str, str], headings: dict[str, str],
        params: Params | None = None, meta: dict[str, object] | None = None,
        embedder: Embedder | None = None, rerank_on: Collection[str] | None = None,
        progress: Callable[[int, int], None] | None = None) -> HsClassifier:
    """Learn the classifier from documents (labelled, nomenclature and vague). With an
    ``embedder``, the labelled and nomenclature texts are also encoded (dense neighbours).
    ``rerank_on``: the re-ranker learns only from these labelled texts (e.g. the ones a
    fine-tuned encoder never saw, so their evidence looks like a new description's).
    ``progress(done, total)`` is called after each of the :func:`fit_steps` steps (the
    documents' encoding comes before them: an embedder can report it itself)."""
    p = params or Params()
    unknown = {d.kind for d in docs} - set(KINDS)
    if unknown:
        raise ValueError(f"unknown document kind(s): {sorted(unknown)}")
    if embedder is not None and not isinstance(embedder, _Precomputed):
        embedder = _Precomputed(embedder, [d.text for d in docs if d.kind != "vague"])
    n_label = sum(1 for d in docs if d.kind == "label")
    total = fit_steps(p, n_label)
    report = progress or (lambda _d, _t: None)
    clf = _fit(docs, descriptions, headings, p, meta, embedder)
    report(1, total)
    if _learns_reranker(p, n_label):
        groups = {k: [d for d in docs if d.kind == k] for k in KINDS}
        clf.meta["rerank"] = _learn_reranker(groups, descriptions, headings, p, embedder,
                                             None if rerank_on is None else frozenset(rerank_on),
                                             lambda i: report(1 + i, total))
    if isinstance(embedder, _Precomputed):
        clf.embedder = embedder._embedder
    return clf


def _fit(docs: Sequence[Doc], descriptions: dict[str, str], headings: dict[str, str], p: Params,
         meta: dict[str, object] | None, embedder: Embedder | None) -> HsClassifier:
    f = _Featurizer(p)
    groups = {k: [d for d in docs if d.kind == k] for k in KINDS}
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
    dense: dict[str, np.ndarray] = {}
    ivf: dict[str, np.ndarray] | None = None
    head: np.ndarray | None = None
    if embedder is not None:
        for k in ("label", "nomen"):
            dense[f"dense_{k}"] = (np.asarray(embedder.encode([d.text for d in groups[k]]), dtype=np.float32)
                                   if groups[k] else np.zeros((0, 1), dtype=np.float32))
        both = np.vstack([v for v in (dense["dense_label"], dense["dense_nomen"]) if v.shape[0]])
        cent = np.asarray(member @ both, dtype=np.float32)
        norms = np.linalg.norm(cent, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        dense["dense_centroid"] = cent / norms
        if p.head_epochs > 0 and both.shape[0]:
            head = _learn_code_head(both, inverse, dense["dense_centroid"], len(groups["label"]), p)
        n_nomen = dense["dense_nomen"].shape[0]
        if p.dense_clusters > 0 and n_nomen >= 20 * p.dense_clusters:
            order, centroids, offsets = _spherical_kmeans(dense["dense_nomen"], p.dense_clusters)
            dense["dense_nomen"] = dense["dense_nomen"][order]
            codes["dense_nomen"] = codes["nomen"][order]
            ivf = {"centroids": centroids, "offsets": offsets}
    info = dict(meta or {})
    info.update(n_label=len(groups["label"]), n_nomen=len(groups["nomen"]), n_vague=len(groups["vague"]),
                n_classes=int(len(classes)))
    if embedder is not None:
        info["embedder"] = embedder.name
    clf = HsClassifier(p, idf, mats, codes, dict(descriptions), dict(headings), info, dense, embedder, ivf, head)
    # a feature never seen in training has df 0, i.e. the largest idf: stored as the default
    clf._idf_default = float(np.float32(idf_default))
    return clf


def _learn_code_head(x: np.ndarray, y: np.ndarray, init: np.ndarray, n_label: int, p: Params) -> np.ndarray:
    """The code head: unit rows ``W`` (one per code, started at the codes' dense centroids)
    learned so that ``softmax(head_scale * x @ W.T)`` gives each document's code; the first
    ``n_label`` rows of ``x`` (labelled descriptions) weigh ``head_label_weight``, the
    nomenclature texts 1. Mini-batches of 512, Adam, seeded order: deterministic on one machine."""
    import torch

    gen = torch.Generator().manual_seed(20261124)
    xs = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    ys = torch.from_numpy(np.asarray(y, dtype=np.int64))
    wt = torch.ones(len(xs))
    wt[:n_label] = p.head_label_weight
    w = torch.nn.Parameter(torch.from_numpy(np.array(init, dtype=np.float32)))
    opt = torch.optim.Adam([w], lr=p.head_learning_rate)
    for _ in range(p.head_epochs):
        perm = torch.randperm(len(xs), generator=gen)
        for b in range(0, len(xs), 512):
            idx = perm[b:b + 512]
            logits = p.head_scale * xs[idx] @ torch.nn.functional.normalize(w, dim=1).T
            loss = (torch.nn.functional.cross_entropy(logits, ys[idx], reduction="none") * wt[idx]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return torch.nn.functional.normalize(w, dim=1).numpy().astype(np.float32)


def _half(qd: np.ndarray) -> Any:
    """Query vectors as a torch float16 tensor (for the request path's matrix-vector products)."""
    import torch

    return torch.from_numpy(np.ascontiguousarray(qd, dtype=np.float16))


def _spherical_kmeans(vecs: np.ndarray, k: int, iterations: int = 8,
                      seed: int = 20261124) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster L2-normalised rows (on their float16 values, as stored): returns the row order
    grouping the clusters, the unit centroids (k, d) and the offsets (k + 1) of each cluster in
    that order. Deterministic (seeded start, fixed iterations); an empty cluster keeps its centre."""
    x = np.asarray(vecs, dtype=np.float16).astype(np.float32)
    k = min(k, len(x))
    cent = x[np.random.default_rng(seed).choice(len(x), size=k, replace=False)].copy()
    for _ in range(iterations):
        assign = np.argmax(x @ cent.T, axis=1)
        member = sp.csr_matrix((np.ones(len(x), dtype=np.float32), (assign, np.arange(len(x)))), shape=(k, len(x)))
        sums = np.asarray(member @ x)
        norms = np.linalg.norm(sums, axis=1)
        full = norms > 0
        cent[full] = sums[full] / norms[full, None]
    assign = np.argmax(x @ cent.T, axis=1)  # each row in the cluster of its closest final centre
    order = np.argsort(assign, kind="stable")
    offsets = np.searchsorted(assign[order], np.arange(k + 1)).astype(np.int64)
    return order, cent, offsets


def _learn_reranker(groups: dict[str, list[Doc]], descriptions: dict[str, str], headings: dict[str, str],
                    p: Params, embedder: Embedder | None = None,
                    only: frozenset[str] | None = None,
                    step: Callable[[int], None] | None = None) -> dict[str, object]:
    """A classifier over candidate features (gradient-boosted trees or a logistic regression),
    learned out of fold: each fold of the labelled documents is classified by a model fitted
    without it, so the re-ranker sees the same kind of evidence as for a new description.
    ``step(i)`` is called after each fold (1..folds) and after the training (folds + 1)."""
    x_all, y_all = rerank_rows(groups, descriptions, headings, p, embedder, only, step)
    model = _train_reranker(x_all, y_all, p)
    if step is not None:
        step(p.rerank_folds + 1)
    return model


def _train_reranker(x_all: np.ndarray, y_all: np.ndarray, p: Params) -> dict[str, object]:
    if not len(y_all) or y_all.min() == y_all.max():
        return {}
    if p.rerank_model == "gbdt":
        import lightgbm

        lgb_params = {"objective": "binary", "num_leaves": p.rerank_leaves, "learning_rate": p.rerank_learning_rate,
                      "min_data_in_leaf": 40, "lambda_l2": 1.0, "feature_fraction": 0.8, "bagging_fraction": 0.8,
                      "bagging_freq": 1, "seed": 20261124, "deterministic": True, "num_threads": 1, "verbose": -1}
        booster = lightgbm.train(lgb_params, lightgbm.Dataset(x_all, y_all), num_boost_round=p.rerank_trees)
        return {"features": list(RERANK_FEATURES), "model": "lightgbm", "booster": booster.model_to_string(),
                "library": f"lightgbm {lightgbm.__version__}", "trained_on": int(len(y_all)),
                "positives": int(y_all.sum()), "folds": p.rerank_folds}
    if p.rerank_model != "logistic":
        raise ValueError(f"unknown re-ranker model {p.rerank_model!r} (gbdt or logistic)")
    from sklearn.linear_model import LogisticRegression

    mean = x_all.mean(axis=0)
    scale = x_all.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x_all - mean) / scale, y_all)
    return {"features": list(RERANK_FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]),
            "trained_on": int(len(y_all)), "positives": int(y_all.sum()), "folds": p.rerank_folds}


def rerank_rows(groups: dict[str, list[Doc]], descriptions: dict[str, str], headings: dict[str, str],
                p: Params, embedder: Embedder | None = None,
                only: frozenset[str] | None = None,
                step: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The re-ranker's training rows: out-of-fold candidate features and whether each candidate
    is the right subheading (``only``: take rows from these labelled texts alone; ``step(fold)``
    after each fold, 1-based)."""
    labelled = groups["label"]
    rows: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for fold in range(p.rerank_folds):
        held = [d for i, d in enumerate(labelled) if i % p.rerank_folds == fold]
        rest = [d for i, d in enumerate(labelled) if i % p.rerank_folds != fold]
        if only is not None:
            held = [d for d in held if d.text in only]
        if held:
            sub = _fit(rest + groups["nomen"] + groups["vague"], descriptions, headings, p, None, embedder)
            for doc, (text, feats, _v) in zip(held, sub._candidates([d.text for d in held]), strict=True):
                ranked, x, _s = sub._rerank_features(text, feats)
                if len(ranked):
                    rows.append(x)
                    ys.append(np.array([c == doc.code for c in ranked], dtype=np.int8))
        if step is not None:
            step(fold + 1)
    if not rows:
        return np.zeros((0, len(RERANK_FEATURES))), np.zeros(0, dtype=np.int8)
    return np.vstack(rows), np.concatenate(ys)
