"""The TF-IDF nearest-neighbour classifier, its vague answer and its stored artefact (pure)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from xborder.hs import training
from xborder.hs.classifier import (
    ASK_DEFAULT,
    RERANK_FEATURES,
    Doc,
    HsClassifier,
    Params,
    ask_for,
    fit,
    fit_steps,
    prepare,
)
from xborder.hs.model import parse_nomenclature_csv

MINI = Path(__file__).parents[2] / "integration" / "hs" / "minidata"
FPO = MINI / "hs_labeled" / "uk_fpo_search"


def _read(p: Path) -> str:
    return p.read_bytes().decode("utf-8-sig")


@pytest.fixture(scope="module")
def clf() -> HsClassifier:
    entries = parse_nomenclature_csv(_read(MINI / "hs" / "harmonized-system-2022.csv")).entries
    known = {e.code for e in entries if e.level == 6}
    groups = [training.parse_search_references(_read(FPO / "search_references.json"))[0],
              training.parse_extra_references(_read(FPO / "extra_references.csv"))[0],
              training.parse_brands(_read(FPO / "brands.csv"))[0]]
    corpus = training.build_corpus(groups, training.parse_vague_terms(_read(FPO / "vague_terms.csv")),
                                   training.parse_wrong_pairs(_read(FPO / "incorrect_code_desc_pairs.csv")), known)
    heads = {e.code: e.description for e in entries if e.level == 4}
    descs = {e.code: e.description for e in entries if e.level == 6}
    docs = ([Doc(e.text, e.hs6, "label") for e in corpus.examples]
            + [Doc(f"{d} ; {heads[c[:4]]}", c, "nomen") for c, d in descs.items()]
            + [Doc(v, "", "vague") for v in corpus.vague])
    return fit(docs, descs, heads, Params(n_features=2**16))


@pytest.mark.parametrize("text,code", [
    ("cotton t-shirt", "610910"),
    ("Men's T Shirt 100% cotton", "610910"),
    ("wool cardigan", "611011"),
    ("stoneware coffee mug", "691200"),
    ("wireless earphones", "851830"),
    ("handbags of leather", "420221"),
    ("pu leather handbag", "420222"),
    ("usb charger", "850440"),
])
def test_classifies_typical_descriptions(clf, text, code):
    r = clf.classify(text, top=3)
    assert not r.vague, r.reasons
    assert r.candidates[0].code == code
    assert r.heading is not None and r.heading.code == code[:4]
    assert r.candidates[0].description  # the nomenclature text


def test_candidates_are_ranked_and_scores_are_shares(clf):
    r = clf.classify("cotton jumper", top=5)
    scores = [c.score for c in r.candidates]
    assert scores == sorted(scores, reverse=True)
    assert 0 < sum(scores) <= 1.0 + 1e-9
    assert all(0 <= c.similarity <= 1.0 + 1e-6 for c in r.candidates)
    assert len(clf.classify("cotton jumper", top=2).candidates) == 2


def test_vague_answers(clf):
    for text in ("gift", "GIFT ", "clothes"):
        r = clf.classify(text)
        assert r.vague and r.ask_for[0] == "what the item is", (text, r.reasons)
    r = clf.classify("12 x 300")
    assert r.vague and r.reasons[0] == "no word of three letters or more"
    r = clf.classify("zzqx wvvb")
    assert r.vague and any("below" in x for x in r.reasons)
    d = r.to_dict()
    assert set(d) >= {"candidates", "vague", "ask_for", "heading", "explanation"}


def test_ask_for_follows_the_leading_chapter():
    assert ask_for(["61", "61", "62"])[0].startswith("material")
    assert "knitted or woven" in ask_for(["61", "62", "61"])
    assert ask_for(["85", "85"]) == ["function (what it does)", "power source (electric, battery, manual)"]
    assert ask_for(["39", "73"], [0.5, 0.5]) == ["material (e.g. plastic, steel, wood, glass)", "use (what it is for)"]
    assert ask_for(["48", "85", "33"], [0.2, 0.2, 0.2]) == ASK_DEFAULT
    assert ask_for(["97"]) == ASK_DEFAULT


def test_batch_equals_single(clf):
    texts = ["cotton t-shirt", "gift", "earphones"]
    many = clf.classify_many(texts, top=3)
    for t, m in zip(texts, many, strict=True):
        one = clf.classify(t, top=3)
        assert [c.code for c in one.candidates] == [c.code for c in m.candidates]
        assert one.vague == m.vague


def test_artefact_round_trip_without_pickle(clf):
    blob = clf.to_bytes()
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:  # plain arrays only
        meta = json.loads(bytes(z["meta"]).decode())
    assert meta["format"] == 2 and meta["params"]["n_features"] == 2**16
    again = HsClassifier.from_bytes(blob)
    for text in ("cotton t-shirt", "leather handbag", "gift"):
        a, b = clf.classify(text), again.classify(text)
        assert [(c.code, round(c.score, 6)) for c in a.candidates] == [(c.code, round(c.score, 6)) for c in b.candidates]
        assert a.vague == b.vague


def test_artefact_of_another_format_is_refused(clf):
    buf = io.BytesIO()
    np.savez(buf, meta=np.frombuffer(json.dumps({"format": 99}).encode(), dtype=np.uint8))
    with pytest.raises(ValueError, match="format 99"):
        HsClassifier.from_bytes(buf.getvalue())


def test_unknown_document_kind_is_refused():
    with pytest.raises(ValueError, match="unknown document kind"):
        fit([Doc("x", "010121", "rule")], {}, {}, Params(n_features=2**10))


def test_prepare():
    assert prepare("  SANEX_roll_on*SKU  ") == "sanex roll on sku"


def test_a_named_material_is_not_asked_for_again(clf):
    r = clf.classify("steel thing")
    assert r.vague and not any(a.startswith("material") for a in r.ask_for)


def _reranker_docs() -> tuple[list[Doc], dict[str, str], dict[str, str]]:
    entries = parse_nomenclature_csv(_read(MINI / "hs" / "harmonized-system-2022.csv")).entries
    heads = {e.code: e.description for e in entries if e.level == 4}
    descs = {e.code: e.description for e in entries if e.level == 6}
    ex = training.parse_search_references(_read(FPO / "search_references.json"))[0]
    ex += training.parse_extra_references(_read(FPO / "extra_references.csv"))[0]
    ex = [e for e in ex if e.hs6 in descs]
    labelled = [Doc(e.text, e.hs6, "label") for e in ex] + [Doc(f"new {e.text} item", e.hs6, "label") for e in ex]
    docs = labelled + [Doc(f"{d} ; {heads[c[:4]]}", c, "nomen") for c, d in descs.items()] + [Doc("gift", "", "vague")]
    return docs, descs, heads


@pytest.fixture(scope="module")
def reranked() -> HsClassifier:
    """The same documents with a learned re-ranker (needs 10 labelled documents per fold)."""
    docs, descs, heads = _reranker_docs()
    return fit(docs, descs, heads, Params(n_features=2**16, rerank_folds=2))


def test_reranker_is_learned_out_of_fold_and_gives_probabilities(reranked):
    rr = reranked.meta["rerank"]
    assert rr["folds"] == 2 and rr["positives"] > 0 and len(rr["features"]) == len(RERANK_FEATURES) == 32
    assert rr["model"] == "lightgbm" and rr["booster"].startswith("tree")  # LightGBM's text model, no pickle
    r = reranked.classify("cotton t-shirt", top=3)
    assert r.candidates[0].code == "610910" and not r.vague
    assert all(0.0 <= c.score <= 1.0 for c in r.candidates)
    assert [c.score for c in r.candidates] == sorted((c.score for c in r.candidates), reverse=True)
    assert "estimated probability" in r.reasons[-1]
    again = HsClassifier.from_bytes(reranked.to_bytes())
    assert again.meta["rerank"] == rr
    assert [(c.code, round(c.score, 6)) for c in again.classify("wool cardigan").candidates] == \
        [(c.code, round(c.score, 6)) for c in reranked.classify("wool cardigan").candidates]


def test_fit_reports_the_model_each_out_of_fold_fit_and_the_reranker():
    docs, descs, heads = _reranker_docs()
    p = Params(n_features=2**16, rerank_folds=3, rerank_trees=20)
    n_label = sum(1 for d in docs if d.kind == "label")
    assert fit_steps(p, n_label) == 5 and fit_steps(p, 29) == 1  # too few labels: no re-ranker, one step
    assert fit_steps(Params(rerank_folds=0), n_label) == 1
    seen: list[tuple[int, int]] = []
    clf = fit(docs, descs, heads, p, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)] and clf.meta["rerank"]["folds"] == 3
    alone: list[tuple[int, int]] = []
    fit(docs, descs, heads, Params(n_features=2**16, rerank_folds=0), progress=lambda d, t: alone.append((d, t)))
    assert alone == [(1, 1)]


def test_the_logistic_reranker_is_still_available():
    docs, descs, heads = _reranker_docs()
    lr = fit(docs, descs, heads, Params(n_features=2**16, rerank_folds=2, rerank_model="logistic"))
    rr = lr.meta["rerank"]
    assert "booster" not in rr and len(rr["coef"]) == len(rr["features"]) == len(RERANK_FEATURES) == 32
    r = HsClassifier.from_bytes(lr.to_bytes()).classify("cotton t-shirt", top=3)
    assert r.candidates[0].code == "610910" and 0.0 <= r.candidates[0].score <= 1.0
    with pytest.raises(ValueError, match="re-ranker model"):
        fit(docs, descs, heads, Params(n_features=2**16, rerank_folds=2, rerank_model="forest"))


def test_a_reranker_on_other_features_falls_back_to_vote_shares(reranked):
    import copy

    old = copy.copy(reranked)
    old.meta = dict(reranked.meta, rerank=dict(reranked.meta["rerank"], features=["share"], coef=[1.0]))
    r = old.classify("cotton t-shirt")
    assert r.candidates[0].code == "610910" and "share" in r.reasons[-1]


class ToyEmbedder:
    """A deterministic stand-in for the sentence encoder: each word is mapped to a concept
    (synonyms share one), a text is the normalised sum of its concepts' one-hot vectors."""

    name = "toy-concepts"
    CONCEPTS = {"kitty": "cat", "cat": "cat", "cats": "cat", "feline": "cat", "pup": "dog", "dog": "dog",
                "dogs": "dog", "mug": "cup", "cup": "cup", "tumbler": "cup"}

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        names = sorted(set(self.CONCEPTS.values()))
        out = np.zeros((len(texts), len(names) + 1), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                c = self.CONCEPTS.get(w.strip(",;."))
                out[i, names.index(c) if c else len(names)] += 1.0
            out[i] /= max(float(np.linalg.norm(out[i])), 1e-9)
        return out


def _animal_docs():
    descs = {"010619": "Other live animals: mammals", "420100": "Saddlery and harness for any animal",
             "691200": "Ceramic tableware"}
    heads = {"0106": "Other live animals", "4201": "Saddlery and harness", "6912": "Ceramic tableware"}
    docs = [Doc("cat", "010619", "label"), Doc("cats alive", "010619", "label"), Doc("dog collar", "420100", "label"),
            Doc("dog lead", "420100", "label"), Doc("ceramic mug", "691200", "label"),
            Doc("ceramic cup", "691200", "label")] + [Doc(d, c, "nomen") for c, d in descs.items()]
    return docs, descs, heads


def test_dense_neighbours_find_what_shares_no_characters():
    docs, descs, heads = _animal_docs()
    p = Params(n_features=2**12, rerank_folds=0)
    sparse_only = fit(docs, descs, heads, p)
    assert [c.code for c in sparse_only.classify("kitty", top=1).candidates] != ["010619"]
    emb = ToyEmbedder()
    dense = fit(docs, descs, heads, p, embedder=emb)
    assert dense.meta["embedder"] == "toy-concepts"
    assert set(dense.dense) == {"dense_label", "dense_nomen", "dense_centroid"}
    r = dense.classify("kitty", top=3)
    assert r.candidates[0].code == "010619"
    assert r.candidates[0].similarity == pytest.approx(1.0)  # the dense cosine is shown
    # "kitty" shares almost no character n-gram with the documents: flagged, but with candidates
    assert r.vague and any("best similarity" in x for x in r.reasons)


def test_document_vectors_are_encoded_once_for_the_out_of_fold_fits():
    docs, descs, heads = _animal_docs()
    docs = docs + [Doc(f"{d.text} {n}", d.code, "label") for n in ("x", "y", "z") for d in docs if d.kind == "label"]
    emb = ToyEmbedder()
    clf = fit(docs, descs, heads, Params(n_features=2**12, rerank_folds=2), embedder=emb)
    assert clf.meta["rerank"]["positives"] > 0
    assert emb.calls == 1  # every document at once; the folds reuse the vectors
    clf.classify("kitty")
    assert emb.calls == 2  # then one call per query batch


def test_dense_artefact_needs_the_same_encoder():
    docs, descs, heads = _animal_docs()
    clf = fit(docs, descs, heads, Params(n_features=2**12, rerank_folds=0), embedder=ToyEmbedder())
    blob = clf.to_bytes()
    assert HsClassifier.embedder_name(blob) == "toy-concepts"
    with pytest.raises(ValueError, match="needs the sentence encoder 'toy-concepts'"):
        HsClassifier.from_bytes(blob)

    class Other(ToyEmbedder):
        name = "other"

    with pytest.raises(ValueError, match="built with 'toy-concepts'"):
        HsClassifier.from_bytes(blob, Other())
    again = HsClassifier.from_bytes(blob, lambda name: ToyEmbedder())
    a, b = clf.classify("pup", top=2), again.classify("pup", top=2)
    assert [c.code for c in a.candidates] == [c.code for c in b.candidates]
    assert [c.score for c in a.candidates] == pytest.approx([c.score for c in b.candidates], abs=1e-3)  # float16


def test_a_sparse_artefact_needs_no_encoder(clf):
    assert HsClassifier.embedder_name(clf.to_bytes()) is None


def test_the_sync_revision_follows_the_artefact_format():
    from xborder.hs import classifier, sync

    assert sync.CLASSIFIER_FORMAT == classifier.ARTEFACT_FORMAT
    src = next(x for x in sync.SOURCES if x.name == "hs-classifier")
    full = f"artefact-{classifier.ARTEFACT_FORMAT}-tuned-gbdt-ushts-head"
    assert src.revision_for({"hs_encoder": "minilm-tuned"}) == full  # the full model: unchanged on upgrade
    assert src.revision_for({"hs_encoder": "none"}) == full + "-none"  # the quick one hashes differently
    assert src.options["hs_encoder"][0] == "minilm-tuned"  # the default first
    assert "tariffs/us_hts_2025_basic_edition.csv" in src.extra_paths  # a new US file re-learns


def test_dense_vectors_are_float16_and_a_request_scores_as_a_batch():
    docs, descs, heads = _animal_docs()
    clf = fit(docs, descs, heads, Params(n_features=2**12, rerank_folds=0), embedder=ToyEmbedder())
    assert {v.dtype for v in clf.dense.values()} == {np.dtype(np.float16)}  # as stored in the artefact
    q = ToyEmbedder().encode(["kitty", "dog lead", "mug", "ceramic cup", "cat", "pup", "x", "dogs", "cup"])
    one = clf._dense_sims(q[:1])  # a request: torch's float16 matrix-vector product
    small = clf._dense_sims(q[:8])
    batch = clf._dense_sims(q)  # > 8 texts: numpy in float32
    for name in ("dense_label", "dense_nomen", "dense_centroid"):
        assert one[name].dtype == np.float32 and one[name].shape == (1, clf.dense[name].shape[0])
        assert np.allclose(one[name], batch[name][:1], atol=2e-3)
        assert np.allclose(small[name], batch[name][:8], atol=2e-3)


class HashEmbedder:
    """Deterministic pseudo-random unit vectors per text (a stand-in encoder for the dense search)."""

    name = "hash-vectors"

    def encode(self, texts):
        import zlib

        out = np.array([np.random.default_rng(zlib.crc32(t.encode())).normal(size=16) for t in texts],
                       dtype=np.float32).reshape(len(texts), 16)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _many_nomen_docs(n=400):
    codes = [f"{610000 + i % 40:06d}" for i in range(n)]
    docs = [Doc(f"garment line {i} kind {i % 7}", c, "nomen") for i, c in enumerate(codes)]
    docs += [Doc(f"label {i}", codes[i], "label") for i in range(0, n, 5)]
    descs = {c: f"subheading {c}" for c in set(codes)}
    heads = {c[:4]: "heading" for c in set(codes)}
    return docs, descs, heads


def test_kmeans_groups_every_row_once_and_is_deterministic():
    from xborder.hs.classifier import _spherical_kmeans

    x = HashEmbedder().encode([f"t{i}" for i in range(300)])
    order, cent, off = _spherical_kmeans(x, 8)
    assert sorted(order.tolist()) == list(range(300)) and off[0] == 0 and off[-1] == 300
    assert np.all(np.diff(off) >= 0) and cent.shape == (8, 16)
    assert np.allclose(np.linalg.norm(cent, axis=1), 1.0, atol=1e-5)
    for c in range(8):  # each row sits in the cluster of its closest centre
        rows = x[order[off[c]:off[c + 1]]].astype(np.float16).astype(np.float32)
        assert np.all(np.argmax(rows @ cent.T, axis=1) == c)
    again = _spherical_kmeans(x, 8)
    assert np.array_equal(order, again[0]) and np.array_equal(off, again[2])


def test_the_inverted_file_scans_the_closest_clusters_only():
    docs, descs, heads = _many_nomen_docs()
    exact = fit(docs, descs, heads, Params(n_features=2**12, rerank_folds=0, dense_clusters=0), embedder=HashEmbedder())
    assert exact.ivf is None
    p = Params(n_features=2**12, rerank_folds=0, dense_clusters=8, dense_probe=8)
    every = fit(docs, descs, heads, p, embedder=HashEmbedder())
    assert every.ivf is not None and every.ivf["offsets"][-1] == every.dense["dense_nomen"].shape[0] == 400
    q = HashEmbedder().encode(["garment line 3 kind 3", "something else", "label 10"])
    # probing every cluster: the exact cosines, in the inverted file's row order
    exact_rows = exact._dense_sims(q)["dense_nomen"]
    ivf_rows = every._dense_sims(q)["dense_nomen"]
    assert sorted(every.codes["dense_nomen"].tolist()) == sorted(exact.codes["nomen"].tolist())
    assert np.allclose(np.sort(ivf_rows, axis=1), np.sort(exact_rows, axis=1), atol=2e-3)
    # probing 2 of 8: the single-query (torch) path and the batch (numpy) path scan the same rows
    few = fit(docs, descs, heads, Params(n_features=2**12, rerank_folds=0, dense_clusters=8, dense_probe=2),
              embedder=HashEmbedder())
    batch = few._ivf_sims(np.vstack([q] * 3))[:3]
    single = np.vstack([few._dense_sims(q[i:i + 1])["dense_nomen"] for i in range(3)])
    assert np.array_equal(batch == -1.0, single == -1.0) and (batch == -1.0).mean() > 0.5
    assert np.allclose(batch, single, atol=2e-3)
    # the best match of a document's own text is found (its cluster is the closest)
    assert few._dense_sims(HashEmbedder().encode(["garment line 3 kind 3"]))["dense_nomen"].max() == pytest.approx(1.0, abs=2e-3)
    again = HsClassifier.from_bytes(few.to_bytes(), lambda name: HashEmbedder())
    assert again.ivf is not None and np.array_equal(again.ivf["offsets"], few.ivf["offsets"])
    assert np.array_equal(again.codes["dense_nomen"], few.codes["dense_nomen"])
    assert [c.code for c in again.classify("garment line 3 kind 3").candidates] == \
        [c.code for c in few.classify("garment line 3 kind 3").candidates]


def _cross_entropy(head, x, codes, classes, scale):
    logits = scale * x @ head.T
    logits -= logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    rows = [list(classes).index(c) for c in codes]
    return float(-logp[np.arange(len(rows)), rows].mean())


def test_the_code_head_is_learned_on_the_dense_vectors_and_votes():
    docs, descs, heads = _many_nomen_docs()
    p = Params(n_features=2**12, rerank_folds=0, dense_clusters=0)
    clf = fit(docs, descs, heads, p, embedder=HashEmbedder())
    classes = clf.codes["centroid"]
    assert clf.head is not None and clf.head.shape == (len(classes), 16)
    assert np.allclose(np.linalg.norm(clf.head, axis=1), 1.0, atol=1e-5)
    # learned: the documents' own codes are more probable than under the starting point (centroids)
    coded = [d for d in docs if d.kind != "vague"]
    x = HashEmbedder().encode([d.text for d in coded])
    start = clf.dense["dense_centroid"].astype(np.float32)
    assert _cross_entropy(clf.head, x, [d.code for d in coded], classes, p.head_scale) < \
        _cross_entropy(start, x, [d.code for d in coded], classes, p.head_scale) - 0.05
    again = fit(docs, descs, heads, p, embedder=HashEmbedder())
    assert np.array_equal(clf.head, again.head)  # seeded: the same head twice
    # its best codes vote (evidence 13) and every candidate gets its probability (evidence 14)
    (_t, feats, _v), = clf._candidates(["garment line 3 kind 3"])
    voted = [c for c, f in feats.items() if f[13] > 0]
    assert 0 < len(voted) <= p.k_head and "610003" in voted
    assert all(0 < f[14] <= 1 for f in feats.values() if f[13] > 0)
    assert sum(f[13] for f in feats.values()) <= 1 + 1e-6
    # where the vectors say it, the head's most probable code is the right one
    animals, a_descs, a_heads = _animal_docs()
    toy = fit(animals, a_descs, a_heads, Params(n_features=2**12, rerank_folds=0), embedder=ToyEmbedder())
    (_t, toy_feats, _v), = toy._candidates(["kitty"])
    assert max(toy_feats, key=lambda c: toy_feats[c][14]) == "010619"
    # stored in the artefact (float16) and used after loading
    loaded = HsClassifier.from_bytes(clf.to_bytes(), lambda name: HashEmbedder())
    assert loaded.head is not None and np.allclose(loaded.head, clf.head, atol=1e-3)
    assert [c.code for c in loaded.classify("garment line 3 kind 3").candidates] == \
        [c.code for c in clf.classify("garment line 3 kind 3").candidates]
    # head_epochs=0: no head, no head evidence
    none = fit(docs, descs, heads, Params(n_features=2**12, rerank_folds=0, dense_clusters=0, head_epochs=0),
               embedder=HashEmbedder())
    assert none.head is None
    assert all(f[13] == 0 and f[14] == 0 for f in none._candidates(["garment line 3 kind 3"])[0][1].values())
