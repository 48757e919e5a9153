"""Masking of sensitive personal information (names, id numbers, phones).

>>> mask_name("张三丰")
'张**'
>>> mask_id("53010219800101123X")
'5301**********123X'
>>> mask_phone("13900005678")
'139****5678'
"""

from __future__ import annotations

__all__ = ["mask_name", "mask_id", "mask_phone"]


def mask_name(name: str) -> str:
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_id(id_number: str) -> str:
    if not id_number or len(id_number) < 8:
        return "*" * len(id_number or "")
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str) -> str:
    if not phone or len(phone) < 7:
        return "*" * len(phone or "")
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
