"""CLI: ``xborder listing …``, ``xborder messages …``, ``xborder compliance …``.

Contract (issue 8): ``xborder listing check --marketplace amazon-us --json-in FILE`` (``-`` =
stdin) prints ``{"score": 0-100, "findings": [{"rule", "severity", "field", "message", …}]}``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console
from xborder.errors import ValidationError
from xborder.money import to_decimal

listing_app = typer.Typer(help="Listing checker, SEO keywords, drafts and the catalog report.", no_args_is_help=True)
keywords_app = typer.Typer(help="SEO keywords from competitor titles and search terms.", no_args_is_help=True)
provider_app = typer.Typer(help="Optional OpenAI-compatible text provider (off by default).", no_args_is_help=True)
messages_app = typer.Typer(help="Buyer messages in the buyer's language.", no_args_is_help=True)
compliance_app = typer.Typer(help="Product compliance checklists per SKU and market.", no_args_is_help=True)
listing_app.add_typer(keywords_app, name="keywords")
listing_app.add_typer(provider_app, name="provider")


def register(app: typer.Typer) -> None:
    app.add_typer(listing_app, name="listing")
    app.add_typer(messages_app, name="messages")
    app.add_typer(compliance_app, name="compliance")


def _on(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"--on: {value!r} is not an ISO date (YYYY-MM-DD)", field="on") from None


def _print_findings(result: dict) -> None:
    t = Table("severity", "field", "rule", "message")
    for f in result["findings"]:
        field = f["field"] + (f" {f['item']}" if f.get("item") else "")
        t.add_row(f["severity"], field, f["rule"], f["message"])
    console.print(t)
    console.print(f"score {result['score']}/100 · {result['errors']} error(s), {result['warnings']} warning(s)")


# --- listing ----------------------------------------------------------------------------------

@listing_app.command("check")
def check_cmd(
    ctx: typer.Context,
    marketplace: str = typer.Option(..., "--marketplace", "-m", help="amazon-us, amazon-uk, amazon-de, amazon-jp, ebay, etsy, shopify, aliexpress, temu, walmart…"),
    json_in: str = typer.Option(..., "--json-in", help="Listing JSON file ('-' = stdin): title, bullets, description, brand, search_terms[, tags, images]."),
    lang: str = typer.Option("en", "--lang", help="Language of 'message': en or zh."),
    on: str | None = typer.Option(None, "--on", help="Check with the rules in force on this date (default today)."),
    sku: str | None = typer.Option(None, "--sku", help="Also record the result for this SKU (catalog report)."),
    table: bool = typer.Option(False, "--table", help="Print a table instead of JSON."),
) -> None:
    """Check a listing against a marketplace's dated rules; prints the score and findings as JSON."""
    from xborder.listings import service
    from xborder.listings.checker import Listing

    with clikit.errors(json_out=not table):
        data = clikit.read_json_input(json_in)
        result = service.check_listing(data, marketplace, _on(on))
        if sku:
            st = clikit.state(ctx)
            with st.uow() as uow:
                service.record_check(uow.session, st.principal(uow), sku, marketplace, Listing.from_dict(data), result)
                uow.commit()
        out = result.to_dict(lang)
    if table:
        _print_findings(out)
    else:
        clikit.print_json(out)


@listing_app.command("marketplaces")
def marketplaces_cmd(json_out: bool = typer.Option(False, "--json")) -> None:
    """Marketplaces with rules, their language, currency and rule count."""
    from xborder.listings.rulebook import marketplace, marketplace_ids

    rows = []
    for mid in marketplace_ids():
        m = marketplace(mid)
        rows.append({"id": m.id, "name": m.name, "country": m.country, "language": m.language, "currency": m.currency,
                     "rules": len(m.active_rules(date.today()))})
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("id", "name", "language", "currency", "rules")
    for r in rows:
        t.add_row(r["id"], r["name"], r["language"], r["currency"], str(r["rules"]))
    console.print(t)


@listing_app.command("rules")
def rules_cmd(marketplace: str = typer.Option(..., "--marketplace", "-m"), json_out: bool = typer.Option(False, "--json"),
              on: str | None = typer.Option(None, "--on")) -> None:
    """The rules of a marketplace in force on a date, with their sources."""
    from xborder.listings.rulebook import marketplace as get

    with clikit.errors(json_out):
        m = get(marketplace)
        rules = m.active_rules(_on(on) or date.today())
        rows = [{"id": r.id, "kind": r.kind, "fields": list(r.fields), "severity": r.severity, "params": r.params,
                 "valid_from": r.valid_from, "valid_to": r.valid_to, "source": r.source, "evidence": r.evidence} for r in rules]
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("id", "severity", "fields", "valid_from", "source")
    for r in rows:
        t.add_row(r["id"], r["severity"], ",".join(r["fields"]), str(r["valid_from"]), r["source"][:90])
    console.print(t)


@listing_app.command("draft")
def draft_cmd(
    ctx: typer.Context,
    marketplace: str = typer.Option(..., "--marketplace", "-m"),
    sku: str | None = typer.Option(None, "--sku", help="Catalog SKU whose attributes start the draft (saved under this SKU)."),
    json_in: str | None = typer.Option(None, "--json-in", help="Attributes JSON ('-' = stdin); overrides the SKU's."),
    save: bool = typer.Option(True, "--save/--no-save"),
    json_out: bool = typer.Option(True, "--json/--text"),
) -> None:
    """Draft an English title, bullets and description from SKU attributes (Chinese or English); the draft is checked."""
    from xborder.listings import service

    with clikit.errors(json_out):
        attrs = clikit.read_json_input(json_in) if json_in else {}
        if not sku and not json_in:
            raise ValidationError("--sku or --json-in: give a SKU or an attributes file", field="sku")
        if sku:
            st = clikit.state(ctx)
            with st.uow() as uow:
                draft, result, row = service.create_draft(uow.session, st.principal(uow), sku, marketplace, attrs, save=save)
                uow.commit()
                draft_id = row.id if row else None
        else:
            from xborder.listings.drafts import make_draft
            from xborder.listings.rulebook import marketplace as get

            draft, result = make_draft(attrs, get(marketplace))
            draft_id = None
        out = {"draft_id": draft_id, "draft": draft.to_dict(), "check": result.to_dict()}
    if json_out:
        clikit.print_json(out)
    else:
        console.print(f"[bold]{draft.title}[/bold]")
        for b in draft.bullets:
            console.print(f" • {b}")
        console.print(draft.description)
        _print_findings(out["check"])


@listing_app.command("rewrite")
def rewrite_cmd(
    ctx: typer.Context,
    draft_id: int = typer.Option(..., "--draft-id"),
    instruction: str = typer.Option("", "--instruction", help="e.g. 'translate', 'shorten the title'"),
    lang: str = typer.Option("", "--lang", help="Target language (default: the marketplace's)."),
) -> None:
    """Rewrite or translate a saved draft with the configured provider; the result is checked and saved as a new draft."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(True), st.uow() as uow:
        draft, result, row = service.rewrite_draft(uow.session, st.principal(uow), draft_id, instruction, lang)
        uow.commit()
        clikit.print_json({"draft_id": row.id, "draft": draft.to_dict(), "check": result.to_dict()})


@provider_app.command("set")
def provider_set(
    ctx: typer.Context,
    base_url: str = typer.Option(..., "--base-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1"),
    model: str = typer.Option(..., "--model"),
    api_key: str | None = typer.Option(None, "--api-key", help="Bearer key (omit to keep the stored one)."),
    enable: bool = typer.Option(True, "--enable/--disable"),
) -> None:
    """Configure the text provider for this organisation."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(True), st.uow() as uow:
        cfg = service.set_provider(uow.session, st.principal(uow), base_url=base_url, model=model, api_key=api_key, enabled=enable)
        uow.commit()
        clikit.print_json(cfg.masked())


@provider_app.command("show")
def provider_show(ctx: typer.Context) -> None:
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(True), st.uow() as uow:
        clikit.print_json(service.provider_config(uow.session, st.principal(uow)).masked())


@listing_app.command("check-catalog")
def check_catalog_cmd(
    ctx: typer.Context,
    marketplace: list[str] = typer.Option(..., "--marketplace", "-m", help="Repeat for several marketplaces."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the report: .csv or .xlsx"),
    json_out: bool = typer.Option(False, "--json"),
    on: str | None = typer.Option(None, "--on"),
) -> None:
    """Check every catalog listing (SKU names, marketplace titles, saved drafts) and report scores."""
    from xborder.listings import report, service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        rows = service.check_catalog(uow.session, st.principal(uow), marketplace, _on(on))
        uow.commit()
    if out:
        if out.suffix.lower() == ".xlsx":
            out.write_bytes(report.to_xlsx(rows))
        else:
            out.write_bytes(report.to_csv(rows))
    if json_out:
        clikit.print_json({"rows": [r.to_dict() for r in rows], "checked": len(rows),
                           "with_errors": sum(1 for r in rows if r.errors)})
        return
    t = Table("sku", "marketplace", "score", "errors", "warnings", "title")
    for r in rows:
        t.add_row(r.sku, r.marketplace, str(r.score), str(r.errors), str(r.warnings), r.title[:60])
    console.print(t)
    if out:
        console.print(f"wrote {out}")


@keywords_app.command("import")
def keywords_import(ctx: typer.Context, file: Path = typer.Argument(...), set_name: str = typer.Option(..., "--set"),
                    json_out: bool = typer.Option(False, "--json")) -> None:
    """Import competitor titles / search terms (CSV/XLSX: text[, kind, demand])."""
    from xborder.listings.importers.keywords import import_keywords

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = file.read_bytes()
        with st.uow() as uow:
            res = import_keywords(uow.session, st.principal(uow), data, file.name, set_name)
            uow.commit()
    if json_out:
        clikit.print_json(res.to_dict())
    else:
        console.print(f"imported {res.imported}, unchanged {res.skipped_duplicates}")


@keywords_app.command("analyse")
def keywords_analyse(
    ctx: typer.Context,
    set_name: str = typer.Option(..., "--set", help="A keyword set, or selection:<name> for the selection package's research."),
    marketplace: str = typer.Option(..., "--marketplace", "-m"),
    json_in: str = typer.Option(..., "--json-in", help="The listing to cover ('-' = stdin)."),
    limit: int = typer.Option(30, "--limit"),
) -> None:
    """Keyword phrases weighted by demand and frequency, the listing's coverage, and a proposed title/bullets."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(True):
        listing = clikit.read_json_input(json_in)
        with st.uow() as uow:
            sources = service.keyword_sources(uow.session, st.principal(uow), set_name)
        clikit.print_json(service.keyword_report(sources, listing, marketplace, limit))


@listing_app.command("sizes")
def sizes_cmd(chart: str = typer.Option("", "--chart", help="womens_tops | mens_tops"), size: str = typer.Option("", "--size"),
              system: str = typer.Option("label", "--system", help="label | cn | us | uk | eu"),
              foot_mm: str = typer.Option("", "--foot-mm", help="Foot length in mm for shoe sizes.")) -> None:
    """Clothing sizes between CN, US, EU and UK, or shoe sizes from the foot length."""

    from xborder.listings import sizes

    with clikit.errors(True):
        if foot_mm:
            clikit.print_json(sizes.shoe_sizes(to_decimal(foot_mm, "foot_mm")).to_dict())
        elif chart and size:
            clikit.print_json(sizes.from_system(chart, system, size) if system != "label" else sizes.clothing(chart, size))
        else:
            raise ValidationError("--chart and --size, or --foot-mm, are required", field="chart")


# --- messages ---------------------------------------------------------------------------------

@messages_app.command("render")
def messages_render(
    ctx: typer.Context,
    template: str = typer.Option(..., "--template", "-t", help="order_confirmation, shipping_update, shipping_delay, customs (DDP/DAP from incoterm), customs_ddp, customs_dap, delivery_exception, return_refund, review_request, general_reply"),
    json_in: str | None = typer.Option(None, "--json-in", help="Order JSON ('-' = stdin): buyer_name, order_id, seller_name, amounts {amount,currency}, dates YYYY-MM-DD…"),
    order_ref: str | None = typer.Option(None, "--order", help="An imported order (sales package): its id, items, total and country fill the template; --json-in adds/overrides fields."),
    lang: str = typer.Option("", "--lang", help="en de fr es it ja (default: from the order's language or buyer_country)"),
    locale: str = typer.Option("", "--locale", help="Babel locale for dates/amounts, e.g. de_AT (default: the language's)"),
) -> None:
    """Fill a buyer-message template from an order, in the buyer's language."""
    from xborder.listings import messages, service

    with clikit.errors(True):
        if not json_in and not order_ref:
            raise ValidationError("--json-in or --order: give the order data", field="json-in")
        order = clikit.read_json_input(json_in) if json_in else {}
        if order_ref:
            st = clikit.state(ctx)
            with st.uow() as uow:
                found = service.order_context(uow.session, st.principal(uow), order_ref)
            if not found:
                raise ValidationError(f"--order: no imported order {order_ref!r}", field="order")
            order = {**found, **order}
        m = messages.render(template, lang or None, order, locale or None)
        out = m.to_dict()
        out["policy_problems"] = messages.check_message(m.body, m.language)
        clikit.print_json(out)


@messages_app.command("templates")
def messages_templates(json_out: bool = typer.Option(False, "--json")) -> None:
    """Situations and languages, with the order fields each template needs."""
    from xborder.listings import messages

    rows = [{"situation": s, "languages": messages.languages(), "fields": messages.placeholders(s, "en")} for s in messages.situations()]
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("situation", "fields")
    for r in rows:
        t.add_row(r["situation"], ", ".join(r["fields"]))
    console.print(t)


@messages_app.command("import")
def messages_import(ctx: typer.Context, file: Path = typer.Argument(...), seller_name: str = typer.Option(..., "--seller-name"),
                    json_out: bool = typer.Option(False, "--json")) -> None:
    """Import buyer messages (CSV/XLSX: message_id, buyer_name, body…) and store a suggested reply for each."""
    from xborder.listings.importers.messages import import_messages

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = file.read_bytes()
        with st.uow() as uow:
            res = import_messages(uow.session, st.principal(uow), data, file.name, seller_name)
            uow.commit()
    if json_out:
        clikit.print_json(res.to_dict())
    else:
        console.print(f"imported {res.imported}, unchanged {res.skipped_duplicates}")


@messages_app.command("list")
def messages_list(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """Imported buyer messages with their suggested replies."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        rows = [{"message_id": m.message_id, "marketplace": m.marketplace, "order_id": m.order_id, "buyer_name": m.buyer_name,
                 "language": m.language, "intent": m.intent, "situation": m.situation, "body": m.body,
                 "reply_subject": m.reply_subject, "reply_body": m.reply_body,
                 "missing": [x for x in m.missing.split(",") if x]} for m in service.buyer_messages(uow.session, st.principal(uow))]
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("message_id", "lang", "intent", "reply")
    for r in rows:
        t.add_row(r["message_id"], r["language"], r["intent"], r["reply_body"][:80])
    console.print(t)


# --- compliance -------------------------------------------------------------------------------

@compliance_app.command("check")
def compliance_check(
    ctx: typer.Context,
    sku: str = typer.Option(..., "--sku"),
    market: str = typer.Option(..., "--market", help="Country (DE, FR, GB, US…) or marketplace id (amazon-de)."),
    on: str | None = typer.Option(None, "--on"),
    lang: str = typer.Option("en", "--lang"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """The compliance checklist of a SKU for a market: what is done and what is missing."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        out = service.sku_checklist(uow.session, st.principal(uow), sku, market, _on(on), lang)
        uow.commit()
    if json_out:
        clikit.print_json(out)
        return
    t = Table("status", "requirement", "blocking", "since", "source")
    for i in out["items"]:
        t.add_row(i["status"], i["name"], "yes" if i["blocking"] else "no", i["valid_from"], i["source"][:70])
    console.print(t)
    s = out["summary"]
    console.print(f"{out['sku']} → {out['market']}: {'READY' if s['ready'] else 'NOT READY'} ({s['done']}/{s['total']} done)")


@compliance_app.command("set")
def compliance_set(
    ctx: typer.Context,
    sku: str = typer.Option(..., "--sku"),
    requirement: str = typer.Option(..., "--requirement"),
    status: str = typer.Option(..., "--status", help="done | in_progress | not_applicable | missing"),
    reference: str = typer.Option("", "--reference", help="Registration number, certificate or document reference."),
    expires: str | None = typer.Option(None, "--expires"),
    note: str = typer.Option("", "--note"),
) -> None:
    """Record what has been done for one requirement of a SKU."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(True), st.uow() as uow:
        service.set_status(uow.session, st.principal(uow), sku, requirement, status, reference, _on(expires), note)
        uow.commit()
        clikit.print_json({"sku": sku, "requirement": requirement, "status": status})


@compliance_app.command("profile")
def compliance_profile(
    ctx: typer.Context,
    sku: str = typer.Option(..., "--sku"),
    category: str = typer.Option(..., "--category"),
    flag: list[str] = typer.Option([], "--flag", help="radio, battery, lithium_battery, children, toy, textile…"),
    no_flag: list[str] = typer.Option([], "--no-flag", help="Switch a flag off (e.g. lithium_battery for NiMH)."),
) -> None:
    """Set a SKU's compliance category and flags."""
    from xborder.listings import service

    st = clikit.state(ctx)
    with clikit.errors(True), st.uow() as uow:
        service.set_sku_profile(uow.session, st.principal(uow), sku, category, list(flag), list(no_flag))
        uow.commit()
        clikit.print_json({"sku": sku, "category": category, "flags": sorted(flag), "flags_off": sorted(no_flag)})


@compliance_app.command("requirements")
def compliance_requirements(market: str = typer.Option("", "--market"), json_out: bool = typer.Option(False, "--json"),
                            lang: str = typer.Option("en", "--lang")) -> None:
    """All requirements in the data (optionally for one market), with dates and sources."""
    from xborder.listings import compliance as comp

    with clikit.errors(json_out):
        rb = comp.rulebook()
        m = comp.market_for(market) if market else None
        reqs = [r for r in rb.requirements if m is None or comp._market_matches(r, m, rb)]
        rows = [r.to_dict(lang) | {"when": list(r.when) or list(r.when_all)} for r in reqs]
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("id", "markets", "when", "from", "to")
    for r in rows:
        t.add_row(r["id"], ",".join(r["markets"]), ",".join(r["when"]), r["valid_from"], r["valid_to"] or "")
    console.print(t)
    sys.stdout.flush()
