"""Realistic fictional people for demo data and benchmarks: Chinese names, valid 18-digit IDs
(GB 11643 check digit), mobile numbers. Deterministic for a given random.Random."""

from __future__ import annotations

import random
from datetime import date, timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建国红梅志强海燕德胜文斌淑珍春花永福学军金凤小龙宏伟晓东丽娟建华桂芳玉梅"
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
AREA_CODES = ("620981", "620982", "620902", "620921", "620922", "620923", "620924", "620925", "110105", "440305")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def id_number(rng: random.Random, sex: str, born: date) -> str:
    order = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
    first17 = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def birth_date(rng: random.Random) -> date:
    return date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"


def person(rng: random.Random) -> dict[str, object]:
    """The fields of a natural-person party, consistent with each other (ID ↔ sex ↔ birth date)."""
    sex = rng.choice(("男", "女"))
    born = birth_date(rng)
    return {
        "name": person_name(rng), "sex": sex, "birth_date": born, "ethnicity": rng.choice(("汉族",) * 9 + ("回族",)),
        "id_type": "居民身份证", "id_number": id_number(rng, sex, born), "phone": mobile(rng),
    }
