"""Field labels of the declaration and document JSON, for the pages' form view (``app.js``
``data-json-form``): key -> English msgid, translated on the page (zh_CN in this package's
``messages.po``). A key without a label is shown as itself."""

from __future__ import annotations

DECLARATION_LABELS: dict[str, str] = {
    "mode": "Customs mode",
    "order_no": "Order no.",
    "ebp": "E-commerce platform",
    "ebc": "E-commerce enterprise",
    "logistics": "Logistics enterprise",
    "logistics_no": "Waybill no.",
    "customs_code": "Declaring customs office",
    "port_code": "Port customs office",
    "ie_date": "Export date",
    "destination": "Destination",
    "currency": "Currency",
    "freight": "Freight",
    "insured_fee": "Insurance",
    "gross_weight": "Gross weight (kg)",
    "net_weight": "Net weight (kg)",
    "pack_no": "Packages",
    "traf_mode": "Transport mode",
    "wrap_type": "Packing type",
    "owner": "Producer or seller",
    "agent": "Declaring agent",
    "pay": "Payment enterprise",
    "pay_no": "Payment transaction no.",
    "paid_amount": "Amount paid",
    "dxp_id": "Transmission ID (DXP)",
    "note": "Note",
    "app_type": "Declaration type",
    "invt_no": "Inventory list no. (清单编号)",
    "lines": "Goods",
    "item_no": "Item no.",
    "item_name": "Goods name",
    "gcode": "China commodity code (10 digits)",
    "gmodel": "Declared elements (申报要素)",
    "qty": "Quantity",
    "unit": "Unit",
    "qty1": "Legal quantity",
    "unit1": "Legal unit",
    "qty2": "Second quantity",
    "unit2": "Second unit",
    "price": "Unit price",
    "total_price": "Total price",
    "origin": "Origin",
    "bar_code": "Barcode",
    "code": "Code",
    "name": "Name",
}

DOCUMENT_LABELS: dict[str, str] = {
    "invoice_no": "Invoice no.",
    "invoice_date": "Invoice date",
    "order_no": "Order no.",
    "currency": "Currency",
    "incoterm": "Incoterm",
    "destination": "Destination",
    "port_of_entry": "Port of entry",
    "shipping": "Freight",
    "insurance": "Insurance",
    "carrier": "Carrier",
    "tracking_no": "Tracking no.",
    "seller": "Seller / exporter",
    "buyer": "Buyer / consignee",
    "name": "Name",
    "name_zh": "Name (Chinese)",
    "address": "Address",
    "country": "Country",
    "phone": "Phone",
    "email": "Email",
    "tax_ids": "Tax and customs numbers",
    "lines": "Goods",
    "sku": "SKU",
    "description": "Description",
    "description_zh": "Description (Chinese)",
    "material": "Material",
    "hs_code": "HS code",
    "origin": "Origin",
    "quantity": "Quantity",
    "unit_price": "Unit price",
    "net_weight_kg": "Net weight per unit (kg)",
    "package": "Package no.",
    "packages": "Cartons and marks",
    "number": "No.",
    "gross_weight_kg": "Gross weight (kg)",
    "length_cm": "Length (cm)",
    "width_cm": "Width (cm)",
    "height_cm": "Height (cm)",
    "marks": "Marks",
    "signatory": "Signatory",
}

FORM_LABELS: dict[str, str] = {  # the form view's own words
    "@form": "Form",
    "@json": "JSON",
    "@add": "Add a line",
    "@remove": "Remove",
    "@invalid": "The JSON is not valid: correct it as text, then switch back to the form.",
}


def declaration_options() -> dict[str, list[list[str]]]:
    """Fields of the declaration form shown as select lists: ``[value, label]`` pairs from the
    code tables the validation checks against (``xborder.customs.declarations``)."""
    from xborder.customs import declarations as dc

    units = [[code, f"{code} {name}"] for code, name in dc.UNIT_CODES.items()]
    return {
        "mode": [[m, m] for m in dc.MODES],
        "unit": units, "unit1": units, "unit2": [["", ""], *units],
        "traf_mode": [[k, f"{k} {v}"] for k, v in dc.TRANSPORT_MODES.items()],
        "wrap_type": [[k, f"{k} {v}"] for k, v in dc.WRAP_TYPES.items()],
        "app_type": [["1", "1 新增 (new)"], ["2", "2 变更 (change)"], ["3", "3 删除 (delete)"]],
    }


# placeholders of the declaration form's fields: the shape customs expects (app.js data-hints)
DECLARATION_HINTS: dict[str, str] = {
    "gcode": "6109100022",
    "gmodel": "0|0|针织|棉100%|男式|无品牌",
    "customs_code": "5300",
    "port_code": "5300",
    "code": "4403960ABC / 91440300MA5FXB7K3U",
    "ie_date": "2026-11-24",
    "currency": "USD",
    "origin": "CN",
}


# one-line help per field (English msgids, translated on the page; app.js data-help shows it under
# the field and as the column heading's tooltip). Codes and rules from GACC announcements 2018 No.
# 194 / 2018 No. 179 and the China e-Port CEB message guide as summarised in
# ../shared/research/customs.md (retrieved 2026-11; verify against the current official text).
DECLARATION_HELP: dict[str, str] = {
    "mode": "9610: B2C parcels cleared on inventory lists; 9710: B2B direct export; 9810: export to an overseas warehouse; 0110: general trade.",
    "order_no": "The marketplace order number, exactly as on the platform: the order, payment and waybill messages are matched by it.",
    "ebp": "The platform the goods were sold on: its 10-character customs registration code and its name.",
    "ebc": "Your company as registered with customs for cross-border e-commerce: 10-character customs code and name.",
    "logistics": "The logistics company registered with customs that carries the parcel: code and name.",
    "logistics_no": "The carrier's waybill (tracking) number of this parcel.",
    "customs_code": "4-digit customs office code (关区代码) where the list is declared, e.g. 5300 for Shenzhen.",
    "port_code": "4-digit code of the customs office at the port of exit.",
    "ie_date": "Export date, YYYY-MM-DD.",
    "destination": "Country of destination (运抵国), ISO 3166 alpha-2.",
    "currency": "Currency of the prices, ISO 4217 (USD, EUR...).",
    "gross_weight": "Gross weight of the consignment in kilograms (packing included); not less than the net weight.",
    "net_weight": "Net weight of the goods in kilograms, without packing.",
    "pack_no": "Number of packages.",
    "traf_mode": "Transport mode code at exit: air, sea, road, post...",
    "wrap_type": "Packing type code (carton, bag, pallet...).",
    "owner": "The producer or seller of the goods (生产销售单位): its code and name.",
    "app_type": "1 for a new declaration, 2 to change one already sent, 3 to delete it.",
    "gcode": "10-digit China commodity code: the 8-digit national tariff code and 2 supervision digits; its first 6 digits are the HS subheading.",
    "gmodel": "Declared elements (申报要素) in the order the tariff lists them for this code, separated by |; they begin with brand type (0 no brand) and export preference (0 none claimed), then material, use, brand... as the code asks.",
    "qty": "Quantity in the transaction unit.",
    "unit": "Transaction unit code (GACC unit table).",
    "qty1": "Quantity in the first legal unit of the commodity code (e.g. kilograms or pieces, as the tariff sets).",
    "unit1": "The commodity code's first legal unit: customs rejects any other.",
    "qty2": "Quantity in the second legal unit, when the code has one.",
    "unit2": "The commodity code's second legal unit (empty when it has none).",
    "price": "Unit price in the declaration currency.",
    "total_price": "Quantity × unit price.",
    "origin": "Country of origin, ISO 3166 alpha-2.",
}

DOCUMENT_HELP: dict[str, str] = {
    "incoterm": "DDP: you pay the destination's duty and taxes (collected at checkout); DAP: the buyer pays them on delivery.",
    "port_of_entry": "The port or airport where the goods enter the destination country, if known.",
    "tax_ids": "IOSS number (EU, consignments up to EUR 150), UK VAT number, EORI for EU/UK business buyers...",
    "hs_code": "At least 6 digits; the EU requires it on postal items, the US checks 10 digits at entry.",
    "origin": "Country where the goods were made, ISO 3166 alpha-2.",
    "material": "What the goods are made of (fibre content by weight for textiles).",
    "net_weight_kg": "Net weight of one unit, without packing.",
    "marks": "Marks and numbers written on the cartons.",
    "package": "The carton number this line is packed in (see Cartons and marks).",
}
