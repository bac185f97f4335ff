"""``xborder hs ...``: nomenclature search, classification, bulk classify of SKUs.

Scores are unitless numbers between 0 and 1 (not money), printed as JSON numbers.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console

hs_app = typer.Typer(help="HS codes: search the nomenclature, classify product descriptions.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(hs_app, name="hs")


def _print(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


@hs_app.command("search")
def search_cmd(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="A code prefix (6109, 6109.10) or words (cotton t-shirt)."),
    version: str = typer.Option("2022", "--version", help="HS edition: 2022 or 2017."),
    limit: int = typer.Option(20, "--limit", help="At most this many results (1-200)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Search HS codes and descriptions by code prefix or words (every word must occur); Chinese
    words are read in English (保温杯 -> vacuum flask ...) and ranked by how many match."""
    from xborder.hs import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        hits, read = service.search_read(uow.session, text, version=version, limit=limit)
    rows = [{"code": h.code, "level": h.level, "description": h.description, "score": h.score} for h in hits]
    if json_out:
        _print({"query": text, "version": version, **read, "results": rows})
        return
    if read:
        console.print(f"searched as {read['read_as']!r} (the nomenclature is in English)"
                      + (f"; not in the dictionary: {' '.join(read['unknown'])}" if read["unknown"] else ""))
    t = Table("code", "level", "description")
    for r in rows:
        t.add_row(str(r["code"]), str(r["level"]), str(r["description"]))
    console.print(t)
    console.print(f"{len(rows)} result(s) in HS {version}")


@hs_app.command("classify")
def classify_cmd(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Product description, in English (what it is, material, use)."),
    top: int = typer.Option(5, "--top", help="Number of candidates (1-20)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Suggest HS 2022 subheadings for a description, or say what detail is missing."""
    from xborder.hs import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        result = service.classify(uow.session, text, top=top)
    data = service.classification_dict(result)
    if json_out:
        _print(data)
        return
    if result.vague:
        console.print(f"too vague: ask for {', '.join(result.ask_for)}")
    t = Table("code", "score", "description")
    for c in data["candidates"]:
        t.add_row(c["code"], f"{c['score']:.3f}", c["description"])
    console.print(t)
    if data["heading"]:
        console.print(f"heading {data['heading']['code']}: {data['heading']['description']}")


@hs_app.command("classify-skus")
def classify_skus_cmd(
    ctx: typer.Context,
    apply: bool = typer.Option(False, "--apply", help="Write the top suggestion to each SKU that is not vague."),
    top: int = typer.Option(3, "--top", help="Candidates per SKU (1-20)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Suggest codes for the organisation's SKUs that have no HS code (and apply them with --apply)."""
    from xborder.hs import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        items = service.classify_skus(uow.session, principal, apply=apply, top=top)
        data = [i.to_dict() for i in items]
        uow.commit()
    summary = {"skus": len(data), "applied": sum(1 for d in data if d["applied"]),
               "vague": sum(1 for d in data if d["vague"]), "items": data}
    if json_out:
        _print(summary)
        return
    t = Table("sku", "suggested", "score", "vague / ask for", "applied")
    for d in data:
        c = d["candidates"][0] if d["candidates"] else None
        t.add_row(d["sku"], c["code"] if c else "", f"{c['score']:.3f}" if c else "",
                  ", ".join(d["ask_for"]) if d["vague"] else "", "yes" if d["applied"] else "")
    console.print(t)
    console.print(f"{summary['skus']} SKU(s) without an HS code; {summary['applied']} applied, {summary['vague']} too vague")
