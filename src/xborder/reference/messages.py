"""Chinese wording of the reference-data sync's messages (``xborder.reference.service`` outcomes
and ``xborder.reference.jobs`` refusals) for the reference data page in Chinese.

>>> zh("no download address: use --from DIR")
'没有官方下载地址：请使用 --from 目录（本地文件）'
>>> zh("/data/hs/harmonized-system-2017.csv not found")
'未找到 /data/hs/harmonized-system-2017.csv'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(r"no download address: use --from DIR"), lambda m: "没有官方下载地址：请使用 --from 目录（本地文件）"),
    (re.compile(r"(\S+) not found"), lambda m: f"未找到 {m[1]}"),
    (re.compile(r"the China customs tariff (\S+) \(sha256 (\w+)\)"), lambda m: f"中国海关税则 {m[1]}（sha256 {m[2]}）"),
    (re.compile(r"download failed: (.+)"), lambda m: f"下载失败：{m[1]}"),
    (re.compile(r"bundled copy (\S+) \((.+)\)"), lambda m: f"使用随软件附带的副本 {m[1]}（{zh(m[2])}）"),
    (re.compile(r"only: unknown source\(s\) (.+); known: (.+)"), lambda m: f"未知的数据源：{m[1]}；可用：{m[2]}"),
    (re.compile(r"origin: must be one of (.+), got (.+)"), lambda m: f"读取来源必须是 {m[1]} 之一，收到 {m[2]}"),
    (re.compile(r"origin: no local reference folder is configured on this server \(set XBORDER_SHARED_DATA to a "
                r"folder laid out as ../shared/data\)"),
     lambda m: "服务器未配置本地参考数据文件夹（请把 XBORDER_SHARED_DATA 设为按 ../shared/data 布局的文件夹）"),
    (re.compile(r"a reference sync is already running \((\S+), started (\S+) UTC by (.+)\): wait for it to end"),
     lambda m: f"已有参考数据同步在进行（{m[1]}，{m[3]} 于 UTC {m[2]} 发起）：请等它结束"),
    (re.compile(r"a reference sync is starting elsewhere: try again in a moment"), lambda m: "另一处正在启动参考数据同步：请稍后再试"),
    (re.compile(r"no news from the process running it since (\S+) UTC \(it was stopped or restarted\)"),
     lambda m: f"运行它的进程自 UTC {m[1]} 起再无消息（已停止或重启）"),
    (re.compile(r"its process stopped \(no heartbeat\)"), lambda m: "运行它的进程已停止（无心跳）"),
    (re.compile(r"no reference sync (\S+)"), lambda m: f"没有参考数据同步 {m[1]}"),
    (re.compile(r"role (\S+) may not change reference data"), lambda m: f"角色 {m[1]} 不能更改参考数据（只有所有者可以）"),
)


def zh(text: str) -> str:
    """The Chinese wording of one sync message, or the text unchanged."""
    return reword(_PATTERNS, text) or text
