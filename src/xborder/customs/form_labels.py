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
