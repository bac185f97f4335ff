"""Live carriers through karrio's SDK (optional extra ``xborder[carriers]``).

karrio's split (research logistics.md §1.1; DESIGN.md convention 6): a pure request builder
(:mod:`.builder`), a pure response parser (:mod:`.parser`) and a thin client that only does the
call (:mod:`.client`). karrio ignores volumetric weight and uses exclusive bracket upper bounds
(research §1.5), so **our billable weight is computed first and passed as the parcel weight**.
The payloads are karrio's unified JSON shapes (``RateRequest``, ``ShipmentRequest``,
``RateDetails``, ``ShipmentDetails``, ``Message``), recorded in tests from karrio 2026.1.32.
"""
