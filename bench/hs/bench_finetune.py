"""Experiment (issue #3): fine-tune the sentence encoder on the labelled pairs, then measure
the HS classifier with it as its dense retriever. Bench only: the production classifier is
not changed.

Run from the repository root (nice, two torch threads at most on the shared 2-core machine):

    nice -n 10 PYTHONPATH=src python bench/hs/bench_finetune.py \
        [--epochs 1] [--batch 32] [--lr 3e-5] [--epochs 0 = the stock encoder] \
        [--heldout] [--cache /tmp/emb.npz] [--json]

Protocol (the same split as ``bench_classify.py``, seed 20261124):

* The held-out 20 % is never used for training. By default the same split is applied again
  inside the training part and the model is measured on that *validation* part (settings are
  chosen there); ``--heldout`` trains on the whole training part and measures on the held-out
  split (run once, to report).
* Training pairs, from the training descriptions only: (description, the subheading's
  nomenclature text "subheading ; heading") and (description, another training description
  of the same HS6 code) when the code has one. Loss: multiple-negatives ranking (in-batch
  negatives; softmax over cosine similarities × 20, cross-entropy), the loss that
  sentence-transformers calls MultipleNegativesRankingLoss, written out here as a plain torch
  loop (no ``datasets``/``accelerate`` needed). Batches never hold two pairs of the same code
  (they would be false negatives). AdamW, linear warm-up over 10 % of the steps, then linear
  decay.
* Then the classifier is fitted exactly as in ``bench_classify.py`` (labelled + HS + UK tariff
  texts + vague terms), with the fine-tuned encoder encoding every document and query, and
  evaluated with ``bench_classify.evaluate`` (top-1/top-5 at 6 digits, heading top-1,
  per-description wall and CPU time over 300 descriptions with torch on one thread).
* Reported besides: fine-tuning wall/CPU seconds, document encoding seconds, peak RSS, load
  average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_classify import CachedEmbedder, evaluate  # noqa: E402

from xborder.hs import embedding, files, training  # noqa: E402
from xborder.hs.classifier import Doc, Params, fit  # noqa: E402


def make_pairs(train: list[training.Example], nomen_text: dict[str, str], seed: int) -> list[tuple[str, str, str]]:
    """(anchor, positive, code) pairs from the training descriptions only."""
    rng = random.Random(seed)
    by_code: dict[str, list[str]] = {}
    for e in train:
        by_code.setdefault(e.hs6, []).append(e.text)
    pairs = []
    for e in train:
        if e.hs6 in nomen_text:
            pairs.append((e.text, nomen_text[e.hs6], e.hs6))
        others = [t for t in by_code[e.hs6] if t != e.text]
        if others:
            pairs.append((e.text, rng.choice(others), e.hs6))
    return pairs


def batches(pairs: list[tuple[str, str, str]], size: int, rng: random.Random) -> list[list[tuple[str, str, str]]]:
    """Shuffled batches with at most one pair per code (no false in-batch negatives)."""
    todo = pairs[:]
    rng.shuffle(todo)
    out: list[list[tuple[str, str, str]]] = []
    while todo:
        batch, seen, rest = [], set(), []
        for p in todo:
            if len(batch) < size and p[2] not in seen:
                batch.append(p)
                seen.add(p[2])
            else:
                rest.append(p)
        out.append(batch)
        todo = rest
    return out


class TunedEmbedder:
    """A fine-tuned SentenceTransformer behind the classifier's ``Embedder`` interface."""

    def __init__(self, model, name: str, bulk_threads: int):
        import torch

        self.name, self._model, self._torch, self._bulk = name, model, torch, bulk_threads
        self.encode_seconds = 0.0

    def encode(self, texts):
        import numpy as np

        torch = self._torch
        if not texts:
            return np.zeros((0, embedding.DIMENSIONS), dtype=np.float32)
        if len(texts) <= 8:  # a request: one thread, as in production
            with torch.inference_mode():
                prep = getattr(self._model, "preprocess", None) or self._model.tokenize
                out = self._model(prep(list(texts)))["sentence_embedding"]
                out = torch.nn.functional.normalize(out, dim=1)
            return np.asarray(out.numpy(), dtype=np.float32)
        before = torch.get_num_threads()
        torch.set_num_threads(self._bulk)
        t0 = time.perf_counter()
        try:
            out = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        finally:
            torch.set_num_threads(before)
        self.encode_seconds += time.perf_counter() - t0
        return np.asarray(out, dtype=np.float32)


def finetune(model, pairs, epochs: int, batch: int, lr: float, scale: float, seed: int, log) -> dict[str, float]:
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    plan = [batches(pairs, batch, rng) for _ in range(epochs)]
    steps = sum(len(p) for p in plan)
    if steps == 0:
        return {"steps": 0, "seconds": 0.0, "cpu_seconds": 0.0, "last_loss": float("nan")}
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    prep = getattr(model, "preprocess", None) or model.tokenize
    model.train()
    t0, c0 = time.perf_counter(), time.process_time()
    step, recent, last = 0, [], float("nan")
    for ep, plan_ep in enumerate(plan):
        for b in plan_ep:
            a = model(prep([p[0] for p in b]))["sentence_embedding"]
            pos = model(prep([p[1] for p in b]))["sentence_embedding"]
            a = torch.nn.functional.normalize(a, dim=1)
            pos = torch.nn.functional.normalize(pos, dim=1)
            scores = a @ pos.T * scale
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(b)))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            recent.append(float(loss.detach()))
            if step % 10 == 0 or step == steps:
                last = sum(recent) / len(recent)
                log(f"epoch {ep + 1} step {step}/{steps} loss {sum(recent) / len(recent):.3f} "
                    f"{time.perf_counter() - t0:.0f}s")
                recent = []
    model.eval()
    return {"steps": steps, "seconds": round(time.perf_counter() - t0, 1),
            "cpu_seconds": round(time.process_time() - c0, 1), "last_loss": round(last, 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2].parent / "shared" / "data"))
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--heldout", action="store_true", help="train on the whole training part, measure on the held-out split")
    ap.add_argument("--epochs", type=int, default=1, help="0: the stock encoder (the current default)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--scale", type=float, default=20.0)
    ap.add_argument("--train-seq", type=int, default=32, help="token limit while fine-tuning (encoding keeps the model's 256)")
    ap.add_argument("--max-pairs", type=int, default=0, help="use at most this many pairs (0: all)")
    ap.add_argument("--per-code", type=int, default=2, help="at most this many pairs per HS6 code and epoch (0: all)")
    ap.add_argument("--threads", type=int, default=2, help="torch threads for fine-tuning and bulk encoding (≤ 2 here)")
    ap.add_argument("--cache", default=None, help="embedding cache (only sensible with --epochs 0)")
    ap.add_argument("--save", default=None, help="directory to save the fine-tuned model to")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    log = lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}", file=sys.stderr, flush=True)  # noqa: E731

    root = Path(args.data)
    if not (root / files.FPO_DIR).is_dir():
        print(f"data not found under {root} (expected {files.FPO_DIR}); pass --data", file=sys.stderr)
        return 2
    nom = files.load_nomenclature(root, files.CLASSIFIER_VERSION)
    known = {e.code for e in nom.entries if e.level == 6}
    lab = files.load_labelled(root, known)
    train, test = files.split_examples(lab.corpus.examples, seed=args.seed)
    if not args.heldout:
        train, test = files.split_examples(train, seed=args.seed)
    vague_sorted = sorted(lab.corpus.vague, key=training.fold)
    random.Random(args.seed).shuffle(vague_sorted)
    nv = len(vague_sorted) // 5
    vague_test, vague_train = vague_sorted[:nv], vague_sorted[nv:]
    national = files.load_national_texts(root, known)[1]
    descs, heads = files.descriptions(nom.entries)
    nomen_docs = files.nomenclature_docs(nom.entries, national)
    nomen_text = {d.code: d.text for d in nomen_docs[:len(descs)]}  # subheading ; heading

    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, min(args.threads, 2)))
    model = SentenceTransformer(str(embedding.model_dir()), device="cpu", local_files_only=True)
    stock_seq = model.max_seq_length
    model.max_seq_length = args.train_seq
    pairs = make_pairs(train, nomen_text, args.seed)
    if args.per_code:
        rng, kept, count = random.Random(args.seed), [], {}
        for p in rng.sample(pairs, len(pairs)):
            if count.get(p[2], 0) < args.per_code:
                kept.append(p)
                count[p[2]] = count.get(p[2], 0) + 1
        pairs = kept
    if args.max_pairs and len(pairs) > args.max_pairs:
        pairs = random.Random(args.seed).sample(pairs, args.max_pairs)
    log(f"{len(train)} training descriptions, {len(test)} measured, {len(pairs)} pairs")
    ft = finetune(model, pairs, args.epochs, args.batch, args.lr, args.scale, args.seed, log)
    log(f"fine-tuning: {ft}")
    model.max_seq_length = stock_seq
    if args.save and args.epochs:
        model.save(args.save)

    name = embedding.MODEL_NAME if args.epochs == 0 else f"{embedding.MODEL_NAME}#ft-e{args.epochs}-b{args.batch}-lr{args.lr}"
    tuned = TunedEmbedder(model, name, bulk_threads=max(1, min(args.threads, 2)))
    embedder = CachedEmbedder(tuned, Path(args.cache)) if args.cache and args.epochs == 0 else tuned
    t0, c0 = time.perf_counter(), time.process_time()
    docs = [Doc(e.text, e.hs6, "label") for e in train] + nomen_docs + [Doc(v, "", "vague") for v in vague_train]
    clf = fit(docs, descs, heads, Params(), embedder=embedder)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    log(f"classifier fitted in {fit_s:.0f}s (encoding {tuned.encode_seconds:.0f}s)")
    clf.embedder = tuned
    torch.set_num_threads(1)  # per-description times on one core, as bench_classify
    ours = evaluate(clf, test)
    vres = clf.classify_many(vague_test, top=5)
    ours["vague_recall"] = sum(1 for r in vres if r.vague) / max(len(vague_test), 1)
    report = {"split": "held-out" if args.heldout else "validation", "train_labelled": len(train),
              "measured": len(test), "pairs": len(pairs), "epochs": args.epochs, "batch": args.batch, "lr": args.lr,
              "scale": args.scale, "per_code": args.per_code, "train_seq": args.train_seq, "finetune": ft,
              "classifier_fit_seconds": round(fit_s, 1), "classifier_fit_cpu_seconds": round(fit_cpu, 1),
              "document_encoding_seconds": round(tuned.encode_seconds, 1),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
              "load_average": [round(x, 2) for x in os.getloadavg()], "ours": ours}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['split']} split, epochs {args.epochs}, batch {args.batch}, lr {args.lr}: "
              f"top-1 6d {ours['top1_6'] * 100:.1f} %, top-5 6d {ours['top5_6'] * 100:.1f} %, "
              f"top-1 4d {ours['top1_4'] * 100:.1f} %, CPU {ours['cpu_ms_per_description']:.1f} ms/desc, "
              f"wall {ours['ms_per_description']:.1f} ms/desc; fine-tune {ft['seconds']}s wall / {ft['cpu_seconds']}s CPU; "
              f"encode docs {tuned.encode_seconds:.0f}s; peak RSS {report['peak_rss_mb']} MB; "
              f"load {report['load_average']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
