"""Fine-tuning the sentence encoder on the labelled descriptions (sync time; I/O edge: torch).

The stock all-MiniLM-L6-v2 knows general English, not the tariff's distinctions. At sync time
the encoder is trained for a few epochs to put each labelled description, and each HS
subheading text, near its code: a hierarchical cosine-softmax head (subheading + heading +
chapter, losses weighted 1 / 0.5 / 0.25) on the pooled, L2-normalised embedding, cross-entropy,
AdamW (encoder lr 5e-5, head lr 1e-2), 10 % warm-up then linear decay, 2 epochs of batches of
64, sequences cut at 32 tokens while training. The head is thrown away; the tuned encoder then
serves as the classifier's dense retriever for documents and queries alike (same architecture,
same cost per query).

Measured on the held-out split of ``bench/hs`` (bench/hs/README.md, 2026-11-24): top-1 at 6
digits 46.3 → 48.6 %, top-5 72.0 → 74.3 %, top-1 at 4 digits 58.8 → 61.4 %, the setting chosen on
the validation split inside the training part. Cost: about 14 minutes wall (~20 of CPU) on 2
cores for ~11,000 texts, 0.3 GB more memory; the tuned weights (float16, ~45 MB) travel in the
classifier artefact.

Only training texts are used (the labelled descriptions and the nomenclature's subheading
texts of the sync): nothing is downloaded.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from xborder.hs import embedding


@dataclass(frozen=True)
class TuneParams:
    epochs: int = 2
    batch: int = 64
    lr: float = 5e-5
    head_lr: float = 1e-2
    scale: float = 20.0
    train_seq: int = 32
    seed: int = 20261124


def finetune_classify(model: object, texts: Sequence[str], codes: Sequence[str], p: TuneParams,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, float]:
    """Train ``model`` (a SentenceTransformer) in place on (text, HS6 code) pairs."""
    import torch

    m = model  # typed loosely: sentence-transformers has no stubs
    rng = random.Random(p.seed)
    torch.manual_seed(p.seed)
    all_codes = sorted(set(codes))
    heads = sorted({c[:4] for c in all_codes})
    chapters = sorted({c[:2] for c in all_codes})
    ci = {c: i for i, c in enumerate(all_codes)}
    hi = {h: i for i, h in enumerate(heads)}
    chi = {h: i for i, h in enumerate(chapters)}
    y6 = torch.tensor([ci[c] for c in codes])
    y4 = torch.tensor([hi[c[:4]] for c in codes])
    y2 = torch.tensor([chi[c[:2]] for c in codes])
    dim = embedding.DIMENSIONS
    w6 = torch.nn.Parameter(torch.randn(len(all_codes), dim) * 0.01)
    w4 = torch.nn.Parameter(torch.randn(len(heads), dim) * 0.01)
    w2 = torch.nn.Parameter(torch.randn(len(chapters), dim) * 0.01)
    order = list(range(len(texts)))
    steps = p.epochs * ((len(order) + p.batch - 1) // p.batch)
    if steps == 0:
        return {"steps": 0, "seconds": 0.0, "last_loss": float("nan")}
    params = list(m.parameters())  # type: ignore[attr-defined]
    opt = torch.optim.AdamW([{"params": params, "lr": p.lr},
                             {"params": [w6, w4, w2], "lr": p.head_lr, "weight_decay": 0.0}], weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    prep = getattr(m, "preprocess", None) or m.tokenize  # type: ignore[attr-defined]
    stock_seq = m.max_seq_length  # type: ignore[attr-defined]
    m.max_seq_length = p.train_seq  # type: ignore[attr-defined]
    m.train()  # type: ignore[attr-defined]
    nrm, ce = torch.nn.functional.normalize, torch.nn.functional.cross_entropy
    t0 = time.perf_counter()
    step, last = 0, float("nan")
    try:
        for _ in range(p.epochs):
            rng.shuffle(order)
            for i in range(0, len(order), p.batch):
                b = order[i:i + p.batch]
                e = nrm(m(prep([texts[k] for k in b]))["sentence_embedding"], dim=1)  # type: ignore[operator]
                loss = (ce(e @ nrm(w6, dim=1).T * p.scale, y6[b]) + 0.5 * ce(e @ nrm(w4, dim=1).T * p.scale, y4[b])
                        + 0.25 * ce(e @ nrm(w2, dim=1).T * p.scale, y2[b]))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
                sched.step()
                step += 1
                last = float(loss.detach())
                if progress is not None:
                    progress(step, steps)
    finally:
        m.max_seq_length = stock_seq  # type: ignore[attr-defined]
        m.eval()  # type: ignore[attr-defined]
    return {"steps": steps, "seconds": round(time.perf_counter() - t0, 1), "last_loss": round(last, 3)}


def tune_encoder(texts: Sequence[str], codes: Sequence[str], p: TuneParams | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 threads: int | None = None) -> tuple[embedding.MiniLMEmbedder, dict[str, float]]:
    """A fresh copy of the packaged encoder, fine-tuned on (text, HS6 code) pairs: returns the
    embedder (its ``weights`` in float16, its name ending in their digest) and a training report.
    Training uses ``XBORDER_HS_SYNC_THREADS`` threads (default: every core)."""
    import torch

    p = p or TuneParams()
    base = embedding.MiniLMEmbedder()  # a private copy: the shared stock encoder is not touched
    model = base._model
    before = torch.get_num_threads()
    n = threads or int(os.environ.get("XBORDER_HS_SYNC_THREADS", "0") or 0) or (os.cpu_count() or 1)
    torch.set_num_threads(max(1, n))
    try:
        report = finetune_classify(model, texts, codes, p, progress)
    finally:
        torch.set_num_threads(before)
    weights = {k: v.detach().cpu().numpy().astype(np.float16) for k, v in model.state_dict().items()}
    return embedding.get(embedding.tuned_name(weights), weights), report
