"""Chinese wording of the rate engine's explanations (``xborder.logistics.pricing``: billable
weight steps, breakdown labels, why a card cannot carry a parcel) for pages in Chinese.

The engine speaks English in the API and the CLI. Its labels are composed (a surcharge's own
name, then its formula; "× 3" for cartons), so this rewords phrase by phrase, in order; numbers,
codes, dates and the names written in rate cards stay as they are.

>>> zh("billable weight 2.5 kg")
'计费重 2.5 kg'
>>> zh("volumetric 40×30×20/5000 = 4.8 kg")
'体积重 40×30×20/5000 = 4.8 kg'
>>> zh("Fuel: 12.5% of freight 80")
'Fuel: 运费 80 的 12.5%'
>>> zh("weight 31 kg is over the 30 kg limit; sum of sides 310 cm is over 300 cm")
'重量 31 kg 超过 30 kg 上限；三边之和 310 cm 超过 300 cm'
>>> zh("card_code: yun-us cannot carry this parcel: forbidden contents (the card refuses battery)")
'运价表 yun-us 不能承运此包裹：禁运货物（运价表不接受：battery）'
>>> zh("table price up to 2 kg × 3")
'2 kg 以内表价 × 3'
>>> zh("CN 22: contents worth 17.84 USD = 13.12 SDR (under 300 SDR); 1 SDR = 1.3593 USD on 2026-07-11 (IMF basket; valued with ECB reference rates, not the IMF's own fixing)")
'CN 22：内件价值 17.84 USD = 13.12 SDR（低于 300 SDR）；2026-07-11 1 SDR = 1.3593 USD（IMF basket；按欧洲央行参考汇率折算，并非 IMF 的官方定值）'
>>> zh("ranked by total cost to the seller: freight + duties and taxes the seller pays (DDP)")
'按卖家总成本排序：运费 + 卖家承担的关税和税费（DDP）'
>>> zh("converted to USD with ECB reference rates: 1 CNY = 0.150311 USD (2026-10-30) (latest ECB rate available; asked for 2026-11-25)")
'按欧洲央行参考汇率折算为 USD：1 CNY = 0.150311 USD（2026-10-30）（所问日期为 2026-11-25，用的是可得的最新汇率）'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

_N = r"-?[0-9][0-9.,]*"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    # booking refused (service.create_shipment)
    (r"^card_code: (\S+) cannot carry this parcel: ([a-z ]+) \((.+)\)$", r"运价表 \1 不能承运此包裹：\2（\3）"),
    (r"：forbidden contents（", "：禁运货物（"),
    (r"：too heavy（", "：超重（"),
    (r"：too light（", "：过轻（"),
    (r"：too big（", "：超尺寸（"),
    (r"：too slow（", "：时效不够（"),
    (r"：no coverage（", "：不覆盖（"),
    (r"：not in force（", "：不在有效期（"),
    (r"：over value limit（", "：超过申报价值上限（"),
    # billable weight (explain)
    (rf"^actual weight ({_N}) kg$", r"实重 \1 kg"),
    (r"^volumetric weight not applied: ", "未计体积重："),
    (rf"^volumetric ([0-9.,×]+)/({_N}) = ({_N}) kg$", r"体积重 \1/\2 = \3 kg"),
    (rf"longest side ({_N}) cm is not over ({_N}) cm", r"最长边 \1 cm 未超过 \2 cm"),
    (rf"volume ({_N}) cm³ is not over ({_N}) cm³", r"体积 \1 cm³ 未超过 \2 cm³"),
    (rf"^minimum chargeable weight ({_N}) kg$", r"最低计费重 \1 kg"),
    (rf"^rounded up to the ({_N}) kg step: ({_N}) kg$", r"按 \1 kg 进位：\2 kg"),
    (rf"^volume ({_N}) cbm \((\d+) carton\(s\)\)$", r"体积 \1 cbm（\2 箱）"),
    (rf"^weight/measure: ({_N}) kg / ({_N}) kg per cbm = ({_N}) cbm$", r"重货换算：\1 kg ÷ 每 cbm \2 kg = \3 cbm"),
    (rf"^minimum ({_N}) cbm$", r"最低 \1 cbm"),
    (rf"^chargeable ({_N}) cbm$", r"计费 \1 cbm"),
    # breakdown labels
    (rf"table price up to ({_N}) kg", r"\1 kg 以内表价"),
    (rf"({_N}) kg × ({_N})/kg \(above the table\)", r"\1 kg × \2/kg（超出价表）"),
    (rf"({_N}) kg × ({_N})/kg \(band ({_N})-({_N}) kg\)", r"\1 kg × \2/kg（\3-\4 kg 段）"),
    (rf"per piece \(band ({_N})-({_N}) kg\)", r"每件（\1-\2 kg 段）"),
    (rf"^first ({_N}) kg", r"首重 \1 kg"),
    (rf"({_N}) started step\(s\) of ({_N}) kg × ({_N})", r"续重 \1 个 \2 kg × \3"),
    (rf"({_N}) cbm × ({_N})/cbm", r"\1 cbm × \2/cbm"),
    (rf"({_N})% of freight ({_N})", r"运费 \2 的 \1%"),
    (rf"({_N}) per piece × (\d+)", r"每件 \1 × \2"),
    (rf"({_N}) per piece", r"每件 \1"),
    (rf", minimum ({_N})$", r"，最低 \1"),
    # why a card cannot carry the parcel (ineligible details, joined with "; ")
    (r"billable weight (\S+) kg is above the last band \((\S+) kg\)", r"计费重 \1 kg 超过最后一段（\2 kg）"),
    (r"billable weight (\S+) kg is above the first weight (\S+) kg and the card has no additional steps",
     r"计费重 \1 kg 超过首重 \2 kg，且运价表没有续重"),
    (r"billable weight (\S+) kg is above the table \((\S+) kg\)", r"计费重 \1 kg 超出价表（\2 kg）"),
    (r"billable weight (\S+) kg is above (\S+) kg", r"计费重 \1 kg 超过 \2 kg"),
    (r"^billable weight (\S+) kg$", r"计费重 \1 kg"),
    (r"card valid from (\S+) to (\S+), not on (\S+)", r"运价表有效期 \1 至 \2，不含 \3"),
    (r"card valid from (\S+), not on (\S+)", r"运价表自 \1 起有效，不含 \2"),
    (r"head-haul to a warehouse, not delivery to a buyer's address", "头程到仓，不派送到买家地址"),
    (r"does not ship from (\S+)", r"不从 \1 发货"),
    (r"no zone for ([A-Z]{2}(?: \S+)?)", r"没有覆盖 \1 的分区"),
    (r"weight (\S+) kg is over the (\S+) kg limit", r"重量 \1 kg 超过 \2 kg 上限"),
    (r"weight (\S+) kg is under the (\S+) kg minimum", r"重量 \1 kg 低于 \2 kg 下限"),
    (r"second side (\S+) cm is over (\S+) cm", r"次长边 \1 cm 超过 \2 cm"),
    (r"longest side (\S+) cm is over (\S+) cm", r"最长边 \1 cm 超过 \2 cm"),
    (r"sum of sides (\S+) cm is over (\S+) cm", r"三边之和 \1 cm 超过 \2 cm"),
    (r"length \+ girth (\S+) cm is over (\S+) cm", r"长度 + 周长 \1 cm 超过 \2 cm"),
    (r"the card refuses ([a-z_, ]+)", r"运价表不接受：\1"),
    (r"unknown contents flag\(s\) ([a-z_, ]+)", r"未知的货物属性：\1"),
    (r"declared value (\S+) ([A-Z]{3}) is over (\S+) ([A-Z]{3})", r"申报价值 \1 \2 超过 \3 \4"),
    (r"up to (\d+) days is over the (\d+)-day promise", r"最长 \1 天，超过承诺的 \2 天"),
    # which UPU customs declaration a postal item gets (service.postal_declaration)
    (r"^CN 23: a postal parcel service \(the card says postal: parcel\)$", "CN 23：邮政包裹服务（运价表写明 postal: parcel）"),
    (r"^CN 23: the contents' value is not known \(a line without price\), so the CN 22's limit cannot be checked$",
     "CN 23：内件价值未知（有一行没有价格），无法核对 CN 22 的限额"),
    (r"^CN 23: the value in SDR cannot be told \(", "CN 23：无法折算为 SDR（"),
    (rf"^(CN 2[23]): contents worth ({_N}) ([A-Z]{{3}}) = ({_N}) SDR \(300 SDR or more\)", r"\1：内件价值 \2 \3 = \4 SDR（不低于 300 SDR）"),
    (rf"^(CN 2[23]): contents worth ({_N}) ([A-Z]{{3}}) = ({_N}) SDR \(under 300 SDR\)", r"\1：内件价值 \2 \3 = \4 SDR（低于 300 SDR）"),
    (rf"1 SDR = ({_N}) ([A-Z]{{3}}) on (\S+) \((.+?); valued with ECB reference rates, not the IMF's own fixing\)",
     r"\3 1 SDR = \1 \2（\4；按欧洲央行参考汇率折算，并非 IMF 的官方定值）"),
    (r"; the latest rates available, asked for (\S+)", r"；所问日期为 \1，用的是可得的最新汇率"),
    # the rate shop's notes above its options (pricing.shop, cardfiles, service.shop_for_org)
    (r"^ranked by total cost to the seller: freight \+ duties and taxes the seller pays \(DDP\)$",
     "按卖家总成本排序：运费 + 卖家承担的关税和税费（DDP）"),
    (r"^options are in several currencies and no FX rates were given: ranked within each currency$",
     "渠道报价币种不同且没有汇率：在各币种内分别排序"),
    (rf"^converted to ([A-Z]{{3}}) with ECB reference rates: 1 ([A-Z]{{3}}) = ({_N}) ([A-Z]{{3}}) \((\S+)\)",
     r"按欧洲央行参考汇率折算为 \1：1 \2 = \3 \4（\5）"),
    (r" \(latest ECB rate available; asked for (\S+)\)$", r"（所问日期为 \1，用的是可得的最新汇率）"),
    (r"^no exchange rate to rank across currencies \((.+)\): ranked within each currency$",
     r"没有可用于跨币种排序的汇率（\1）：在各币种内分别排序"),
))


def zh(text: str) -> str:
    """The Chinese wording of one engine text (phrase by phrase), or the text unchanged when no
    phrase of the engine is in it (so another package's message is left to that package)."""
    out = text
    for pattern, repl in _RULES:
        out = pattern.sub(repl, out)
    return out.replace("; ", "；") if out != text else text
