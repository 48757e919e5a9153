"""Value normalisers from the data contract.

Each normaliser takes one raw cell (text) and returns ``Norm(value, error)``:
``value`` is the clean value or ``None``; ``error`` is a Chinese reason when
the cell held something that could not be read. Tables are normalised per
*distinct* value (see :func:`normalise_column`), so millions of rows cost only
as much as their distinct values.

>>> norm_id_number("11010519491231002x").value
'11010519491231002X'
>>> norm_date("2024年3月5日").value
(datetime.date(2024, 3, 5), 'D')
>>> norm_name("张 三").value
'张三'
>>> norm_phone("+86 139-0000-1111转8001").value
('13900001111',)
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources
import re
from functools import lru_cache
import unicodedata
from typing import Any, Callable, NamedTuple

import pandas as pd
from stdnum.cn import ric, uscc

__all__ = [
    "Norm", "LEVELS", "LEVEL_ORDER", "norm_text", "norm_name", "norm_id_number",
    "norm_credit_code", "norm_date", "norm_int", "norm_year", "norm_float", "norm_bool",
    "norm_list", "norm_phone", "norm_email", "norm_level", "norm_series", "norm_unit_name",
    "normalise_column", "name_is_lossy", "NORMALISERS",
]


class Norm(NamedTuple):
    value: Any
    error: str | None = None
    flag: str | None = None  # kept, but marked (e.g. an id number that fails its check)


EMPTY = Norm(None)

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DOTS = re.compile(r"[·•．・‧∙⋅･]")


# C0 and C1 control characters except tab and line breaks: they cannot be written to Excel and never belong
# to a name or an id.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_FLAG = "含控制字符(如NUL),已删除"


def _nfkc(raw: Any) -> str:
    if raw is None:
        return ""
    s = unicodedata.normalize("NFKC", _CONTROL.sub("", str(raw)))
    return s.strip().strip("\u3000").strip()


def _has_control(raw: Any) -> bool:
    return raw is not None and bool(_CONTROL.search(str(raw)))


def norm_text(raw: Any) -> Norm:
    """Trimmed NFKC text; control characters are removed with a warning (tab and line breaks stay).

    >>> norm_text("王" + chr(0) + "五")
    Norm(value='王五', error=None, flag='含控制字符(如NUL),已删除')
    """
    s = _nfkc(raw)
    return Norm(s, flag=CONTROL_FLAG if _has_control(raw) else None) if s else EMPTY


def name_is_lossy(name: str | None) -> bool:
    """A name holding ``?`` or ``�`` lost characters to GBK and never matches another."""
    return bool(name) and ("?" in name or "\ufffd" in name)  # type: ignore[operator]


def norm_name(raw: Any) -> Norm:
    s = _nfkc(_DOTS.sub("·", str(raw)) if raw is not None else raw)
    if not s:
        return EMPTY
    s = re.sub(r"(?<=[\u3400-\u9fff])\.(?=[\u3400-\u9fff])", "·", _DOTS.sub("·", s))
    if _CJK.search(s):
        s = _SPACES.sub("", s)
    else:
        s = _SPACES.sub(" ", s)
    flag = "姓名含乱码字符(?或�),不参与同名匹配" if name_is_lossy(s) else CONTROL_FLAG if _has_control(raw) else None
    return Norm(s, flag=flag)


def norm_unit_name(raw: Any) -> str | None:
    """Unit names compare after NFKC and with all white space removed."""
    s = _nfkc(raw)
    if not s:
        return None
    return _SPACES.sub("", s)


_SCI = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.I)


def norm_id_number(raw: Any) -> Norm:
    """居民身份证号: 18 characters, MOD 11-2 check; a 15-digit number is upgraded.

    A value that fails the check is kept as written and flagged; a value Excel
    mangled (scientific notation, zeroed last digits) is an error.
    """
    s = _SPACES.sub("", _nfkc(raw)).upper()
    if not s:
        return EMPTY
    if _SCI.match(s):
        return Norm(None, "身份证号被Excel转为科学计数法,原值已丢失")
    if re.fullmatch(r"\d{15}", s):
        body = s[:6] + "19" + s[6:]
        s = body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit
    if not re.fullmatch(r"\d{17}[\dX]", s):
        if re.fullmatch(r"\d{17}[\dX]\.0+", s):
            return Norm(None, "身份证号被Excel转为数字,末位可能已丢失")
        return Norm(s, flag="身份证号格式不符(应为18位)")
    if not ric_valid(s):
        return Norm(s, flag="身份证号校验位或出生日期错误")
    return Norm(s)


EXCEL_ZEROED = "身份证号被Excel存为数字,后三位已变为000,原值已丢失"


def excel_zeroed(values: pd.Series) -> pd.Series:
    """Which id numbers of one column Excel zeroed, judged by the column, not by one value's ending.

    Excel keeps 15 significant digits, so a column it stored as numbers ends every id in ``000`` (all but the
    ``X`` ones, which stay text); among real numbers about one in a thousand does. A column is taken as zeroed
    when at least two of its digit-final ids end in ``000`` and they are at least half of them: then every such
    value is mangled, even one whose check digit happens to pass. Elsewhere ``…000`` is judged like any id.

    >>> excel_zeroed(pd.Series(["530102199001011000", "530102199203041000", "53010219900101123X"])).tolist()
    [True, True, False]
    >>> excel_zeroed(pd.Series(["110105194912310000", "530102199001011231"])).tolist()
    [False, False]
    """
    s = values.astype(object)
    text = s.where(s.map(lambda v: isinstance(v, str) and len(v) == 18), None)
    ends = text.str.endswith("000").fillna(False).astype(bool)
    digit_final = text.str[-1].str.isdigit().fillna(False).astype(bool)
    n000 = int(ends.sum())
    if n000 >= 2 and 2 * n000 >= int(digit_final.sum()):
        return ends
    return pd.Series(False, index=values.index)


def id_is_valid(s: str | None) -> bool:
    return bool(s) and ric_valid(s)  # type: ignore[arg-type]


@lru_cache(maxsize=1 << 20)
def ric_valid(s: str) -> bool:
    """Valid exactly as the data contract defines it: 18 characters (17 digits and a digit or ``X``), the
    ISO 7064 MOD 11-2 check character right, and digits 7-14 a real calendar date. Nothing else counts against
    a number: the region code (digits 1-6) is never looked up, because a number keeps the code of the office
    that first issued it, often a district created or renamed after its holder was born.

    >>> ric_valid("530102199001011231"), ric_valid("440304199001011233")  # codes stdnum dates after 1970
    (True, True)
    >>> ric_valid("530102199002301236")  # 30 February
    False
    """
    if not re.fullmatch(r"[0-9]{17}[0-9X]", s) or ric.calc_check_digit(s) != s[-1]:
        return False
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:  # not a calendar date
        return False
    return True


def birth_date_from_id(s: str) -> dt.date | None:
    try:
        return ric.get_birth_date(s)
    except Exception:
        return None


def gender_from_id(s: str) -> str | None:
    return ("男" if int(s[16]) % 2 else "女") if len(s) == 18 and s[16].isdigit() else None


def norm_credit_code(raw: Any) -> Norm:
    """统一社会信用代码 (GB 32100-2015), check character verified with python-stdnum."""
    s = _SPACES.sub("", _nfkc(raw)).upper()
    if not s:
        return EMPTY
    if _SCI.match(s):
        return Norm(None, "统一社会信用代码被Excel转为科学计数法")
    if not uscc.is_valid(s):
        return Norm(s, flag="统一社会信用代码校验失败")
    return Norm(s)


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"), "D"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "D"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?(?:份)?$"), "M"),
    (re.compile(r"^(\d{4})年?(?:度)?$"), "Y"),
]


def norm_date(raw: Any) -> Norm:
    """A date as ``(date, precision)``, precision ``D``, ``M`` or ``Y``.

    Handles ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日``,
    ``20240305``, timestamps, Excel serials, year-month and a bare year. A
    four-digit number from 1900 to 2100 is a year, never an Excel serial.
    ``1975.1`` may be Excel's rendering of ``1975.10``, so it keeps only the year.
    """
    s = _SPACES.sub(" ", _nfkc(raw)).strip()
    if not s:
        return EMPTY
    if isinstance(raw, (dt.datetime, pd.Timestamp)):
        return Norm((raw.date(), "D"))
    if isinstance(raw, dt.date):
        return Norm((raw, "D"))
    for pat, prec in _DATE_PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        y = int(m.group(1))
        if not 1900 <= y <= 2100:
            break
        try:
            if prec == "D":
                return Norm((dt.date(y, int(m.group(2)), int(m.group(3))), "D"))
            if prec == "M":
                mo = int(m.group(2))
                if re.fullmatch(r"\d{4}\.1", s):  # 1975.10 shown by Excel as 1975.1
                    return Norm((dt.date(y, 1, 1), "Y"), flag="年月写作YYYY.1,无法区分1月与10月,仅取年份")
                return Norm((dt.date(y, mo, 1), "M"))
            return Norm((dt.date(y, 1, 1), "Y"))
        except ValueError:
            return Norm(None, f"日期不存在: {s}")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        serial = float(s)
        if 1 <= serial < 2958466 and not (1900 <= serial <= 2100 and "." not in s):
            d = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
            if 1900 <= d.year <= 2100:
                return Norm((d, "D"))
    return Norm(None, f"无法识别的日期: {s}")


def norm_year(raw: Any) -> Norm:
    s = _nfkc(raw)
    if not s:
        return EMPTY
    m = re.fullmatch(r"(\d{4})(?:\.0)?\s*(?:年度|年)?", s)
    if m and 1900 <= int(m.group(1)) <= 2100:
        return Norm(int(m.group(1)))
    return Norm(None, f"无法识别的年度: {s}")


def norm_int(raw: Any) -> Norm:
    s = _nfkc(raw)
    if not s:
        return EMPTY
    m = re.fullmatch(r"(-?\d+)(?:\.0+)?\s*(?:人|名|个)?", s)
    if m:
        return Norm(int(m.group(1)))
    return Norm(None, f"不是整数: {s}")


def norm_float(raw: Any) -> Norm:
    s = _nfkc(raw)
    if not s:
        return EMPTY
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(?:分)?", s)
    if m:
        return Norm(float(m.group(1)))
    return Norm(None, f"不是数值: {s}")


_TRUE = {"是", "有", "y", "yes", "true", "t", "1", "√", "✓", "✔", "通过", "合格", "符合", "已", "已举办", "已实行"}
_FALSE = {"否", "无", "n", "no", "false", "f", "0", "×", "✗", "✘", "x", "不通过", "未通过",
          "不合格", "不符合", "未", "未举办", "未实行"}


def norm_bool(raw: Any) -> Norm:
    s = _nfkc(raw).lower()
    if not s:
        return EMPTY
    if s in _TRUE:
        return Norm(True)
    if s in _FALSE:
        return Norm(False)
    return Norm(None, f"无法识别的是/否值: {s}")


_LIST_SEP = re.compile(r"[;；、,，]")


def norm_list(raw: Any) -> Norm:
    s = _nfkc(raw)
    if not s:
        return EMPTY
    items = tuple(x for x in (_SPACES.sub("", p) for p in _LIST_SEP.split(s)) if x)
    return Norm(items) if items else EMPTY


_PHONE_SPLIT = re.compile(r"[,;；、/，\s]+")


def _one_phone(p: str) -> str | None:
    p = p.strip()
    if not p:
        return None
    p = re.sub(r"(转|ext\.?|分机)\s*\d+$", "", p, flags=re.I)
    digits = re.sub(r"\D", "", p)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif p.lstrip().startswith("+86") or (digits.startswith("86") and len(digits) == 13):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    # Landline: area code (0 + 2-3 digits) and a 7-8 digit number; an extension after '-' drops.
    m = re.fullmatch(r"(0\d{2,3})[-\s]?(\d{7,8})(?:[-\s]\d{1,6})?", re.sub(r"^\+?86[-\s]?", "", p).replace("(", "").replace(")", "-").strip())
    if m:
        return m.group(1) + m.group(2)
    m = re.fullmatch(r"(\d{7,8})(?:-\d{1,6})?", p)
    if m:
        return m.group(1)
    if 7 <= len(digits) <= 12:
        return digits
    return None


def norm_phone(raw: Any) -> Norm:
    """Digits only; ``+86``/``0086`` removed; extensions dropped; several per cell."""
    s = _nfkc(raw)
    if not s:
        return EMPTY
    # Split on separators, but keep "0871 65123456" together.
    parts = [x for x in _PHONE_SPLIT.split(s) if x]
    out: list[str] = []
    i = 0
    while i < len(parts):
        cand = parts[i]
        if re.fullmatch(r"\+?(0086|86)?0\d{2,3}", cand) and i + 1 < len(parts):
            cand = cand + "-" + parts[i + 1]
            i += 1
        elif re.fullmatch(r"\+?(0086|86)", cand) and i + 1 < len(parts):
            cand = parts[i + 1]
            i += 1
        ph = _one_phone(cand)
        if ph and ph not in out:
            out.append(ph)
        i += 1
    if not out:
        return Norm(None, f"无法识别的电话: {s}")
    return Norm(tuple(out))


def is_mobile(p: str) -> bool:
    return len(p) == 11 and p.startswith("1")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def norm_email(raw: Any) -> Norm:
    s = _SPACES.sub("", _nfkc(raw)).lower()
    if not s:
        return EMPTY
    return Norm(s) if _EMAIL.match(s) else Norm(None, f"无法识别的电子邮箱: {s}")


LEVEL_ORDER = {"初级": 1, "中级": 2, "副高级": 3, "正高级": 4}


def _load_titles() -> tuple[dict[str, str], dict[str, str]]:
    titles: dict[str, str] = {}
    series: dict[str, str] = {}
    pkg = importlib.resources.files("zcgraph.loaders") / "data"
    with (pkg / "titles.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            titles[row["title"]] = row["level"]
    with (pkg / "series.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for syn in row["synonyms"].split(";"):
                series[syn] = row["series"]
            series[row["series"]] = row["series"]
    return titles, series


TITLES, SERIES = _load_titles()
LEVELS = tuple(LEVEL_ORDER)
_LEVEL_SYN = {"正高": "正高级", "副高": "副高级", "高级": "副高级", "中": "中级", "初": "初级",
              "助理级": "初级", "员级": "初级"}


def norm_level(raw: Any) -> Norm:
    """正高级/副高级/中级/初级, or a title name mapped through ``data/titles.csv``."""
    s = _SPACES.sub("", _nfkc(raw))
    if not s:
        return EMPTY
    if s in LEVEL_ORDER:
        return Norm(s)
    if s in _LEVEL_SYN:
        return Norm(_LEVEL_SYN[s])
    if s in TITLES:
        return Norm(TITLES[s])
    return Norm(None, f"无法识别的职称级别: {s}")


def norm_series(raw: Any) -> Norm:
    s = _SPACES.sub("", _nfkc(raw))
    if not s:
        return EMPTY
    if s in SERIES:
        return Norm(SERIES[s])
    stripped = re.sub(r"(系列|专业技术人员|人员)$", "", s)
    return Norm(SERIES.get(stripped, stripped))


NORMALISERS: dict[str, Callable[[Any], Norm]] = {
    "text": norm_text, "name": norm_name, "id_number": norm_id_number,
    "credit_code": norm_credit_code, "date": norm_date, "int": norm_int, "float": norm_float,
    "bool": norm_bool, "list": norm_list, "phone": norm_phone, "email": norm_email,
    "level": norm_level, "series": norm_series, "year": norm_year,
}


def normalise_column(values: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Normalise a text column through its distinct values.

    Returns ``(values, errors, flags)`` aligned with the input; ``errors`` and
    ``flags`` hold a reason or ``None``.
    """
    fn = NORMALISERS[kind]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [fn(u) for u in uniques]
    n = len(values)
    vals = [r.value for r in results]
    errs = [r.error for r in results]
    flags = [r.flag for r in results]

    def take(col: list[Any]) -> pd.Series:
        arr = pd.Series(col + [None], dtype=object).to_numpy()
        idx = codes.copy()
        idx[idx < 0] = len(col)
        return pd.Series(arr[idx], index=values.index, dtype=object) if n else pd.Series([], dtype=object)

    return take(vals), take(errs), take(flags)
