"""CEB604 receipts recorded on stored declarations (SQLite, and PostgreSQL when DATABASE_URL is set)."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from xborder.customs import declarations as dc
from xborder.customs import receipts as rc
from xborder.customs import service
from xborder.customs.orm import DeclarationReceiptRow
from xborder.db import UnitOfWork
from xborder.errors import Conflict, ImportRejected, NotFound, ValidationError


def _declare(s, principal, **changes):
    row, _ = service.save_declaration(s, principal, dc.to_dict(dc.sample(**changes)))
    return row


def _count(s):
    return s.scalar(select(func.count()).select_from(DeclarationReceiptRow))


def test_receipts_record_the_list_number_and_the_latest_status(uow, principal):
    s = uow.session
    row = _declare(s, principal)
    declared = rc.sample_receipt(return_status="2", return_time="20261124090000000", invt_no="", return_info="申报中")
    released = rc.sample_receipt()
    # the later receipt first: the latest by returnTime wins, not the order of the files
    out = service.import_receipts(s, principal, [("b.xml", released), ("a.xml", declared)])
    assert (out["receipts"], out["recorded"], out["skipped_duplicates"]) == (2, 2, 0)
    assert row.invt_no == "29912026E000000001" and row.data["invt_no"] == "29912026E000000001"
    assert (row.return_status, row.return_info, row.status) == ("800", "放行", "accepted")
    assert row.return_time == datetime(2026, 11, 24, 10, 15, 0, 123000)
    hist = service.declaration_receipts(s, principal, row)
    assert [(h.return_status, h.file_name) for h in hist] == [("2", "a.xml"), ("800", "b.xml")]
    # the same receipts again (another file name too) change nothing
    before = row.updated_at
    again = service.import_receipts(s, principal, [("a.xml", declared), ("copy.xml", released), ("b.xml", released)])
    assert (again["recorded"], again["skipped_duplicates"]) == (0, 3) and _count(s) == 2
    assert row.updated_at == before and again["declarations"] == []
    # an older receipt arriving late is kept in the history, the latest status stays
    stored = rc.sample_receipt(return_status="1", return_time="20261124080000", invt_no="", return_info="暂存")
    service.import_receipts(s, principal, [("c.xml", stored)])
    assert row.return_status == "800" and _count(s) == 3
    # the monthly summary application now lists the number
    xml = service.ceb701_messages(s, principal, 2026, 11)
    assert "<ceb:invtNo>29912026E000000001</ceb:invtNo>" in next(iter(xml.values()))
    # re-posting the declaration JSON without the number keeps it
    again_row, created = service.save_declaration(s, principal, dc.to_dict(dc.sample()))
    assert not created and again_row.invt_no == "29912026E000000001"


def test_a_bad_file_writes_nothing_and_every_problem_is_reported(uow, principal):
    s = uow.session
    row = _declare(s, principal)
    _declare(s, principal, order_no="SO2", logistics_no="LP2")
    good = rc.sample_receipt()
    unknown = rc.sample_receipt(cop_no="NOPE", invt_no="N9")
    other_ebc = rc.sample_receipt(cop_no="SO2", invt_no="N2", ebc_code="3301969999")
    with pytest.raises(ImportRejected) as exc:
        service.import_receipts(s, principal, [("good.xml", good), ("unknown.xml", unknown), ("ebc.xml", other_ebc),
                                               ("broken.xml", b"<x>")])
    errs = {(e["file"], e["column"]) for e in exc.value.errors}
    assert errs == {("unknown.xml", "copNo"), ("ebc.xml", "ebcCode"), ("broken.xml", "file")}
    assert all(e["line"] for e in exc.value.errors)
    assert _count(s) == 0 and row.invt_no == "" and row.return_status == ""
    # a list number already on another order; two different numbers for one list; a wrong agent
    service.import_receipts(s, principal, [("good.xml", good)])
    for files, column, words in (
            ([("dup.xml", rc.sample_receipt(cop_no="SO2"))], "invtNo", "already recorded on order SO20261124001"),
            ([("x.xml", rc.sample_receipt(invt_no="OTHER"))], "invtNo", "differs from the one recorded"),
            ([("a.xml", rc.sample_receipt(cop_no="SO2", invt_no="N2", return_status="120")),
              ("b.xml", rc.sample_receipt(cop_no="SO2", invt_no="N3"))], "invtNo", "different list numbers"),
            ([("ag.xml", rc.sample_receipt(cop_no="SO2", invt_no="N2", agent_code="1111111111"))], "agentCode", "agent")):
        with pytest.raises(ImportRejected) as exc:
            service.import_receipts(s, principal, files)
        assert exc.value.errors[0]["column"] == column and words in exc.value.errors[0]["message"], exc.value.errors
    assert _count(s) == 1
    with pytest.raises(ValidationError):
        service.import_receipts(s, principal, [])


def test_receipts_match_only_the_organisations_list_declarations(uow, principal, other_principal):
    s = uow.session
    _declare(s, other_principal)
    with pytest.raises(ImportRejected) as exc:
        service.import_receipts(s, principal, [("r.xml", rc.sample_receipt())])
    assert "no export declaration" in exc.value.errors[0]["message"]
    # general trade (0110) has no inventory list, so no CEB604
    _declare(s, principal, mode="0110")
    with pytest.raises(ImportRejected):
        service.import_receipts(s, principal, [("r.xml", rc.sample_receipt())])
    # the same order number in two list modes: ambiguous
    _declare(s, principal, mode="9610")
    _declare(s, principal, mode="9810")
    with pytest.raises(ImportRejected) as exc:
        service.import_receipts(s, principal, [("r.xml", rc.sample_receipt())])
    assert "several modes (9610, 9810)" in exc.value.errors[0]["message"]


def test_set_invt_no_by_hand(uow, principal, other_principal):
    s = uow.session
    row = _declare(s, principal)
    other = _declare(s, principal, order_no="SO2", logistics_no="LP2")
    out = service.set_invt_no(s, principal, row.id, " 29912026E000000007 ")
    assert out["changed"] is True and row.invt_no == "29912026E000000007"
    assert service.set_invt_no(s, principal, row.id, "29912026E000000007")["changed"] is False
    hist = service.declaration_receipts(s, principal, row)
    assert [(h.source, h.invt_no) for h in hist] == [("manual", "29912026E000000007")]
    for bad in ("", "A B", "x" * 61):
        with pytest.raises(ValidationError):
            service.set_invt_no(s, principal, row.id, bad)
    with pytest.raises(ValidationError, match="already recorded on order SO20261124001"):
        service.set_invt_no(s, principal, other.id, "29912026E000000007")
    with pytest.raises(NotFound):
        service.set_invt_no(s, other_principal, row.id, "N1")
    general = _declare(s, principal, mode="0110", order_no="G1")
    with pytest.raises(ValidationError, match="no inventory list"):
        service.set_invt_no(s, principal, general.id, "N1")
    # a receipt with the number typed in is accepted; another number is refused
    service.import_receipts(s, principal, [("r.xml", rc.sample_receipt(invt_no="29912026E000000007"))])
    assert row.return_status == "800"


def test_receipts_already_recorded_are_skipped_after_a_number_set_by_hand(uow, principal):
    s = uow.session
    row = _declare(s, principal)
    service.import_receipts(s, principal, [("r.xml", rc.sample_receipt())])
    service.set_invt_no(s, principal, row.id, "29912026E000000099")  # customs issued a new number
    again = service.import_receipts(s, principal, [("r.xml", rc.sample_receipt())])
    assert (again["recorded"], again["skipped_duplicates"]) == (0, 1) and row.invt_no == "29912026E000000099"
    # a new receipt with the old number is refused
    with pytest.raises(ImportRejected):
        service.import_receipts(s, principal, [("r2.xml", rc.sample_receipt(return_status="899"))])



def test_the_same_receipts_imported_twice_at_the_same_moment_are_recorded_once(container, principal, monkeypatch):
    """Another import records the same receipts (its own transaction, committed) right after this
    one has read which receipts are recorded: this one then writes receipts it believed new, as two
    simultaneous uploads would. The unique key refuses them; this import checks again and skips them."""
    with UnitOfWork(container.sessions) as u:
        _declare(u.session, principal)
        u.commit()
    files = [("a.xml", rc.sample_receipt(return_status="2", return_time="20261124090000000", invt_no="")),
             ("b.xml", rc.sample_receipt())]
    real = service._recorded_digests
    seen: list[int] = []

    def then_the_other_import(s, org_id, ids):
        known = real(s, org_id, ids)
        seen.append(len(known))
        if len(seen) == 1:
            monkeypatch.setattr(service, "_recorded_digests", real)
            with UnitOfWork(container.sessions) as other:
                assert service.import_receipts(other.session, principal, files)["recorded"] == 2
                other.commit()
            monkeypatch.setattr(service, "_recorded_digests", then_the_other_import)
        return known

    monkeypatch.setattr(service, "_recorded_digests", then_the_other_import)
    with UnitOfWork(container.sessions) as u:
        out = service.import_receipts(u.session, principal, files)
        u.commit()
    assert seen == [0, 2]  # the second look finds the other import's receipts
    assert (out["recorded"], out["skipped_duplicates"]) == (0, 2)
    with UnitOfWork(container.sessions) as u:
        assert _count(u.session) == 2
        row = service.list_declarations(u.session, principal)[0]
        assert (row.invt_no, row.return_status, row.status) == ("29912026E000000001", "800", "accepted")


def test_a_second_clash_is_a_conflict(uow, principal, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    _declare(uow.session, principal)
    tries = []

    def clash(s, principal, files):
        tries.append(1)
        raise IntegrityError("INSERT INTO customs_declaration_receipts ...", {}, Exception("duplicate key"))

    monkeypatch.setattr(service, "_import_receipts", clash)
    with pytest.raises(Conflict) as exc:
        service.import_receipts(uow.session, principal, [("b.xml", rc.sample_receipt())])
    assert len(tries) == 2 and exc.value.http_status == 409 and "import the files again" in exc.value.message
    assert _count(uow.session) == 0
