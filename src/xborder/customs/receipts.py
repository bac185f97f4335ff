"""China e-Port receipts of export inventory lists: CEB604 (pure: parses and checks XML text; no I/O).

China e-Port answers each export inventory list (CEB603, :func:`xborder.customs.declarations.ceb603`)
with one or more CEB604 receipts as customs processes it. A receipt names the list by the
enterprise's own number ``copNo`` (ours: the order number, see the CEB603 builder) and, once
customs has accepted the list, carries its inventory list number 清单编号 ``invtNo``, which the
monthly summary application (CEB701) must list.

Layout (element names and order only; nothing copied), read on 2026-11-24 in public code:

* ``zhengjin-me/common-customs-beans``, ``src/main/kotlin/me/zhengjin/common/customs/utils/
  CustomsResultMockUtils.kt`` (``generatorCEB604Message``, "【跨境出口】清单回执"): ``CEB604Message``
  (attributes guid, version; namespace ``http://www.chinaport.gov.cn/ceb``) > ``InventoryReturn``
  > guid, agentCode (申报企业代码), copNo (企业唯一编号), preNo (电子口岸编号), invtNo (清单编号),
  ebcCode (收发货人代码), ebpCode (电商平台代码), orderNo, statisticsFlag (A 简化申报 / B 汇总申报),
  returnStatus, returnTime (``yyyyMMddHHmmssSSS``), returnInfo. The same file wraps messages in
  the DXP transport envelope ``DxpMsg`` (namespace ``http://www.chinaport.gov.cn/dxp``) whose
  ``Data`` element holds the message in base64; we accept a receipt with or without it.
* ``fucl123/crs``, ``common/src/main/java/com/kzkj/pojo/vo/response/invt/CEB604Message.java`` and
  ``InventoryReturn.java``: the same elements (a message may hold several ``InventoryReturn``).
* Status codes: ``zhengjin-me/common-customs-beans``, ``src/main/kotlin/me/zhengjin/common/customs/
  message/CustomsResultStatus.kt`` (which codes a CEB604 can carry), and the comment of
  ``return_status`` in ``zylee19950505/data-interface`` ``ImpRecInventory.java`` ("若小于0数字表示处理
  异常回执": a negative status is a processing error). :data:`RETURN_STATUSES` lists them.

To check against the current e-Port specification (跨境电子商务进出境统一版 报文规范) when it is at
hand: these are third-party readings, not the specification itself.

Parsing (:func:`parse_receipts`) reports every problem with the file, line and element: not XML,
not a CEB604, no ``InventoryReturn``, a missing ``copNo`` / ``returnStatus`` / ``returnTime``, a
status that is not an integer, a time that is not ``yyyyMMddHHmmss[SSS]``, a list number with
spaces or longer than 60 characters. Matching a receipt to a declaration is the service's job
(:func:`xborder.customs.service.import_receipts`).

>>> rs, problems = parse_receipts(sample_receipt(), "r.xml")
>>> problems, rs[0].cop_no, rs[0].invt_no, rs[0].return_status, rs[0].return_time.isoformat()
([], 'SO20261124001', '29912026E000000001', '800', '2026-11-24T10:15:00.123000')
>>> parse_receipts(b"<a>", "bad.xml")[1][0].to_dict()["line"]
1
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from xml.parsers import expat

NS = "http://www.chinaport.gov.cn/ceb"
DXP_NS = "http://www.chinaport.gov.cn/dxp"
MAX_BYTES = 5_000_000  # one receipt file; real receipts are a few kilobytes

# returnStatus of a CEB604 (English msgid of the catalogs; zh-CN in customs/locale): what customs did
RETURN_STATUSES: dict[str, str] = {
    "1": "stored at the e-Port",  # 电子口岸已暂存
    "2": "being declared at the e-Port",  # 电子口岸申报中
    "3": "sent to customs",  # 发送海关成功
    "4": "sending to customs failed",  # 发送海关失败
    "100": "rejected by customs",  # 海关退单
    "120": "entered by customs",  # 海关入库
    "300": "manual review",  # 人工审核
    "399": "customs review completed",  # 海关审结
    "500": "inspection",  # 查验
    "800": "released",  # 放行
    "899": "cleared",  # 结关
}
ERROR_STATUS = "processing error"  # a negative returnStatus

# our declaration ``status`` from the latest returnStatus
_REJECTED = {"4", "100"}
_ACCEPTED = {"399", "800", "899"}


def status_label(code: str) -> str:
    """The English label (a msgid) of a returnStatus; ``""`` when unknown.

    >>> status_label("800"), status_label("-301"), status_label("7")
    ('released', 'processing error', '')
    """
    if code.startswith("-") and code[1:].isdigit():
        return ERROR_STATUS
    return RETURN_STATUSES.get(code, "")


def declaration_status(code: str) -> str:
    """``sent`` / ``accepted`` / ``rejected`` (our declaration status) from a returnStatus.

    >>> declaration_status("2"), declaration_status("800"), declaration_status("100"), declaration_status("-1")
    ('sent', 'accepted', 'rejected', 'rejected')
    """
    if code in _REJECTED or code.startswith("-"):
        return "rejected"
    if code in _ACCEPTED:
        return "accepted"
    return "sent"


@dataclass(frozen=True)
class Receipt:
    """One ``InventoryReturn`` of a CEB604 file."""

    file: str
    line: int
    cop_no: str
    return_status: str
    return_time: datetime
    return_time_text: str
    invt_no: str = ""
    pre_no: str = ""
    guid: str = ""
    agent_code: str = ""
    ebc_code: str = ""
    ebp_code: str = ""
    order_no: str = ""
    statistics_flag: str = ""
    return_info: str = ""

    @property
    def digest(self) -> str:
        """Identity of the receipt's content (the file name aside): the same receipt twice has the same digest."""
        body = [self.guid, self.cop_no, self.invt_no, self.pre_no, self.agent_code, self.ebc_code, self.ebp_code,
                self.order_no, self.statistics_flag, self.return_status, self.return_time_text, self.return_info]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()

    def to_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "guid": self.guid, "cop_no": self.cop_no, "invt_no": self.invt_no,
                "pre_no": self.pre_no, "agent_code": self.agent_code, "ebc_code": self.ebc_code,
                "ebp_code": self.ebp_code, "order_no": self.order_no, "statistics_flag": self.statistics_flag,
                "return_status": self.return_status, "return_time": self.return_time.isoformat(),
                "return_info": self.return_info}


# prefix of a problem found in the message inside a DXP envelope (a msgid of its own)
IN_ENVELOPE = "in the DXP envelope's Data (lines of the decoded message): "


@dataclass(frozen=True)
class ReceiptProblem:
    file: str
    line: int
    column: str  # the element (or "file")
    message: str  # English (CLI, API)
    # for the pages: the English template (a msgid with %(name)s placeholders, in the customs
    # catalogue) and its values; ``where`` is IN_ENVELOPE or "" (also a msgid)
    msgid: str = ""
    params: tuple[tuple[str, str], ...] = ()
    where: str = ""

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"file": self.file, "line": self.line, "column": self.column, "message": self.message}
        if self.msgid:
            out["msgid"], out["params"] = self.msgid, dict(self.params)
            if self.where:
                out["where"] = self.where
        return out


def problem(file: str, line: int, column: str, msgid: str, where: str = "", /, **params: object) -> ReceiptProblem:
    """A problem whose English message is ``where + msgid % params`` (translatable on the pages).

    >>> p = problem("r.xml", 3, "returnTime", "%(value)s is not a time", IN_ENVELOPE, value="'x'")
    >>> p.message
    "in the DXP envelope's Data (lines of the decoded message): 'x' is not a time"
    >>> p.to_dict()["params"]
    {'value': "'x'"}
    """
    values = tuple((k, str(v)) for k, v in params.items())
    text = msgid % dict(values) if values else msgid
    return ReceiptProblem(file, line, column, where + text, msgid, values, where)


def parse_time(text: str) -> datetime | None:
    """``yyyyMMddHHmmss`` or ``yyyyMMddHHmmssSSS`` (milliseconds), else None.

    >>> parse_time("20261124101500"), parse_time("2026112410150012")
    (datetime.datetime(2026, 11, 24, 10, 15), None)
    """
    t = text.strip()
    if not t.isdigit() or len(t) not in (14, 17):
        return None
    try:
        base = datetime.strptime(t[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return base.replace(microsecond=int(t[14:]) * 1000) if len(t) == 17 else base


class _Doctype(ValueError):
    """A receipt with a DOCTYPE (refused: no entities, no DTD)."""


class _Tree:
    """An element tree with the line each element starts on (expat; no DTD, no entities)."""

    def __init__(self, data: bytes):
        self.lines: dict[int, int] = {}
        builder = ET.TreeBuilder()
        p = expat.ParserCreate(namespace_separator="}")

        def start(tag: str, attrs: dict[str, str]) -> None:
            el = builder.start("{" + tag if "}" in tag else tag, attrs)
            self.lines[id(el)] = p.CurrentLineNumber

        def doctype(*_: object) -> None:
            raise _Doctype()

        p.StartElementHandler = start
        p.EndElementHandler = lambda tag: builder.end("{" + tag if "}" in tag else tag)
        p.CharacterDataHandler = builder.data
        p.StartDoctypeDeclHandler = doctype
        p.Parse(data, True)
        self.root = builder.close()

    def line(self, el: ET.Element) -> int:
        return self.lines.get(id(el), 0)


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag)[1] == name and _local(c.tag)[0] in (NS, "")]


def _text(el: ET.Element, name: str) -> tuple[str, ET.Element | None]:
    found = _children(el, name)
    return ((found[0].text or "").strip(), found[0]) if found else ("", None)


_GB = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])(gb2312|gbk|gb18030)(["'])""", re.I)


def _utf8(data: bytes) -> bytes:
    """A receipt declared in GB2312/GBK/GB18030 as UTF-8 (expat reads no multi-byte Chinese encoding)."""
    m = _GB.match(data)
    if m is None:
        return data
    return m.group(1) + b"UTF-8" + m.group(3) + data[m.end():].decode("gb18030").encode("utf-8")


def _parse(data: bytes, name: str, where: str = "") -> tuple[_Tree | None, list[ReceiptProblem]]:
    try:
        return _Tree(_utf8(data)), []
    except UnicodeDecodeError as e:
        return None, [problem(name, 1, "file", "not valid %(encoding)s: byte %(byte)s", where, encoding=e.encoding,
                              byte=e.start)]
    except expat.ExpatError as e:
        return None, [problem(name, e.lineno, "file", "not well-formed XML: %(error)s (column %(column)s)", where,
                              error=expat.ErrorString(e.code), column=e.offset + 1)]
    except _Doctype:
        return None, [problem(name, 1, "file", "a DOCTYPE is not allowed in a receipt", where)]
    except ValueError as e:
        return None, [problem(name, 1, "file", "not readable: %(error)s", where, error=e)]


def parse_receipts(data: bytes, name: str) -> tuple[list[Receipt], list[ReceiptProblem]]:
    """Every ``InventoryReturn`` of one CEB604 file (``name`` is shown in problems); the problems
    found. A file with a problem gives no receipts."""
    if len(data) > MAX_BYTES:
        return [], [problem(name, 0, "file", "larger than %(mb)s MB: not a CEB604 receipt", mb=MAX_BYTES // 1_000_000)]
    tree, problems = _parse(data, name)
    if tree is None:
        return [], problems
    ns, root_name = _local(tree.root.tag)
    where = ""
    if root_name == "DxpMsg" and ns in (DXP_NS, ""):
        found = [c for c in tree.root if _local(c.tag)[1] == "Data"]
        if not found or not (found[0].text or "").strip():
            return [], [problem(name, tree.line(tree.root), "Data", "DXP envelope without a Data element")]
        try:
            inner = base64.b64decode("".join((found[0].text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            return [], [problem(name, tree.line(found[0]), "Data", "the DXP envelope's Data is not base64")]
        where = IN_ENVELOPE
        tree, problems = _parse(inner, name, where)
        if tree is None:
            return [], problems
        ns, root_name = _local(tree.root.tag)
    if root_name != "CEB604Message" or ns not in (NS, ""):
        what = f"CEB{root_name[3:6]}" if root_name.startswith("CEB") else root_name
        return [], [problem(name, tree.line(tree.root), "file",
                            "%(what)s is not an export inventory list receipt (CEB604Message)", where, what=what)]
    returns = _children(tree.root, "InventoryReturn")
    if not returns:
        return [], [problem(name, tree.line(tree.root), "InventoryReturn", "no InventoryReturn in the receipt", where)]
    out: list[Receipt] = []
    for el in returns:
        line = tree.line(el)
        got = {k: _text(el, k) for k in ("guid", "agentCode", "copNo", "preNo", "invtNo", "ebpCode", "ebcCode", "orderNo",
                                         "statisticsFlag", "returnStatus", "returnTime", "returnInfo")}

        def bad(field: str, msgid: str, line: int = line, got: dict[str, tuple[str, ET.Element | None]] = got,
                **params: object) -> None:
            child = got.get(field, ("", None))[1]
            problems.append(problem(name, tree.line(child) if child is not None else line, field, msgid, where, **params))

        cop_no, status, time_text, invt_no = (got[k][0] for k in ("copNo", "returnStatus", "returnTime", "invtNo"))
        n = len(problems)
        if not cop_no:
            bad("copNo", "required: the enterprise's number of the inventory list (our order number)")
        elif len(cop_no) > 60:
            bad("copNo", "at most 60 characters")
        if not status:
            bad("returnStatus", "required")
        elif not (status.lstrip("-").isdigit() and status.count("-") <= 1 and not status.endswith("-")):
            bad("returnStatus", "%(value)s is not a status code (an integer)", value=repr(status))
        when = parse_time(time_text)
        if not time_text:
            bad("returnTime", "required")
        elif when is None:
            bad("returnTime", "%(value)s is not a time yyyyMMddHHmmss or yyyyMMddHHmmssSSS", value=repr(time_text))
        if invt_no and (len(invt_no) > 60 or any(c.isspace() for c in invt_no)):
            bad("invtNo", "%(value)s: an inventory list number has no spaces and at most 60 characters", value=repr(invt_no))
        if len(problems) > n or when is None:
            continue
        out.append(Receipt(
            file=name, line=line, cop_no=cop_no, return_status=status, return_time=when, return_time_text=time_text,
            invt_no=invt_no, pre_no=got["preNo"][0], guid=got["guid"][0], agent_code=got["agentCode"][0],
            ebc_code=got["ebcCode"][0], ebp_code=got["ebpCode"][0], order_no=got["orderNo"][0],
            statistics_flag=got["statisticsFlag"][0], return_info=got["returnInfo"][0]))
    return ([], problems) if problems else (out, [])


def receipt_xml(*, cop_no: str, return_status: str, return_time: str, invt_no: str = "", return_info: str = "",
                guid: str = "7C3C2A4E-0000-4000-8000-000000000001", agent_code: str = "3301980001",
                ebc_code: str = "3301961234", ebp_code: str = "3301960001", pre_no: str = "",
                order_no: str | None = None, statistics_flag: str = "B") -> str:
    """A CEB604 receipt in the layout above, for tests, docs and the demo (what e-Port would send)."""
    fields = (("guid", guid), ("agentCode", agent_code), ("copNo", cop_no), ("preNo", pre_no), ("invtNo", invt_no),
              ("ebcCode", ebc_code), ("ebpCode", ebp_code), ("orderNo", cop_no if order_no is None else order_no),
              ("statisticsFlag", statistics_flag), ("returnStatus", return_status), ("returnTime", return_time),
              ("returnInfo", return_info))
    body = "".join(f"\t\t<ceb:{k}>{_esc(v)}</ceb:{k}>\n" for k, v in fields)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<ceb:CEB604Message guid="{_esc(guid)}" version="1.0" xmlns:ceb="{NS}">\n'
            f"\t<ceb:InventoryReturn>\n{body}\t</ceb:InventoryReturn>\n</ceb:CEB604Message>\n")


def _esc(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def sample_receipt(**changes: str) -> bytes:
    """The release receipt of :func:`xborder.customs.declarations.sample` (fictitious numbers)."""
    args = {"cop_no": "SO20261124001", "return_status": "800", "return_time": "20261124101500123",
            "invt_no": "29912026E000000001", "return_info": "放行", "pre_no": "B20261124000000001"}
    args.update(changes)
    return receipt_xml(**args).encode("utf-8")
