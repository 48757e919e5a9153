"""Building blocks of a synthetic Yunnan-like title-evaluation world: names, ids, units."""

from __future__ import annotations

import datetime as dt
import random

from stdnum import numdb
from stdnum.cn import ric, uscc

SURNAMES = list("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
                "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌辉云海波宁琳晶燕萍鹏飞凯雪梅"
             "丹浩宇欣怡子涵思远嘉琪晓东春梅永福正德家豪俊峰振华立新玲琴慧颖翠")
MINORITY = ["阿依古丽·买买提", "扎西·多吉", "木拉提·艾力", "岩温·罕", "玉香·刀"]


def _region_codes() -> list[str]:
    """Every Yunnan code python-stdnum knows, whatever its validity range: most real codes carry one
    (``[1983-]五华区``, ``[2011-]呈贡区``), and a number keeps the code of the office that first issued it, so
    people born before their district existed are the rule, not the exception (data-contract.md, id_number)."""
    db = numdb.get("cn/loc")
    out = []
    for c in range(530000, 534000):
        info = {k: v for _, props in db.info(str(c)) for k, v in props.items()}
        if "county" in info:
            out.append(str(c))
    return out


REGIONS = _region_codes()
CITIES = ["昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄", "红河", "文山", "西双版纳", "大理",
          "德宏", "怒江", "迪庆"]
COUNTIES = ["富民", "宜良", "石林", "嵩明", "禄劝", "寻甸", "陆良", "师宗", "罗平", "富源", "会泽", "澄江", "通海", "华宁",
            "易门", "峨山", "新平", "元江", "施甸", "龙陵", "昌宁", "鲁甸", "巧家", "盐津", "大关", "永善", "绥江", "镇雄",
            "彝良", "威信", "永胜", "华坪", "宁蒗", "宁洱", "墨江", "景东", "景谷", "镇沅", "江城", "孟连", "澜沧", "西盟",
            "凤庆", "云县", "永德", "镇康", "双江", "耿马", "沧源", "双柏", "牟定", "南华", "姚安", "大姚", "永仁", "元谋",
            "武定", "禄丰", "建水", "石屏", "弥勒", "泸西", "元阳", "红河", "金平", "绿春", "河口", "砚山", "西畴", "麻栗坡",
            "马关", "丘北", "广南", "富宁", "勐海", "勐腊", "祥云", "宾川", "弥渡", "南涧", "巍山", "永平", "云龙", "洱源",
            "剑川", "鹤庆", "梁河", "盈江", "陇川", "福贡", "贡山", "兰坪", "德钦", "维西"]


def make_id(rng: random.Random, birth: dt.date, male: bool, used: set[str] | None = None) -> str:
    """A valid 居民身份证号 for a Yunnan county, unique within ``used``."""
    while True:
        region = rng.choice(REGIONS)
        seq = rng.randrange(0, 100) * 10 + rng.randrange(0, 5) * 2 + (1 if male else 0)
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        idn = body + ric.calc_check_digit(body + "0")
        if used is None or idn not in used:
            if used is not None:
                used.add(idn)
            return idn


def make_credit_code(rng: random.Random, kind: str = "12") -> str:
    # 12 = 事业单位, 11 = 机关, 91 = 企业
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = kind + "5301" + "00" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)  # takes the 17-character body


def make_name(rng: random.Random) -> str:
    if rng.random() < 0.01:
        return rng.choice(MINORITY)
    n = rng.choice((1, 2, 2, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def make_mobile(rng: random.Random, used: set[str]) -> str:
    while True:
        p = rng.choice(("139", "138", "137", "136", "135", "158", "159", "187", "188", "150", "151", "152", "183")) + \
            f"{rng.randrange(0, 10**8):08d}"
        if p not in used:
            used.add(p)
            return p
