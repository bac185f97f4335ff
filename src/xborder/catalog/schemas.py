"""API shapes for the catalog. Decimals travel as strings."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SkuIn(BaseModel):
    sku: str = Field(..., examples=["PA-CABLE-C1M"])
    name_en: str = ""
    name_zh: str = ""
    product: str = ""
    description: str = ""
    brand: str = ""
    material: str = ""
    category: str = "other"
    weight_g: str | None = Field(None, description="grams, decimal string")
    length_cm: str | None = None
    width_cm: str | None = None
    height_cm: str | None = None
    origin: str | None = "CN"
    hs_code: str | None = None
    hs_version: str = "2022"
    hs_code_cn: str | None = Field(None, description="China's 10-digit export code (declarations, rebate)")
    hs_code_us: str | None = Field(None, description="the US HTS line, 8 or 10 digits (US duty)")
    hs_code_eu: str | None = Field(None, description="the EU CN 8 or TARIC 10 digits (EU duty)")
    hs_code_gb: str | None = Field(None, description="the UK commodity code, 8 or 10 digits (UK duty)")
    battery: bool = False
    liquid: bool = False
    magnet: bool = False
    powder: bool = False
    purchase_cost: str | None = None
    purchase_currency: str = "CNY"
    supplier: str = ""
    barcode: str | None = None
    rebate_rate: str | None = None


class SkuOut(BaseModel):
    id: int
    sku: str
    product: str
    name_en: str
    name_zh: str
    description: str
    brand: str
    material: str
    category: str
    weight_g: str | None
    length_cm: str | None
    width_cm: str | None
    height_cm: str | None
    origin: str
    hs_code: str | None
    hs_version: str
    hs_code_cn: str | None = None
    hs_code_us: str | None = None
    hs_code_eu: str | None = None
    hs_code_gb: str | None = None
    battery: bool
    liquid: bool
    magnet: bool
    powder: bool
    purchase_cost: str | None
    purchase_currency: str
    supplier: str
    barcode: str | None
    rebate_rate: str | None
    listings: list[dict[str, str]]


class SkuList(BaseModel):
    items: list[SkuOut]
    total: int
    page: int
    per_page: int


class ListingIn(BaseModel):
    channel: str = Field(..., examples=["amazon-us"])
    listing_id: str = ""
    seller_sku: str = ""
    title: str = ""
    sku: str = ""
    price: str | None = None
    currency: str | None = None


class ListingOut(ListingIn):
    id: int
    sku_id: int | None
