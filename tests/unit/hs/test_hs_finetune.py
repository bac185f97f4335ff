"""Fine-tuning the packaged sentence encoder at sync time, and the tuned weights in the artefact."""

from __future__ import annotations

import numpy as np
import pytest

from xborder.hs import embedding, finetune
from xborder.hs.classifier import Doc, HsClassifier, Params, fit

TEXTS = ["cotton t-shirt", "men's cotton tee", "T-shirts; of cotton, knitted", "wool jumper", "cashmere sweater",
         "Jerseys, pullovers; of wool", "ceramic mug", "porcelain coffee cup", "Ceramic tableware, kitchenware"]
CODES = ["610910"] * 3 + ["611011"] * 3 + ["691200"] * 3


@pytest.fixture(scope="module")
def tuned() -> tuple[embedding.MiniLMEmbedder, dict[str, float]]:
    return finetune.tune_encoder(TEXTS, CODES, finetune.TuneParams(epochs=4, batch=3, lr=2e-4), threads=1)


def test_tuning_gives_a_named_encoder_with_float16_weights_and_leaves_the_stock_one_alone(tuned):
    emb, report = tuned
    assert report["steps"] == 12 and report["last_loss"] == report["last_loss"]  # not NaN
    assert emb.name.startswith(embedding.TUNED_PREFIX) and emb.name == embedding.tuned_name(emb.weights)
    assert emb.weights and all(v.dtype == np.float16 for v in emb.weights.values())
    stock = embedding.get()
    assert stock.weights is None and stock.name == embedding.MODEL_NAME
    a, b = emb.encode(["wool jumper"]), stock.encode(["wool jumper"])
    assert not np.allclose(a, b, atol=1e-3)  # the weights did change
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_tuning_pulls_the_texts_of_a_code_together(tuned):
    emb, _ = tuned
    stock = embedding.get()

    def margin(enc):
        v = enc.encode(TEXTS)
        sims = v @ v.T
        same = np.array([[CODES[i] == CODES[j] and i != j for j in range(len(TEXTS))] for i in range(len(TEXTS))])
        other = np.array([[CODES[i] != CODES[j] for j in range(len(TEXTS))] for i in range(len(TEXTS))])
        return sims[same].mean() - sims[other].mean()

    assert margin(emb) > margin(stock)


def test_the_artefact_carries_the_tuned_weights(tuned):
    emb, _ = tuned
    docs = [Doc(t, c, "label") for t, c in zip(TEXTS, CODES, strict=True)] + [Doc("gift", "", "vague")]
    descs = {"610910": "T-shirts; of cotton", "611011": "Jerseys; of wool", "691200": "Ceramic tableware"}
    clf = fit(docs, descs, {c[:4]: d for c, d in descs.items()}, Params(n_features=2**12, rerank_folds=0), embedder=emb)
    assert clf.encoder_weights is emb.weights
    blob = clf.to_bytes()
    assert HsClassifier.embedder_name(blob) == emb.name
    embedding._cache.pop(emb.name, None)  # as in a new process: only the artefact knows the weights
    with pytest.raises(embedding.EmbedderUnavailable, match="needs its weights"):
        embedding.get(emb.name)
    seen = []

    def encoder(name, weights=None):
        seen.append((name, weights is not None))
        return embedding.get(name, weights)

    again = HsClassifier.from_bytes(blob, encoder)
    assert seen == [(emb.name, True)]
    assert again.embedder.name == emb.name
    assert np.allclose(again.embedder.encode(["cotton tee"]), emb.encode(["cotton tee"]), atol=1e-6)
    assert [c.code for c in again.classify("cotton tee", top=2).candidates] == \
        [c.code for c in clf.classify("cotton tee", top=2).candidates]
    assert again.encoder_weights is not None  # a re-saved artefact keeps the weights
    third = HsClassifier.from_bytes(again.to_bytes(), lambda name, weights=None: embedding.get(name, weights))
    assert third.embedder.name == emb.name


def test_weights_of_another_shape_are_refused(tuned):
    emb, _ = tuned
    bad = dict(emb.weights)
    key = next(iter(bad))
    bad[key] = bad[key][:1]
    with pytest.raises(embedding.EmbedderUnavailable, match="do not fit this model"):
        embedding.MiniLMEmbedder(weights=bad)
    with pytest.raises(embedding.EmbedderUnavailable, match="do not match their name"):
        embedding.get(emb.name + "0", emb.weights)
