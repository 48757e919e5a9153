"""Every normalisation the data contract names."""

from __future__ import annotations

import datetime as dt

import pytest

from zcgraph.loaders.normalize import (norm_bool, norm_credit_code, norm_date, norm_email, norm_id_number,
                                       norm_level, norm_list, norm_name, norm_phone, norm_series, norm_year)


def _with_check(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


class TestIdNumber:
    def test_lower_case_x_is_upper_cased_and_valid(self):
        n = norm_id_number("11010519491231002x")
        assert n.value == "11010519491231002X" and n.error is None and n.flag is None

    def test_full_width_digits_are_folded(self):
        assert norm_id_number("１１０１０５１９４９１２３１００２Ｘ").value == "11010519491231002X"

    def test_fifteen_digit_legacy_number_is_upgraded(self):
        assert norm_id_number("110105491231002").value == "11010519491231002X"

    def test_bad_check_digit_is_kept_and_flagged(self):
        n = norm_id_number("110105194912310021")
        assert n.value == "110105194912310021" and n.error is None and "校验" in n.flag

    def test_excel_scientific_notation_is_an_error(self):
        n = norm_id_number("5.30102E+17")
        assert n.value is None and "科学计数法" in n.error

    def test_one_id_ending_000_is_judged_like_any_other(self):
        # Its ending alone proves nothing: a valid number may end in 000, and one that fails its check is
        # flagged and kept, like any other (decision 49); only the column's evidence says "Excel zeroed it".
        valid = "530102199001041000"  # its check digit is 0
        assert norm_id_number(valid).value == valid and norm_id_number(valid).flag is None
        n = norm_id_number("530124198001011000")
        assert n.value == "530124198001011000" and n.error is None and "校验" in n.flag

    @pytest.mark.parametrize("number", [
        "530102199001011231", "440304199001011233",  # codes python-stdnum dates after 1970 ([1983-], [1990-])
        _with_check("53011419550302123"),  # 呈贡区 [2011-]: born 56 years before the code existed
        _with_check("53011519400101001"),  # 晋宁区 [2016-]
        _with_check("44030419820101002"),  # 上埗区办事处 [1983-1989], then 福田区: born before either
        _with_check("99999919800101001"),  # a region code no table knows: never invalidates (contract)
    ])
    def test_valid_means_check_digit_and_calendar_date_only(self, number):
        n = norm_id_number(number)
        assert n.value == number and n.error is None and n.flag is None

    def test_impossible_birth_date_is_invalid(self):
        n = norm_id_number(_with_check("53010219900230123"))  # 30 February
        assert n.error is None and "出生日期" in n.flag

    def test_fifteen_digit_number_with_a_new_region_code_is_upgraded_and_valid(self):
        n = norm_id_number("530114550302123")  # 呈贡区, 1955: the upgrade keeps the code as issued
        assert n.value == _with_check("53011419550302123") and n.flag is None

    def test_spaces_inside_are_removed(self):
        assert norm_id_number(" 110105 19491231 002X ").value == "11010519491231002X"


def test_credit_code_check_character():
    good = norm_credit_code("91530100MA6K0A0U4T")
    assert (good.flag is None) == __import__("stdnum.cn.uscc", fromlist=["x"]).is_valid("91530100MA6K0A0U4T")
    bad = norm_credit_code("91530100MA6K0A0U4X" if good.flag is None else "91530100MA6K0A0U4T")
    assert bad.value and bad.flag and "校验" in bad.flag


@pytest.mark.parametrize("raw,expected,prec", [
    ("2024-03-05", dt.date(2024, 3, 5), "D"),
    ("2024/3/5", dt.date(2024, 3, 5), "D"),
    ("2024.3.5", dt.date(2024, 3, 5), "D"),
    ("2024年3月5日", dt.date(2024, 3, 5), "D"),
    ("20240305", dt.date(2024, 3, 5), "D"),
    ("2024-03-05 14:30:00", dt.date(2024, 3, 5), "D"),
    ("2024-03-05T14:30", dt.date(2024, 3, 5), "D"),
    ("45356", dt.date(2024, 3, 5), "D"),          # Excel serial
    ("45356.5", dt.date(2024, 3, 5), "D"),
    ("1975.03", dt.date(1975, 3, 1), "M"),
    ("1975年3月", dt.date(1975, 3, 1), "M"),
    ("2023", dt.date(2023, 1, 1), "Y"),            # a year, never an Excel serial
    ("2024年度", dt.date(2024, 1, 1), "Y"),
    ("２０２４－０３－０５", dt.date(2024, 3, 5), "D"),
])
def test_dates(raw, expected, prec):
    n = norm_date(raw)
    assert n.error is None
    assert n.value == (expected, prec)


def test_excel_shortened_year_month_keeps_only_the_year():
    n = norm_date("1975.1")  # Excel's rendering of 1975.10
    assert n.value == (dt.date(1975, 1, 1), "Y") and n.flag


@pytest.mark.parametrize("raw", ["待定", "2024-02-30", "明年"])
def test_unreadable_dates_are_errors(raw):
    assert norm_date(raw).value is None and norm_date(raw).error


@pytest.mark.parametrize("raw,expected", [
    ("139-0000-1111", ("13900001111",)),
    ("+86 13900001111", ("13900001111",)),
    ("0086-13900001111", ("13900001111",)),
    ("0871-65123456转8001", ("087165123456",)),
    ("0871-65123456-8001", ("087165123456",)),
    ("(0871)65123456", ("087165123456",)),
    ("13900001111;0871-65123456", ("13900001111", "087165123456")),
    ("13900001111、13900002222", ("13900001111", "13900002222")),
])
def test_phones(raw, expected):
    assert norm_phone(raw).value == expected


@pytest.mark.parametrize("raw,expected", [
    ("张 三", "张三"), ("张\u3000三", "张三"), ("  李四 ", "李四"),
    ("阿依古丽•买买提", "阿依古丽·买买提"), ("阿依古丽．买买提", "阿依古丽·买买提"), ("ＡＢＣ", "ABC"),
])
def test_names(raw, expected):
    assert norm_name(raw).value == expected


def test_name_lost_to_gbk_is_flagged():
    assert norm_name("张?").flag and norm_name("王\ufffd").flag


@pytest.mark.parametrize("raw,expected", [
    ("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("n", False), ("TRUE", True),
    ("0", False), ("√", True), ("×", False), ("通过", True), ("不通过", False), ("合格", True), ("不合格", False),
])
def test_booleans(raw, expected):
    assert norm_bool(raw).value is expected


def test_unknown_boolean_is_an_error():
    assert norm_bool("也许").error


@pytest.mark.parametrize("raw,expected", [
    ("正高级", "正高级"), ("助理级", "初级"), ("员级", "初级"), ("主任医师", "正高级"), ("高级工程师", "副高级"),
    ("讲师", "中级"), ("副教授", "副高级"),
])
def test_levels(raw, expected):
    assert norm_level(raw).value == expected


def test_series_synonyms_fold():
    assert {norm_series(x).value for x in ("卫生", "卫生技术", "卫生系列")} == {"卫生"}


def test_lists_split_on_every_separator():
    assert norm_list("正高级;副高级；中级、初级,其他").value == ("正高级", "副高级", "中级", "初级", "其他")


def test_years_and_emails():
    assert norm_year("2024年度").value == 2024 and norm_year("待定").error
    assert norm_email(" Zhang@Example.CN ").value == "zhang@example.cn" and norm_email("zhang@").error
