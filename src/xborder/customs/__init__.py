"""Customs and landed cost: destination rules per country, tariff and VAT reference data,
restricted-goods screening, China export declarations (CEB messages) and shipping documents.

HS nomenclature search and classification live in :mod:`xborder.hs`.
"""
