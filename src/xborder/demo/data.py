"""The demo company's catalog: a Shenzhen micro-exporter (about 40 SKUs in five lines).

Weights, sizes and purchase costs are plausible figures for 1688/Yiwu sourcing in 2026 (our
own estimates, for demonstration); HS codes are HS 2022 subheadings chosen for each product
(check against the tariff of the destination before relying on them).
"""

from __future__ import annotations

# sku, product, name_en, name_zh, category, material, weight_g, L, W, H (cm), hs_code, cost CNY, flags, supplier, rebate_rate
SKUS: list[tuple[str, str, str, str, str, str, str, str, str, str, str, str, str, str, str]] = [
    # phone accessories
    ("PA-CBL-C1M", "PA-CBL", "USB-C to USB-C cable 1 m, 60 W braided", "USB-C 转 USB-C 编织数据线 1 米 60W", "phone_accessories", "nylon braid, copper", "35", "12", "8", "2", "854442", "6.80", "", "深圳市华强电子线材厂", "0.13"),
    ("PA-CBL-C2M", "PA-CBL", "USB-C to USB-C cable 2 m, 100 W braided", "USB-C 转 USB-C 编织数据线 2 米 100W", "phone_accessories", "nylon braid, copper", "58", "12", "8", "2.5", "854442", "11.20", "", "深圳市华强电子线材厂", "0.13"),
    ("PA-CBL-L1M", "PA-CBL", "USB-C to Lightning cable 1 m", "USB-C 转 Lightning 数据线 1 米", "phone_accessories", "TPE, copper", "30", "12", "8", "2", "854442", "9.50", "", "深圳市华强电子线材厂", "0.13"),
    ("PA-CHG-20W", "PA-CHG", "20 W USB-C PD wall charger (US plug)", "20W USB-C PD 快充充电器（美规）", "phone_accessories", "PC flame-retardant plastic", "48", "6", "5", "4", "850440", "14.50", "", "东莞市科达电源有限公司", "0.13"),
    ("PA-CHG-65W", "PA-CHG", "65 W GaN 3-port charger (EU plug)", "65W 氮化镓三口充电器（欧规）", "phone_accessories", "PC plastic, GaN", "120", "8", "7", "4", "850440", "42.00", "", "东莞市科达电源有限公司", "0.13"),
    ("PA-PB-10K", "PA-PB", "Power bank 10,000 mAh, 22.5 W", "充电宝 10000mAh 22.5W", "phone_accessories", "ABS, lithium polymer cell", "210", "14", "7", "2", "850760", "38.00", "battery", "深圳市能量派科技有限公司", "0.13"),
    ("PA-PB-20K", "PA-PB", "Power bank 20,000 mAh, 65 W", "充电宝 20000mAh 65W", "phone_accessories", "aluminium, lithium-ion cells", "420", "16", "8", "3", "850760", "78.00", "battery", "深圳市能量派科技有限公司", "0.13"),
    ("PA-CASE-I15", "PA-CASE", "Clear shockproof case for iPhone 15", "iPhone 15 透明防摔手机壳", "phone_accessories", "TPU", "32", "17", "9", "1.5", "392690", "3.20", "", "东莞市塑胶制品厂", "0.13"),
    ("PA-CASE-S24", "PA-CASE", "Clear shockproof case for Galaxy S24", "Galaxy S24 透明防摔手机壳", "phone_accessories", "TPU", "30", "17", "9", "1.5", "392690", "3.20", "", "东莞市塑胶制品厂", "0.13"),
    ("PA-SP-I15", "PA-SP", "Tempered glass screen protector iPhone 15 (2 pack)", "iPhone 15 钢化玻璃膜（2 片装）", "phone_accessories", "tempered glass", "60", "19", "11", "1", "700719", "2.60", "", "深圳市晶盾光学玻璃厂", "0.13"),
    ("PA-MNT-MAG", "PA-MNT", "Magnetic car phone mount for air vent", "磁吸车载手机支架（出风口）", "phone_accessories", "aluminium alloy, N52 magnets", "75", "8", "6", "5", "830230", "9.80", "magnet", "深圳市华强电子线材厂", "0.13"),
    # LED lighting
    ("LED-STRIP-5M", "LED-STRIP", "RGB LED strip 5 m with app control", "RGB LED 灯带 5 米（APP 控制）", "led_lighting", "PCB, silicone", "260", "15", "15", "4", "940542", "24.00", "", "中山市古镇光源照明厂", "0.13"),
    ("LED-STRIP-10M", "LED-STRIP", "RGB LED strip 10 m with app control", "RGB LED 灯带 10 米（APP 控制）", "led_lighting", "PCB, silicone", "480", "18", "18", "5", "940542", "41.00", "", "中山市古镇光源照明厂", "0.13"),
    ("LED-DESK-01", "LED-DESK", "Dimmable LED desk lamp with USB port", "可调光 LED 台灯（带 USB 口）", "led_lighting", "aluminium, ABS", "850", "42", "18", "10", "940521", "58.00", "", "中山市古镇光源照明厂", "0.13"),
    ("LED-BULB-E27", "LED-BULB", "E27 LED bulb 9 W warm white (4 pack)", "E27 LED 球泡灯 9W 暖白（4 只装）", "led_lighting", "PC, aluminium", "220", "24", "13", "7", "853952", "12.40", "", "中山市古镇光源照明厂", "0.13"),
    ("LED-SOLAR-GL", "LED-SOLAR", "Solar garden path lights (8 pack)", "太阳能草坪灯（8 只装）", "led_lighting", "stainless steel, ABS, NiMH cell", "1300", "40", "22", "10", "940542", "46.00", "battery", "宁波市阳光照明电器厂", "0.13"),
    ("LED-NIGHT-01", "LED-NIGHT", "Motion sensor night light, rechargeable (3 pack)", "人体感应小夜灯（充电款，3 只装）", "led_lighting", "ABS, lithium cell", "260", "15", "10", "6", "940542", "21.00", "battery", "宁波市阳光照明电器厂", "0.13"),
    ("LED-CAMP-01", "LED-CAMP", "LED camping lantern, collapsible", "LED 折叠露营灯", "led_lighting", "ABS, silicone", "340", "14", "14", "8", "940542", "19.50", "", "宁波市阳光照明电器厂", "0.13"),
    # sportswear
    ("SW-LEG-BLK-M", "SW-LEG", "High-waist yoga leggings black, size M", "高腰瑜伽裤 黑色 M 码", "sportswear", "75% nylon, 25% spandex knit", "220", "25", "20", "3", "610463", "22.00", "", "义乌市运动服饰有限公司", "0.13"),
    ("SW-LEG-BLK-L", "SW-LEG", "High-waist yoga leggings black, size L", "高腰瑜伽裤 黑色 L 码", "sportswear", "75% nylon, 25% spandex knit", "230", "25", "20", "3", "610463", "22.00", "", "义乌市运动服饰有限公司", "0.13"),
    ("SW-TEE-WHT-M", "SW-TEE", "Cotton crew-neck T-shirt white, size M", "纯棉圆领 T 恤 白色 M 码", "sportswear", "100% cotton jersey", "180", "28", "22", "2", "610910", "13.50", "", "义乌市运动服饰有限公司", "0.13"),
    ("SW-TEE-WHT-L", "SW-TEE", "Cotton crew-neck T-shirt white, size L", "纯棉圆领 T 恤 白色 L 码", "sportswear", "100% cotton jersey", "195", "28", "22", "2", "610910", "13.50", "", "义乌市运动服饰有限公司", "0.13"),
    ("SW-BRA-M", "SW-BRA", "Medium-support sports bra, size M", "中强度运动内衣 M 码", "sportswear", "polyester, spandex", "90", "20", "18", "3", "621210", "16.00", "", "汕头市内衣制造厂", "0.13"),
    ("SW-SOCK-6P", "SW-SOCK", "Cotton ankle sports socks (6 pairs)", "纯棉运动短袜（6 双装）", "sportswear", "80% cotton, 18% polyester, 2% spandex", "240", "22", "18", "5", "611595", "11.00", "", "诸暨市大唐袜业有限公司", "0.13"),
    ("SW-CAP-01", "SW-CAP", "Quick-dry running cap", "速干跑步帽", "sportswear", "polyester", "70", "26", "18", "10", "650500", "8.50", "", "义乌市运动服饰有限公司", "0.13"),
    ("SW-BAND-SET", "SW-BAND", "Resistance bands set (5 levels)", "弹力带套装（5 档）", "sportswear", "natural latex", "280", "18", "12", "6", "950691", "15.00", "", "丹阳市健身器材厂", "0.13"),
    # kitchen gadgets
    ("KT-SPAT-SET", "KT-SPAT", "Silicone spatula set (5 pieces)", "硅胶铲勺套装（5 件）", "kitchen", "food-grade silicone, stainless steel core", "310", "32", "10", "5", "392410", "14.00", "", "阳江市厨具有限公司", "0.13"),
    ("KT-GARLIC-01", "KT-GARLIC", "Stainless steel garlic press", "不锈钢压蒜器", "kitchen", "304 stainless steel", "240", "19", "6", "4", "820551", "9.00", "", "阳江市厨具有限公司", "0.13"),
    ("KT-PEEL-2P", "KT-PEEL", "Swivel vegetable peeler (2 pack)", "旋转削皮刀（2 只装）", "kitchen", "stainless steel blade, ABS handle", "80", "18", "8", "2", "820551", "4.20", "", "阳江市厨具有限公司", "0.13"),
    ("KT-SPOON-SET", "KT-SPOON", "Stainless steel measuring spoons (6 pieces)", "不锈钢量勺（6 件套）", "kitchen", "304 stainless steel", "150", "16", "8", "3", "732393", "7.80", "", "揭阳市五金制品厂", "0.13"),
    ("KT-OIL-SPRAY", "KT-OIL", "Glass olive oil sprayer 180 ml", "玻璃喷油壶 180ml", "kitchen", "glass, PP", "210", "20", "5", "5", "701337", "6.90", "", "揭阳市五金制品厂", "0.13"),
    ("KT-SCALE-01", "KT-SCALE", "Digital kitchen scale 5 kg", "电子厨房秤 5kg", "kitchen", "tempered glass, ABS", "520", "22", "18", "3", "842310", "21.00", "battery", "中山市衡器有限公司", "0.13"),
    ("KT-CLIP-12P", "KT-CLIP", "Bag sealing clips (12 pack)", "密封夹（12 只装）", "kitchen", "PP", "90", "15", "10", "3", "392490", "3.60", "", "阳江市厨具有限公司", "0.13"),
    # toys
    ("TY-FIDGET-01", "TY-FIDGET", "Pop-it fidget toy, rainbow", "彩虹解压泡泡玩具", "toys", "silicone", "60", "13", "13", "2", "950300", "2.40", "", "汕头市澄海玩具厂", "0.13"),
    ("TY-BLOCK-500", "TY-BLOCK", "Building blocks set 500 pieces", "积木套装 500 颗粒", "toys", "ABS", "780", "30", "22", "8", "950300", "32.00", "", "汕头市澄海玩具厂", "0.13"),
    ("TY-PLUSH-30", "TY-PLUSH", "Plush dinosaur 30 cm", "恐龙毛绒玩具 30 厘米", "toys", "polyester plush, PP cotton", "260", "30", "18", "14", "950300", "15.50", "", "扬州市毛绒玩具厂", "0.13"),
    ("TY-RC-CAR", "TY-RC", "Remote control stunt car 2.4 GHz", "2.4G 遥控特技车", "toys", "ABS, lithium battery pack", "650", "28", "18", "12", "950300", "45.00", "battery", "汕头市澄海玩具厂", "0.13"),
    ("TY-MAGTILE-60", "TY-MAGTILE", "Magnetic building tiles (60 pieces)", "磁力片积木（60 片）", "toys", "ABS, ferrite magnets", "1150", "35", "25", "10", "950300", "68.00", "magnet", "汕头市澄海玩具厂", "0.13"),
    ("TY-PUZZLE-1000", "TY-PUZZLE", "Jigsaw puzzle 1000 pieces", "1000 片拼图", "toys", "cardboard", "600", "30", "22", "6", "950590", "18.00", "", "温州市纸品印刷厂", "0.13"),
    ("TY-BUBBLE-GUN", "TY-BUBBLE", "Bubble gun with solution", "泡泡枪（含泡泡液）", "toys", "ABS, soap solution", "380", "24", "18", "8", "950300", "16.00", "battery,liquid", "汕头市澄海玩具厂", ""),
]

CHANNEL_PLAN = {
    "phone_accessories": ["amazon-us", "amazon-de", "amazon-uk", "ebay"],
    "led_lighting": ["amazon-us", "amazon-de", "shopify"],
    "sportswear": ["amazon-us", "amazon-uk", "shopify"],
    "kitchen": ["amazon-us", "amazon-jp", "ebay"],
    "toys": ["amazon-us", "amazon-de", "amazon-jp"],
}

PRICE_MARKUP = {"amazon-us": ("USD", "0.55"), "amazon-de": ("EUR", "0.50"), "amazon-uk": ("GBP", "0.43"),
                "amazon-jp": ("JPY", "80"), "ebay": ("USD", "0.50"), "shopify": ("USD", "0.60")}


# The US HTS lines of the SKUs whose 6-digit subheading carries several US rates: without them the
# US duty of their orders cannot be computed (the landed cost asks for the line rather than guess).
# Chosen by us from the HTSUS 2025 basic edition texts (../shared/data/tariffs) for each product's
# material and use, for demonstration; a seller checks them (or a ruling) before relying on them.
# KT-OIL-SPRAY is left without one on purpose: its order lines and Customs → Tariff lines show how a
# missing line is reported and picked.
US_HTS: dict[str, str] = {
    "PA-CBL-C1M": "8544429090", "PA-CBL-C2M": "8544429090", "PA-CBL-L1M": "8544429090",  # cables with connectors, other
    "PA-CASE-I15": "3926909989", "PA-CASE-S24": "3926909989",  # other articles of plastics, other
    "PA-MNT-MAG": "8302303060",  # mountings for motor vehicles, of aluminum
    "LED-STRIP-5M": "9405428440", "LED-STRIP-10M": "9405428440", "LED-NIGHT-01": "9405428440",
    "LED-CAMP-01": "9405428440",  # LED lamps, not of base metal, other
    "LED-SOLAR-GL": "9405426000",  # LED lamps of base metal (stainless steel), other
    "LED-DESK-01": "9405216010",  # LED table lamps of base metal (aluminium), household
    "KT-SPAT-SET": "3924104000",  # plastic kitchenware, other
    "KT-GARLIC-01": "8205513030", "KT-PEEL-2P": "8205513030",  # household tools of steel: kitchen implements
    "KT-CLIP-12P": "3924905650",  # other household articles of plastics
    "SW-LEG-BLK-M": "6104632006", "SW-LEG-BLK-L": "6104632006",  # women's synthetic knit trousers, >= 5 % elastomeric
    "SW-BRA-M": "6212109020",  # brassieres of man-made fibres
    "SW-CAP-01": "6505008090",  # headgear of man-made fibres, not knitted, other
    "SW-SOCK-6P": "6115959000",  # cotton socks without lace or net, other
}
