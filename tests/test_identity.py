"""Identity resolution and its traps."""

from __future__ import annotations

import pandas as pd
from conftest import ID_A, ID_B, write_csv

from zcgraph.graph.build import build_store
from zcgraph.loaders.load import load_folder

ID_C = "532322197503040017"  # a valid Yunnan id (check digit computed below if needed)


def _valid(body17: str) -> str:
    from stdnum.cn import ric
    return body17 + ric.calc_check_digit(body17 + "0")


ID_C = _valid("53232219750304001")
ID_D = _valid("53232219750304003")


def _store(d):
    return build_store(load_folder(d))


def _persons_named(store, name):
    p = store.nodes["Person"]
    return p[p["name"] == name]


def test_same_valid_id_across_tables_is_one_person(minimal):
    write_csv(minimal / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号"], [["E1", "PW01", "张 三", ID_A]])
    s = _store(minimal)
    assert len(_persons_named(s, "张三")) == 1
    assert "身份证号一致" in s.merge_counts()


def test_invalid_id_never_merges_two_people(minimal):
    bad = ID_A[:-1] + ("1" if ID_A[-1] != "1" else "2")
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号"],
              [["A1", "2024", "张三", bad, "PW01"], ["A2", "2024", "张三", bad, "PW01"]])
    s = _store(minimal)
    assert len(_persons_named(s, "张三")) == 2  # an unverified id never joins records


def test_homonyms_with_different_birth_dates_stay_apart(minimal):
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "出生日期", "评委会编号"],
              [["A1", "2024", "王芳", "1980-01-01", "PW01"], ["A2", "2024", "王芳", "1981-02-02", "PW01"]])
    assert len(_persons_named(_store(minimal), "王芳")) == 2


def test_name_and_full_birth_date_merge_without_id_as_probable(minimal):
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "出生日期", "评委会编号"],
              [["A1", "2023", "王芳", ID_C, "", "PW01"], ["A2", "2024", "王芳", "", "1975-03-04", "PW01"]])
    s = _store(minimal)
    assert len(_persons_named(s, "王芳")) == 1
    assert s.merge_counts().get("姓名与出生日期一致") == 1
    assert s.merges.loc[s.merges["reason"] == "name_birth", "confidence"].iloc[0] < 1


def test_same_name_and_birth_but_two_valid_ids_are_two_people_and_idless_mention_joins_neither(minimal):
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "出生日期", "评委会编号"],
              [["A1", "2023", "王芳", ID_C, "", "PW01"], ["A2", "2023", "王芳", ID_D, "", "PW01"],
               ["A3", "2024", "王芳", "", "1975-03-04", "PW01"]])
    s = _store(minimal)
    assert len(_persons_named(s, "王芳")) == 3
    assert len(s.rels["POSSIBLY_SAME"]) >= 2


def test_year_month_birth_date_is_not_enough_to_merge(minimal):
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "出生年月", "评委会编号"],
              [["A1", "2023", "王芳", "1975.03", "PW01"], ["A2", "2024", "王芳", "1975.03", "PW01"]])
    assert len(_persons_named(_store(minimal), "王芳")) == 2


def test_same_name_and_employer_only_links_possibly_same(minimal):
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "工作单位", "评委会编号"],
              [["A1", "2023", "王芳", "云南大学", "PW01"], ["A2", "2024", "王芳", "云南大学", "PW01"]])
    s = _store(minimal)
    assert len(_persons_named(s, "王芳")) == 2
    ps = s.rels["POSSIBLY_SAME"]
    assert (ps["reason"] == "姓名与单位相同").sum() == 1


def test_lossy_names_never_match(minimal):
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "出生日期", "评委会编号"],
              [["A1", "2023", "王?", "1975-03-04", "PW01"], ["A2", "2024", "王?", "1975-03-04", "PW01"]])
    assert len(_persons_named(_store(minimal), "王?")) == 2


def _units_fixture(d):
    write_csv(d / "units.csv", ["单位名称", "统一社会信用代码", "别名", "上级单位", "类型"], [
        ["昆明医科大学第一附属医院", "", "昆医附一院;昆医大附一院", "云南省卫生健康委员会", "用人单位"],
        ["昆明医科大学第一附属医院心内科", "", "", "昆明医科大学第一附属医院", "内设机构"],
        ["昆明医科大学第一附属医院心内科导管室", "", "", "昆明医科大学第一附属医院心内科", "内设机构"],
        ["云南省第一人民医院", "", "", "云南省卫生健康委员会", "用人单位"],
        ["云南省卫生健康委员会", "", "", "", "主管部门"],
    ])


def test_aliases_and_departments_roll_up_but_supervisors_do_not_join(minimal):
    _units_fixture(minimal)
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "工作单位", "评委会编号"],
              [["A1", "2024", "张三", ID_A, "昆医附一院", "PW01"],
               ["A2", "2024", "李四", ID_B, "昆明医科大学第一附属医院心内科导管室", "PW01"],
               ["A3", "2024", "王芳", ID_C, "云南省第一人民医院", "PW01"]])
    s = _store(minimal)
    app = s.tables["applications"].set_index("application_id")
    assert app.loc["A1", "unit_key"] == app.loc["A2", "rollup_key"] == app.loc["A1", "rollup_key"]
    assert app.loc["A3", "rollup_key"] != app.loc["A1", "rollup_key"]
    assert len(s.nodes["Unit"]) == 6  # the five listed units and the expert's employer (云南大学)


def test_employment_history_beats_a_stale_employer_column(minimal):
    _units_fixture(minimal)
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "工作单位", "评委会编号"],
              [["A1", "2024", "张三", ID_A, "昆医附一院", "PW01"]])  # stale: moved in 2023
    write_csv(minimal / "employment.csv", ["姓名", "身份证号", "工作单位", "开始日期", "结束日期"],
              [["张三", ID_A, "昆明医科大学第一附属医院", "2010-07-01", "2022-12-31"],
               ["张三", ID_A, "云南省第一人民医院", "2023-01-01", ""]])
    s = _store(minimal)
    pk = s.tables["applications"].loc[0, "person_key"]
    units = s.nodes["Unit"].set_index("unit_key")["name"]
    now = {units[k] for k in s.employers_as_of(pk, pd.Timestamp("2024-11-10"))}
    before = {units[k] for k in s.employers_as_of(pk, pd.Timestamp("2020-05-01"))}
    assert now == {"云南省第一人民医院"} and before == {"昆明医科大学第一附属医院"}


def test_expert_named_only_by_name_resolves_in_pool_or_is_rejected_when_ambiguous(minimal):
    write_csv(minimal / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号"],
              [["E1", "PW01", "李四", ID_B], ["E2", "PW01", "王芳", ID_C], ["E3", "PW01", "王芳", ID_D]])
    write_csv(minimal / "reviews.csv", ["申报编号", "专家姓名", "环节"],
              [["A1", "李四", "审阅"], ["A1", "王芳", "审阅"]])
    s = _store(minimal)
    assert list(s.rels["REVIEWED"]["expert_id"]) == ["E1"]
    rj = s.rejects[(s.rejects["action"] == "拒绝")]
    assert len(rj) == 1 and rj.iloc[0]["row"] == 3 and "2名专家" in rj.iloc[0]["reason"]


def test_every_node_and_relationship_carries_provenance(minimal):
    s = _store(minimal)
    for label in ("Person", "Application"):
        assert s.nodes[label]["_file"].notna().all()
    for t in ("APPLIED", "REVIEWED", "IN_POOL"):
        assert s.rels[t]["_file"].notna().all() and s.rels[t]["_row"].notna().all()


def test_the_two_unresolved_sides_of_one_relations_row_are_two_people(minimal):
    """Neither side has an id or a birth date: each stays its own person, never one node related to itself."""
    write_csv(minimal / "relations.csv", ["甲方姓名", "乙方姓名", "关系"], [["赵甲", "钱乙", "配偶"]])
    s = _store(minimal)
    a, b = _persons_named(s, "赵甲"), _persons_named(s, "钱乙")
    assert len(a) == 1 and len(b) == 1 and a["person_key"].iloc[0] != b["person_key"].iloc[0]
    rel = s.rels["RELATED"]
    assert len(rel) == 1 and (rel["src"] != rel["dst"]).all()


def test_people_born_before_their_district_code_existed_are_one_person_across_tables(minimal):
    """呈贡区 (530114) dates from 2011 in python-stdnum; its people born in 1960 keep that code on their ids."""
    idn = _valid("53011419600302123")
    write_csv(minimal / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "工作单位", "评委会编号"],
              [["A1", "2023", "孙七", idn, "医院", "PW01"], ["A2", "2024", "孙七", idn, "医院", "PW01"]])
    write_csv(minimal / "relations.csv", ["甲方姓名", "甲方身份证号", "乙方姓名", "乙方身份证号", "关系"],
              [["孙七", idn, "李四", ID_B, "配偶"]])
    s = _store(minimal)
    person = _persons_named(s, "孙七")
    assert len(person) == 1 and bool(person["id_valid"].iloc[0])
    assert str(person["birth_date"].iloc[0])[:10] == "1960-03-02"  # derived from the valid id
