"""Server-side SVG charts (no JavaScript library, no CDN): bar, line with an interval band,
and a scatter with quadrants. Values are Decimals or ints; output is an SVG string that is
safe to embed (labels are escaped). Each chart has a <title> per mark so hovering shows the
figure, and a ``role="img"`` with an aria-label.

>>> svg = bar_chart([("A", 3), ("B", 5)], title="Units")
>>> svg.startswith("<svg") and "B" in svg
True
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

Number = int | Decimal | float

PALETTE = ("#2563eb", "#16a34a", "#dc2626", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")


def _f(v: Number) -> float:
    return float(v)  # plotting coordinates only; never used for money arithmetic


def _fmt(v: Number) -> str:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral() else format(v, "f")
    return str(v)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi == lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** len(str(int(abs(raw)))) / 10 if raw >= 1 else 1.0
    step = max(raw, 1e-9)
    for m in (1, 2, 2.5, 5, 10):
        if mag * m >= raw:
            step = mag * m
            break
    start = (lo // step) * step
    out = []
    t = start
    while t <= hi + step * 0.5 and len(out) < 12:
        out.append(round(t, 10))
        t += step
    return out


def _frame(width: int, height: int, title: str, body: str) -> str:
    t = escape(title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{t}"><title>{t}</title>'
            f'<text x="8" y="16" class="chart-title" font-size="13" font-weight="600">{t}</text>{body}</svg>')


def bar_chart(data: Sequence[tuple[str, Number]], title: str = "", width: int = 640, height: int = 260,
              color: str = PALETTE[0]) -> str:
    if not data:
        return _frame(width, 60, title, '<text x="8" y="40" font-size="12">—</text>')
    left, right, top, bottom = 60, 10, 28, 50
    vals = [_f(v) for _, v in data]
    lo, hi = min(0.0, min(vals)), max(0.0, max(vals))
    ticks = _ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    ph, pw = height - top - bottom, width - left - right

    def y(v: float) -> float:
        return top + ph - (v - lo) / ((hi - lo) or 1) * ph

    bw = pw / len(data)
    parts = []
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{width-right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{left-4}" y="{y(t)+4:.1f}" font-size="10" text-anchor="end">{t:g}</text>')
    for i, (label, v) in enumerate(data):
        fv = _f(v)
        x = left + i * bw + bw * 0.1
        y0, y1 = y(max(fv, 0)), y(min(fv, 0))
        fill = color if fv >= 0 else PALETTE[2]
        parts.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bw*0.8:.1f}" height="{max(y1-y0, 0.5):.1f}" fill="{fill}">'
                     f'<title>{escape(label)}: {escape(_fmt(v))}</title></rect>')
        lx = left + i * bw + bw / 2
        parts.append(f'<text x="{lx:.1f}" y="{height-bottom+14}" font-size="10" text-anchor="end" '
                     f'transform="rotate(-30 {lx:.1f} {height-bottom+14})">{escape(label[:18])}</text>')
    return _frame(width, height, title, "".join(parts))


def line_chart(series: Sequence[tuple[str, Sequence[tuple[str, Number]]]], title: str = "", width: int = 640,
               height: int = 260, band: Sequence[tuple[str, Number, Number]] | None = None,
               split_at: str | None = None) -> str:
    """Lines over shared x labels; ``band`` draws an interval (x, low, high); ``split_at`` marks
    where history ends and a forecast begins."""
    labels: list[str] = []
    for _, pts in series:
        for x, _v in pts:
            if x not in labels:
                labels.append(x)
    for x, _lo, _hi in band or []:
        if x not in labels:
            labels.append(x)
    if not labels:
        return _frame(width, 60, title, '<text x="8" y="40" font-size="12">—</text>')
    vals = [_f(v) for _, pts in series for _, v in pts] + [_f(v) for b in (band or []) for v in b[1:]]
    lo, hi = min(vals + [0.0]), max(vals + [0.0])
    ticks = _ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    left, right, top, bottom = 60, 110, 28, 40
    ph, pw = height - top - bottom, width - left - right
    idx = {x: i for i, x in enumerate(labels)}

    def X(x: str) -> float:
        return left + (idx[x] / max(len(labels) - 1, 1)) * pw

    def Y(v: float) -> float:
        return top + ph - (v - lo) / ((hi - lo) or 1) * ph

    parts = []
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{left+pw}" y1="{Y(t):.1f}" y2="{Y(t):.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{left-4}" y="{Y(t)+4:.1f}" font-size="10" text-anchor="end">{t:g}</text>')
    if band:
        up = " ".join(f"{X(x):.1f},{Y(_f(h)):.1f}" for x, _l, h in band)
        down = " ".join(f"{X(x):.1f},{Y(_f(lw)):.1f}" for x, lw, _h in reversed(band))
        parts.append(f'<polygon points="{up} {down}" fill="{PALETTE[0]}" opacity="0.15"><title>interval</title></polygon>')
    if split_at and split_at in idx:
        parts.append(f'<line x1="{X(split_at):.1f}" x2="{X(split_at):.1f}" y1="{top}" y2="{top+ph}" stroke="#9ca3af" stroke-dasharray="4 3"/>')
    step = max(1, len(labels) // 8)
    for i, x in enumerate(labels):
        if i % step == 0:
            parts.append(f'<text x="{X(x):.1f}" y="{height-bottom+14}" font-size="10" text-anchor="middle">{escape(x[:10])}</text>')
    for k, (name, pts) in enumerate(series):
        c = PALETTE[k % len(PALETTE)]
        path = " ".join(f"{X(x):.1f},{Y(_f(v)):.1f}" for x, v in pts)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, v in pts:
            parts.append(f'<circle cx="{X(x):.1f}" cy="{Y(_f(v)):.1f}" r="2.5" fill="{c}"><title>{escape(name)} {escape(x)}: {escape(_fmt(v))}</title></circle>')
        parts.append(f'<rect x="{width-right+8}" y="{top+k*16}" width="10" height="10" fill="{c}"/>'
                     f'<text x="{width-right+22}" y="{top+k*16+9}" font-size="11">{escape(name[:14])}</text>')
    return _frame(width, height, title, "".join(parts))


def scatter_quadrants(points: Sequence[tuple[str, Number, Number]], title: str = "", x_label: str = "",
                      y_label: str = "", x_split: Number | None = None, y_split: Number | None = None,
                      quadrant_labels: tuple[str, str, str, str] = ("", "", "", ""),
                      width: int = 640, height: int = 400) -> str:
    """Points (label, x, y); quadrant labels: top-left, top-right, bottom-left, bottom-right."""
    if not points:
        return _frame(width, 60, title, '<text x="8" y="40" font-size="12">—</text>')
    left, right, top, bottom = 60, 20, 28, 44
    xs, ys = [_f(p[1]) for p in points], [_f(p[2]) for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    pw, ph = width - left - right, height - top - bottom

    def X(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * pw

    def Y(v: float) -> float:
        return top + ph - (v - y0) / (y1 - y0) * ph

    parts = [f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#d1d5db"/>']
    xs_ = _f(x_split) if x_split is not None else (x0 + x1) / 2
    ys_ = _f(y_split) if y_split is not None else (y0 + y1) / 2
    parts.append(f'<line x1="{X(xs_):.1f}" x2="{X(xs_):.1f}" y1="{top}" y2="{top+ph}" stroke="#9ca3af" stroke-dasharray="4 3"/>')
    parts.append(f'<line x1="{left}" x2="{left+pw}" y1="{Y(ys_):.1f}" y2="{Y(ys_):.1f}" stroke="#9ca3af" stroke-dasharray="4 3"/>')
    tl, tr, bl, br = (escape(q) for q in quadrant_labels)
    parts.append(f'<text x="{left+6}" y="{top+14}" font-size="11" fill="#6b7280">{tl}</text>'
                 f'<text x="{left+pw-6}" y="{top+14}" font-size="11" fill="#6b7280" text-anchor="end">{tr}</text>'
                 f'<text x="{left+6}" y="{top+ph-6}" font-size="11" fill="#6b7280">{bl}</text>'
                 f'<text x="{left+pw-6}" y="{top+ph-6}" font-size="11" fill="#6b7280" text-anchor="end">{br}</text>')
    for label, xv, yv in points:
        parts.append(f'<circle cx="{X(_f(xv)):.1f}" cy="{Y(_f(yv)):.1f}" r="4" fill="{PALETTE[0]}" opacity="0.75">'
                     f'<title>{escape(label)}: {escape(_fmt(xv))}, {escape(_fmt(yv))}</title></circle>')
    parts.append(f'<text x="{left+pw/2:.1f}" y="{height-8}" font-size="11" text-anchor="middle">{escape(x_label)}</text>'
                 f'<text x="14" y="{top+ph/2:.1f}" font-size="11" text-anchor="middle" transform="rotate(-90 14 {top+ph/2:.1f})">{escape(y_label)}</text>')
    return _frame(width, height, title, "".join(parts))
