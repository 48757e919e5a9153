"""A small hand-made data folder with a case that must raise each implemented rule and a near miss beside it."""

from __future__ import annotations

import random
from pathlib import Path

from stdnum.cn import ric

from conftest import write_csv


def valid_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


# People: applicants A*, experts X*. Ids are valid so identity is exact.
P = {k: valid_id(f"532322{1960 + i}{(i % 12) + 1:02d}{(i % 27) + 1:02d}{i:02d}1") for i, k in enumerate(
    ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "X1", "X2", "X3", "X4", "X5", "X6", "S1", "S2", "A10"],
    start=1)}


def build(d: Path) -> Path:
    apps = [
        # id, year, name, person, committee, series, level, eligible, result, publicity_start (end below)
        ["K1", "2024", "甲一", P["A1"], "C1", "卫生", "正高级", "是", "通过", "2024-06-03"],   # KIN: X1 reviews his child
        ["K2", "2024", "甲二", P["A2"], "C1", "卫生", "正高级", "是", "通过", "2024-06-03"],   # near miss: X2's sibling, X2 never acts
        ["K3", "2024", "甲三", P["A3"], "C1", "卫生", "正高级", "是", "未通过", "2024-06-03"],  # recusal declared, X1 acted anyway
        ["K4", "2024", "甲四", P["A4"], "C1", "工程", "正高级", "是", "通过", "2024-06-03"],   # GOV-SCOPE (series) + co-author in window
        ["K5", "2024", "甲五", P["A5"], "C1", "卫生", "副高级", "否", "通过", "2024-06-03"],   # GOV-SCOPE (level), PROC-INELIGIBLE
        ["K6", "2024", "甲六", P["A6"], "C1", "卫生", "正高级", "否", "", ""],                 # ineligible but never reached a meeting
        ["K7", "2024", "专家三", P["X3"], "C1", "卫生", "正高级", "是", "通过", "2024-06-03"],  # AVOID-SELF: X3 reviews himself
        ["K8", "2024", "甲八", P["A8"], "C2", "卫生", "正高级", "是", "通过", "2024-06-03"],   # secret ballot: X4's spouse; X5's student
        ["K9", "2024", "甲九", P["A9"], "C1", "卫生", "正高级", "是", "通过", "2024-06-10"],   # banned applicant; co-author too old
        ["K10", "2024", "甲七", P["A7"], "C1", "卫生", "正高级", "是", "通过", "2025-01-02"],  # ban ended before he applied
        ["K11", "2024", "甲十", P["A10"], "C1", "卫生", "正高级", "是", "通过", "2024-06-03"],  # passed without any trace
        # GOV-REGION: C5 covers 昆明市; C6 is 医院甲's self-evaluating committee. Pending, no meetings.
        ["K12", "2024", "丙一", "", "C5", "卫生", "正高级", "是", "", "2024-06-03"],  # 医院乙 (昆明市五华区): inside
        ["K13", "2024", "丙二", "", "C5", "卫生", "正高级", "是", "", "2024-06-03"],  # 大学丙 (曲靖市): outside
        ["K14", "2024", "丙三", "", "C5", "卫生", "正高级", "是", "", "2024-06-03"],  # 大学丙, but entrusted
        ["K15", "2024", "丙四", "", "C6", "卫生", "正高级", "是", "", "2024-06-03"],  # 医院乙 at 医院甲's committee
        ["K16", "2024", "丙五", "", "C6", "卫生", "正高级", "是", "", "2024-06-03"],  # 医院甲's own department
    ]
    # The employer's 公示: Monday to Friday is five working days; 7-13 June 2024 spans 端午 (four, a lead);
    # 7-14 June is five (no lead); K6 has none while others do (a lead); 10-14 June starts on 端午 (four).
    ends = {"K1": ("2024-06-07", "2024-06-13"), "K2": ("2024-06-07", "2024-06-14"), "K6": ("", ""),
            "K9": ("2024-06-10", "2024-06-14"), "K10": ("2025-01-02", "2025-01-08")}
    apps = [a[:9] + list(ends.get(a[0], (a[9], "2024-06-07"))) for a in apps]
    employer = {"K4": "医院甲心内科", "K7": "医院甲", "K10": "医院甲", "K13": "大学丙", "K14": "大学丙",
                "K16": "医院甲心内科"}
    agent = {"K5": "某咨询公司", "K9": "某咨询公司"}
    phone = {"K2": "13900000002",  # the licensed 人事代理 agency's own number
             # BROKER-CLUSTER: three applicants at three units (医院甲, 医院乙, 大学丙) give one mobile (a lead);
             # three applicants at two units give another (no lead).
             "K4": "13700000007", "K12": "13700000007", "K13": "13700000007",
             "K6": "13700000008", "K10": "13700000008", "K11": "13700000008"}
    # AVOID-LATENT: A1 (K1) gives E3's own mobile; A6 shares E2's mobile and another with A7 (K10, reviewed by E2);
    # one number is held by six applicants and E1: too many holders to mean anything.
    extra = {"K1": "13600000003", "K6": "13600000002;13600000009", "K10": "13600000009", "K2": "13600000010",
             "K3": "13600000010", "K9": "13600000010", "K12": "13600000010", "K13": "13600000010",
             "K15": "13600000010"}
    phone = {k: ";".join(x for x in (phone.get(k), extra.get(k)) if x) for k in set(phone) | set(extra)}
    apps = [a + [employer.get(a[0], "医院乙"), "是" if a[0] == "K14" else "", agent.get(a[0], ""), phone.get(a[0], "")]
            for a in apps]
    write_csv(d / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号", "申报系列", "申报级别",
                                       "资格审核结果", "评审结果", "单位公示开始日期", "单位公示结束日期", "工作单位",
                                       "委托评审", "代理人", "联系电话"], apps)
    write_csv(d / "intermediaries.csv", ["机构编号", "机构名称", "法定代表人", "联系电话", "类型"], [
        ["Z1", "某咨询公司", "丁一", "13900000001", "咨询"], ["Z2", "某人事代理公司", "丁二", "13900000002", "人事代理"]])
    write_csv(d / "links.csv", ["甲方类型", "甲方名称", "甲方证件号", "乙方类型", "乙方名称", "乙方证件号", "关联类型", "日期"], [
        ["人员", "专家二", P["X2"], "中介", "某咨询公司", "Z1", "付款", "2024-01-01"],   # before E2 reviewed K5
        ["人员", "专家一", P["X1"], "中介", "某咨询公司", "Z1", "付款", "2025-01-01"],   # after E1 reviewed K9
        ["人员", "乙二", P["S2"], "中介", "", "Z1", "股东", ""],
        ["单位", "医院甲", "", "中介", "某咨询公司", "Z1", "付款", "2024-05-01"]])
    write_csv(d / "units.csv", ["单位名称", "上级单位", "类型", "地区"], [
        ["医院甲", "卫健委", "用人单位", "昆明市"], ["医院甲心内科", "医院甲", "内设机构", "昆明市"],
        ["医院乙", "卫健委", "用人单位", "昆明市五华区"], ["大学丙", "", "用人单位", "曲靖市"], ["卫健委", "", "主管部门", ""]])
    # E2's pool record says 医院甲; the history says he moved there from 医院乙 on 1 July 2024, so on
    # 1 November he is a colleague of 医院甲's applicants (K4 via its department, K10) and left 医院乙 (K1, K5)
    # four months before: AVOID-FORMER-UNIT, not AVOID-UNIT.
    write_csv(d / "employment.csv", ["姓名", "身份证号", "工作单位", "开始日期", "结束日期"], [
        ["专家二", P["X2"], "医院乙", "2010-01-01", "2024-06-30"], ["专家二", P["X2"], "医院甲", "2024-07-01", ""]])
    joined = {1: ("2021-01-01", ""), 2: ("2021-01-01", ""), 3: ("2021-11-10", ""), 4: ("2019-01-01", ""),
              5: ("2019-01-01", ""), 6: ("2021-01-01", "2024-11-30")}
    works = {1: "大学丙", 2: "医院甲", 3: "医院甲", 4: "大学丙", 5: "大学丙", 6: "大学丙"}
    mobile = {1: "13600000010", 2: "13600000002", 3: "13600000003"}
    experts = [[f"E{i}", c, f"专家{'一二三四五六'[i - 1]}", P[f"X{i}"], "主任医师", *joined[i], works[i], "正高级",
                mobile.get(i, "")] for i, c in ((1, "C1"), (2, "C1"), (3, "C1"), (4, "C2"), (5, "C2"), (6, "C2"))]
    # G8 is recorded as 副高级 yet votes on 正高级 applications (GOV-EXPERT-LEVEL).
    experts += [[f"G{i}", "C1", f"委员{i}", "", "主任医师", "", "", "大学丙", "副高级" if i == 8 else "正高级", ""]
                for i in range(11)]
    experts += [[f"Q{i:02d}", "C4", f"库员{i}", "", "主任医师", "2024-01-01", "", "大学丙", "正高级", ""]
                for i in range(22)]  # exactly 2 x 11
    write_csv(d / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号", "职称", "入库日期", "到期日期", "工作单位",
                                  "职称级别", "联系电话"], experts)
    reviews = [["K1", "E1", "M1", "审阅", "2024-11-01", "随机", ""], ["K1", "E1", "M1", "投票", "2024-11-10", "", "同意"],
               ["K1", "E2", "M1", "审阅", "2024-11-01", "随机", ""], ["K1", "E3", "M1", "审阅", "2024-11-01", "随机", ""],
               ["K2", "E1", "M1", "审阅", "2024-11-01", "指定", ""], ["K3", "E1", "M1", "审阅", "2024-11-01", "随机", ""],
               ["K4", "E2", "M1", "审阅", "2024-11-01", "随机", ""], ["K5", "E2", "M1", "审阅", "2024-11-01", "随机", ""],
               ["K7", "E3", "M1", "审阅", "2024-11-01", "随机", ""], ["K9", "E1", "M1", "审阅", "2024-11-01", "随机", ""],
               ["K10", "E2", "M1", "审阅", "", "随机", ""],
               ["K4", "E5", "M1", "投票", "2024-11-10", "", "弃权"],  # E5 did not sit in M1: a proxy vote
               # Ten of fourteen present agree on K1 (3·10 ≥ 2·14: passes rightly); nine of thirteen counted
               # (E1 recused) agree on K3, yet it failed (a 低 lead); K4 passed with no 同意 at all (高).
               *[["K1", f"G{i}", "M1", "投票", "2024-11-10", "", "同意"] for i in range(9)],
               *[["K3", f"G{i}", "M1", "投票", "2024-11-10", "", "同意"] for i in range(9)],
               ["K8", "E4", "M2", "审阅", "2024-11-02", "随机", ""]]  # M2 has no vote rows: a secret ballot
    write_csv(d / "reviews.csv", ["申报编号", "专家编号", "会议编号", "环节", "评审日期", "分配方式", "表决"], reviews)
    write_csv(d / "relations.csv", ["甲方姓名", "甲方身份证号", "乙方姓名", "乙方身份证号", "关系", "开始日期"], [
        ["专家一", P["X1"], "甲一", P["A1"], "子女", ""],
        ["甲二", P["A2"], "专家二", P["X2"], "兄弟姐妹", ""],
        ["甲三", P["A3"], "专家一", P["X1"], "配偶", ""],
        ["甲四", P["A4"], "专家二", P["X2"], "合著", "2020"],
        ["甲九", P["A9"], "专家一", P["X1"], "合著", "2018"],  # 2018 -> 2024: outside five years
        ["甲九", P["A9"], "专家一", P["X1"], "同学", ""],
        ["甲五", P["A5"], "专家二", P["X2"], "前同事", ""],
        ["乙一", P["S1"], "甲一", P["A1"], "配偶", ""],        # staff S1 handles his wife's application K1
        ["甲八", P["A8"], "专家六", P["X6"], "配偶", ""],   # X6 sits in the secret-ballot meeting
        ["甲八", P["A8"], "专家五", P["X5"], "学生", ""],   # X5 sits too: attendance-only academic tie
        ["甲八", P["A8"], "专家四", P["X4"], "利害关系", "2025-01-01"],  # began after the act: no lead
    ])
    write_csv(d / "committees.csv", ["评委会编号", "评委会名称", "评审系列", "评审级别", "核准日期", "有效期至", "评委会人数",
                                     "组建方式", "评审范围", "组建单位", "自主评审"], [
        ["C1", "卫生正高评委会", "卫生", "正高级", "2021-06-01", "2026-05-31", "21", "按专业"],
        ["C2", "卫生正高评委会二", "卫生", "正高级", "2020-06-01", "", "20", "按专业"],   # even; approval lapsed 2023-06-01
        ["C3", "卫生系列评委会", "卫生", "正高级;副高级", "2023-01-01", "2026-12-31", "23", "按系列"],  # below 25
        ["C4", "卫生专业评委会", "卫生", "正高级", "2023-01-01", "2026-12-31", "11", "按专业"],  # exactly the minimum
        ["C5", "昆明市卫生评委会", "卫生", "正高级", "2023-01-01", "2026-12-31", "11", "按专业", "昆明市"],
        ["C6", "医院甲自主评审委员会", "卫生", "正高级", "2023-01-01", "2026-12-31", "11", "按专业", "", "医院甲", "是"],
    ])
    write_csv(d / "meetings.csv", ["会议编号", "评委会编号", "评审年度", "会议日期", "会议类型", "应到人数", "会前培训", "封闭管理",
                                   "评审通知发布日期", "公示开始日期", "公示结束日期", "备案日期", "专家抽取日期"], [
        # M1: five working days of 公示, filed exactly 30 days after it ended: no procedure lead.
        ["M1", "C1", "2024", "2024-11-10", "全体会议", "21", "是", "是", "2024-03-15", "2024-11-18", "2024-11-22",
         "2024-12-22", "2024-11-08"],
        # M2: expired committee; no training; no notice; three days of 公示; filed 51 days late.
        ["M2", "C2", "2024", "2024-11-12", "全体会议", "3", "否", "", "", "2024-11-18", "2024-11-20", "2025-01-10"],
        # M3: a subject group (no quorum rule); notice after the meeting; no 公示; not filed.
        ["M3", "C1", "2025", "2024-12-01", "学科组", "21", "", "", "2024-12-05", "", "", ""],
        # M4: held on C4's last valid day (not expired) but two years late for 2024; not closed.
        ["M4", "C4", "2024", "2026-12-31", "全体会议", "11", "", "否", "2024-03-15", "2027-01-04", "2027-01-08",
         "2027-01-20"],
    ])
    att = [["M1", f"E{i}"] for i in (1, 2, 3)] + [["M1", f"E{i}"] for i in ()]
    # M1: 14 of 21 present is exactly two thirds (no lead); M2: 3 expected, 3 present; M3: 2 of 21 (学科组).
    att = [["M1", e] for e in ["E1", "E2", "E3"]] + [["M1", f"G{i}"] for i in range(11)]
    att += [["M2", "E4"], ["M2", "E5"], ["M2", "E6"], ["M3", "E1"], ["M3", "E2"], ["M4", "E1"]]
    att += [["M4", "E2"]]  # M4: 2 of 11 present -> quorum lead
    seats = [[m, e, "主任委员" if (m, e) == ("M1", "E1") else "委员",
              "指定" if (m, e) in (("M1", "E1"), ("M1", "G0")) else "随机抽取"] for m, e in att]
    write_csv(d / "attendance.csv", ["会议编号", "专家编号", "职务", "抽取方式"], seats)
    write_csv(d / "recusals.csv", ["会议编号", "专家编号", "申报编号", "提出方", "回避原因", "申请日期"], [
        ["M1", "E1", "K3", "专家申请", "配偶", ""],
        ["M1", "E3", "K9", "申报人申请", "担心不公", "2024-11-09"],   # after the draw on 11-08: the list may have leaked
        ["M1", "G1", "K2", "申报人申请", "", "2024-11-01"],          # no reason given
        ["M1", "G2", "K9", "申报人申请", "曾有纠纷", "2024-11-01"],   # in time, with a reason: no lead
        # M2 records its recusals (E4 stepped out for an application decided elsewhere), so sitting in its secret
        # ballot counts as an attendance act (rules.md, Acts); without this row it would not.
        ["M2", "E4", "K12", "专家申请", "同事", "2024-11-10"]])
    write_csv(d / "sanctions.csv", ["姓名", "身份证号", "处理类型", "开始日期", "结束日期", "评委会编号"], [
        ["甲九", P["A9"], "申报人失信", "2023-03-01", "", ""],        # in force 2023-03-01..2026-03-01
        ["甲七", P["A7"], "申报人失信", "2021-01-01", "2023-12-31", ""],
        ["专家二", P["X2"], "取消专家资格", "2024-11-20", "", ""],     # after M1, before M3 and M4
        ["乙一", P["S1"], "禁止从事职称工作", "2024-01-01", "", ""],
        ["乙二", P["S2"], "禁止从事职称工作", "2020-01-01", "2022-12-31", ""],
        ["", "", "暂停评审", "2024-11-25", "2024-12-31", "C1"]])    # covers M3, not M1
    write_csv(d / "staff_actions.csv", ["工作人员编号", "姓名", "身份证号", "申报编号", "办理环节", "日期"], [
        ["S1", "乙一", P["S1"], "K1", "审核", "2024-07-01"], ["S1", "乙一", P["S1"], "K3", "审核", "2024-07-01"],
        ["S2", "乙二", P["S2"], "K2", "审核", "2024-07-01"],   # a colleague's application: normal work
        ["S2", "乙二", P["S2"], "K5", "审核", "2024-12-15"]])  # checked after K5's meeting (M1, 10 November)
    # Complaints (the as-of date defaults to the latest act in the data, 2027-01-20 here).
    write_csv(d / "complaints.csv", ["编号", "收到日期", "受理日期", "延期", "被反映人", "被反映人身份证号", "反馈日期", "核查结论"], [
        ["T1", "2024-01-05", "2024-01-05", "否", "", "", "", ""],                       # never answered: late
        ["T2", "2024-01-05", "2024-01-05", "否", "", "", "2024-02-20", ""],             # 46 days: in time
        ["T3", "2024-01-05", "2024-01-05", "是", "", "", "2024-03-25", ""],             # 80 days, extended: in time
        ["T4", "2024-01-05", "2024-01-05", "否", "", "", "2024-03-25", ""],             # 80 days: late
        ["T5", "2024-09-01", "2024-09-02", "否", "专家二", P["X2"], "2024-10-01", "属实"],  # sanctioned on 11-20
        ["T6", "2024-03-01", "2024-03-02", "否", "甲五", P["A5"], "2024-04-01", "属实"],    # never sanctioned
        ["T7", "2024-01-10", "2024-01-10", "否", "专家一", P["X1"], "2024-04-20", "不属实"],  # late
        ["T8", "2024-02-10", "2024-02-10", "否", "专家一", P["X1"], "2024-05-20", "不属实"],  # late; E1 reviews later
    ])
    return d


# What must be raised (rule -> lead keys with application ids), and nothing else for these rules.
EXPECTED = {
    "AVOID-KIN": [{"application": "K1", "expert": "E1"}, {"application": "K8", "expert": "E6"}],
    "AVOID-ACADEMIC": [{"application": "K4", "expert": "E2"}, {"application": "K8", "expert": "E5"}],
    "AVOID-OTHER": [{"application": "K5", "expert": "E2"}],
    "AVOID-SELF": [{"application": "K7", "expert": "E3"}],
    "AVOID-RECUSED-ACTED": [{"application": "K3", "expert": "E1"}],
    "GOV-SCOPE": [{"application": "K4"}, {"application": "K5"}],
    "GOV-EXPIRED": [{"meeting": "M2"}],
    "GOV-COMMITTEE-SIZE": [{"committee": "C2"}, {"committee": "C3"}],
    "PROC-QUORUM": [{"meeting": "M4"}],
    "PROC-CONDUCT": [{"meeting": "M2"}, {"meeting": "M4"}],
    "PROC-INELIGIBLE": [{"application": "K5"}],
    "SANCTION-APPLICANT": [{"application": "K9"}],
    "PROC-FILING": [{"meeting": "M2"}, {"meeting": "M3"}],
    "PROC-LATE": [{"meeting": "M4"}],
    "PROC-NOTICE": [{"meeting": "M2"}, {"meeting": "M3"}],
    "PROC-PUBLICITY": [{"meeting": "M2"}, {"meeting": "M3"}],
    "PROC-UNIT-PUBLICITY": [{"application": "K1"}, {"application": "K6"}, {"application": "K9"}],
    "PAIR-FEW-REVIEWERS": [{"application": k} for k in ("K10", "K11", "K2", "K3", "K4", "K5", "K7", "K8", "K9")],
    "PAIR-DESIGNATED": [{"application": "K2", "expert": "E1"}, {"meeting": "M1", "expert": "G0"}],
    "PROC-PROXY-VOTE": [{"application": "K4", "expert": "E5"}],
    "GOV-OUT-OF-POOL": [{"expert": "E5", "meeting": "M1"}, {"expert": "E1", "meeting": "M4"},
                        {"expert": "E2", "meeting": "M4"}],
    "GOV-POOL-SIZE": [{"meeting": "M1"}, {"meeting": "M2"}, {"meeting": "M3"}],
    "GOV-POOL-RENEWAL": [{"committee": "C1", "meeting": "M3"}, {"committee": "C2", "meeting": "M2"}],
    "SANCTION-EXPERT": [{"expert": "E2", "meeting": "M3"}, {"expert": "E2", "meeting": "M4"}],
    "SANCTION-STAFF": [{"application": "K1", "staff": "S1"}, {"application": "K3", "staff": "S1"}],
    "AVOID-STAFF": [{"application": "K1", "staff": "S1"}],
    "PROC-PERFUNCTORY": [{"staff": "S2", "date": "2024-12-15"}],
    "PROC-PASS-THRESHOLD": [{"application": "K3"}, {"application": "K4"}],
    "PROC-UNTRACED-PASS": [{"application": "K11"}],
    "GOV-EXPERT-LEVEL": [{"expert": "G8", "meeting": "M1"}],
    "GOV-CREDENTIAL": [{"expert": "E3"}],
    "SUPERVISE-COMPLAINT-LATE": [{"complaint": c} for c in ("T1", "T4", "T7", "T8")],
    "SUPERVISE-NO-SANCTION": [{"complaint": "T6"}],
    "SUPERVISE-REPEAT-SUBJECT": [{"expert": "E1"}],
    "GOV-REGION": [{"application": "K13"}, {"application": "K15"}],
    "PAIR-RECUSAL-LEAK": [{"application": "K2", "expert": "G1"}, {"application": "K9", "expert": "E3"}],
    "BROKER-APPLICANT": [{"application": "K2", "intermediary": "Z2"}, {"application": "K5", "intermediary": "Z1"},
                         {"application": "K9", "intermediary": "Z1"}],
    "BROKER-EXPERT": [{"expert": "E1", "intermediary": "Z1"}, {"expert": "E2", "intermediary": "Z1"}],
    "BROKER-TRIANGLE": [{"application": "K5", "expert": "E2", "intermediary": "Z1"}],
    "BROKER-STAFF": [{"staff": "S2", "intermediary": "Z1"}],
    "BROKER-ORGANIZER": [{"committee": "C6", "intermediary": "Z1"}],
    "BROKER-CLUSTER": [{"identifier": "137****0007"}],  # masked unless --reveal
    "AVOID-LATENT": [{"application": "K1", "expert": "E3"}, {"application": "K10", "expert": "E2"}],
    # E1 reviewed K2 (A2 is E2's sibling) and E2 reviewed K1 (A1 is E1's child), both in 2024.
    "PAIR-RECIPROCAL": [{"expert_a": "E1", "expert_b": "E2"}],
    "SANCTION-UNIT": [{"meeting": "M3"}],
    # One decision each: E2 did not leave the room for 医院甲's applications (K4, K10) in M1, nor for his former
    # unit 医院乙's (K1, K5) — one lead per expert, unit and meeting, listing the applications.
    "AVOID-UNIT": [{"expert": "E2", "unit": "name:医院甲", "meeting": "M1"}],
    "AVOID-FORMER-UNIT": [{"expert": "E2", "unit": "name:医院乙", "meeting": "M1"}],
}


# ---------------------------------------------------------------------------------------------------------
# The statistical rules need many draws, so they get their own small world: committee S1 (40 experts in the
# pool, all 临床, employed at 大学甲 except T21-T25 at 医院戊), six meetings of eight (two appointed chairs
# T39/T40 and six drawn seats), every reviewer set written out below. Scores are base + (-1, 0, +1) unless a
# case says otherwise, so the within-application spread is small and known.
SMEETINGS = {"MA22": ("2022-05-10", ["T02", "T03", "T09", "T11", "T12"]),
             "MB22": ("2022-11-10", ["T04", "T05", "T13", "T14", "T15"]),
             "MA23": ("2023-05-10", ["T02", "T06", "T07", "T08", "T16"]),
             "MB23": ("2023-11-10", ["T04", "T05", "T17", "T18", "T19"]),
             "MA24": ("2024-05-10", ["T02", "T03", "T10", "T11", "T20"]),
             "MB24": ("2024-11-10", ["T21", "T22", "T23", "T24", "T25"])}


def _sid(i: int) -> str:
    import datetime as dt

    return valid_id(f"532322{dt.date(1960, 1, 1) + dt.timedelta(days=i):%Y%m%d}{i % 1000:03d}")


def build_stats(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    experts = [[f"T{i:02d}", "S1", f"评委{i:02d}", _sid(i), "主任医师", "正高级", "临床", "2019-01-01",
                "医院戊" if 21 <= i <= 25 else "大学甲"] for i in range(1, 41)]
    write_csv(d / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号", "职称", "职称级别", "专业", "入库日期",
                                  "工作单位"], experts)
    write_csv(d / "meetings.csv", ["会议编号", "评委会编号", "评审年度", "会议日期"],
              [[m, "S1", "20" + m[2:], held] for m, (held, _) in SMEETINGS.items()])
    attendance = []
    for m, (_, drawn) in SMEETINGS.items():
        seats = [("T39", "主任委员", "指定"), ("T40", "副主任委员", "指定"), ("T01", "委员", "随机抽取")]
        seats += [(e, "委员", "随机抽取") for e in drawn]  # T01 sits every time (PAIR-ENTRENCHED); T02 once a year
        attendance += [[m, e, role, how, "每次抽取"] for e, role, how in seats]
    write_csv(d / "attendance.csv", ["会议编号", "专家编号", "职务", "抽取方式", "抽取周期"], attendance)

    apps, reviews, person = [], [], {}
    seq = iter(range(100, 1000))
    rng = random.Random(7)  # a fixed seed: the same scores every run

    def app(aid, m, unit, reviewers, scores=None, who=None):
        """One application in meeting m, reviewed (审阅) by these three. Scores are base plus a small spread
        unless given (as offsets from base)."""
        who = who or aid
        person.setdefault(who, _sid(next(seq)))
        apps.append([aid, "20" + m[2:4], f"申{who}", person[who], "S1", "卫生", "临床", "正高级", unit])
        base = 70 + len(apps) % 5
        for e, off in zip(reviewers, scores or [rng.choice((-1.5, -1, -0.5, 0, 0.5, 1, 1.5)) for _ in reviewers]):
            reviews.append([aid, e, m, "审阅", SMEETINGS[m][0], base + off, ""])

    def rotate(m, exclude=()):
        pool = [e for e in ["T39", "T40", "T01", *SMEETINGS[m][1]] if e not in exclude]
        turn = iter(range(10_000))

        def nxt():
            j = next(turn)
            return [pool[(3 * j + i) % len(pool)] for i in range(3)]
        return nxt

    # MA22 — SCORE-LENIENCY: T09 scores 医院己's applicants 8 above his co-reviewers (five of them); near miss:
    # T11 does the same to 医院辛's, but only four times (fewer than min_opportunities).
    nxt = rotate("MA22", ("T09", "T11"))
    for i in range(1, 6):
        app(f"L{i}", "MA22", "医院己", ["T09", *nxt()[:2]], (8, -0.5, 0.5))
    app("L6", "MA22", "医院己", nxt())
    for i in range(1, 5):
        app(f"H{i}", "MA22", "医院辛", ["T11", *nxt()[:2]], (8, -0.5, 0.5))
    for i in range(1, 7):
        app(f"G{i}", "MA22", "医院庚", ["T09", "T11", nxt()[0]])
    # MB22 / MB23 — near misses for PAIR-REPEAT: T04 reviews R1 in both years (three of eight each time: chance,
    # no lead); T05 reviews R2 in 2022 and only votes on R2 in 2023 (a vote is not a direct act).
    app("R1MB22", "MB22", "医院庚", ["T04", "T13", "T14"], who="R1")
    app("R2MB22", "MB22", "医院庚", ["T05", "T15", "T01"], who="R2")
    app("R1MB23", "MB23", "医院庚", ["T04", "T17", "T18"], who="R1")
    app("R2MB23", "MB23", "医院庚", ["T19", "T39", "T40"], who="R2")
    reviews.append(["R2MB23", "T05", "MB23", "投票", "2023-11-10", "", "同意"])
    for m in ("MB22", "MB23"):
        nxt = rotate(m)
        for i in range(1, 9):
            app(f"F{m}{i}", m, "医院辛" if i % 2 else "医院庚", nxt())
    # MA23 — SCORE-TIED-OUTLIER: T06 scores his child's application 10 above the others (a lead); T07 scores
    # his child's only 1 above (no lead); T08 scores N1 10 above with no tie (no lead).
    nxt = rotate("MA23", ("T06", "T07", "T08"))
    app("O1", "MA23", "医院庚", ["T06", "T02", "T16"], (10, -1, 1))
    app("O2", "MA23", "医院庚", ["T07", "T02", "T16"], (1, -1, 1))
    app("N1", "MA23", "医院庚", ["T08", "T02", "T16"], (10, -1, 1))
    for i in range(1, 9):
        app(f"FMA23{i}", "MA23", "医院辛", nxt())
    # MA24 — PAIR-CONCENTRATION: T03 reviews all thirty of 医院丁's applications (three of eight expected).
    nxt = rotate("MA24", ("T03",))
    for i in range(1, 31):
        app(f"D{i}", "MA24", "医院丁", ["T03", *nxt()[:2]])
    for i in range(1, 7):
        app(f"FMA24{i}", "MA24", "医院庚", nxt())
    # MB24 — near miss: five of the eight sitting work at 医院戊 and must recuse from its twelve applications,
    # so T39, T40 and T01 review every one. Lawful recusal shrinks the draw: no concentration.
    for i in range(1, 13):
        app(f"W{i}", "MB24", "医院戊", ["T39", "T40", "T01"])
    nxt = rotate("MB24")
    for i in range(1, 7):
        app(f"FMB24{i}", "MB24", "医院辛", nxt())
    write_csv(d / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号", "申报系列", "申报专业",
                                       "申报级别", "工作单位"], apps)
    write_csv(d / "reviews.csv", ["申报编号", "专家编号", "会议编号", "环节", "评审日期", "评分", "表决"], reviews)
    write_csv(d / "relations.csv", ["甲方姓名", "甲方身份证号", "乙方姓名", "乙方身份证号", "关系"], [
        ["评委06", _sid(6), "申O1", person["O1"], "子女"], ["评委07", _sid(7), "申O2", person["O2"], "子女"]])
    return d


# ---------------------------------------------------------------------------------------------------------
# PAIR-REPEAT needs years and reapplicants, so it gets a world of its own: committee S2, one meeting a year
# 2021-2024, twelve seats (chairs U01/U02 every year, ten drawn from U03-U30 in turn), 24 applications a
# meeting, three reviewers each drawn at random from the twelve: everyone's chance is 3/12 a year. Eighteen
# people apply twice and meet whoever chance gives them (natural repeats: two of two at 1/4 is p = 1/16, and
# a province has thousands of such pairs); P1 applies four times and U01 reviews him every time (p = 1/256).
RMEETINGS = {f"MR{y}": f"{y}-11-10" for y in (2021, 2022, 2023, 2024)}


def build_repeat(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    experts = [[f"U{i:02d}", "S2", f"评委U{i:02d}", _sid(500 + i), "主任医师", "正高级", "临床", "2019-01-01", "大学甲"]
               for i in range(1, 31)]
    write_csv(d / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号", "职称", "职称级别", "专业", "入库日期",
                                  "工作单位"], experts)
    write_csv(d / "meetings.csv", ["会议编号", "评委会编号", "评审年度", "会议日期"],
              [[m, "S2", m[2:], held] for m, held in RMEETINGS.items()])
    rng = random.Random(11)
    drawn = [f"U{i:02d}" for i in range(3, 31)]
    sitting, attendance = {}, []
    for n, m in enumerate(RMEETINGS):
        sitting[m] = ["U01", "U02"] + [drawn[(10 * n + j) % len(drawn)] for j in range(10)]
        attendance += [[m, e, "主任委员" if e == "U01" else "副主任委员" if e == "U02" else "委员",
                        "指定" if e in ("U01", "U02") else "随机抽取", "每次抽取"] for e in sitting[m]]
    write_csv(d / "attendance.csv", ["会议编号", "专家编号", "职务", "抽取方式", "抽取周期"], attendance)
    # who applies when: P1 every year; R01-R18 in two consecutive years; the rest once
    plan = {m: [] for m in RMEETINGS}
    years = list(RMEETINGS)
    for m in years:
        plan[m].append("P1")
    for i in range(18):
        first = i % 3
        plan[years[first]].append(f"R{i:02d}")
        plan[years[first + 1]].append(f"R{i:02d}")
    seq = iter(range(600, 2000))
    person: dict[str, str] = {}
    apps, reviews = [], []
    for m in years:
        while len(plan[m]) < 24:
            plan[m].append(f"N{m[2:]}{len(plan[m]):02d}")
        for who in plan[m]:
            person.setdefault(who, _sid(next(seq)))
            aid = f"{who}{m}"
            apps.append([aid, m[2:], f"申{who}", person[who], "S2", "卫生", "临床", "正高级", "医院壬"])
            chosen = ["U01", *rng.sample([e for e in sitting[m] if e != "U01"], 2)] if who == "P1" \
                else rng.sample(sitting[m], 3)
            reviews += [[aid, e, m, "审阅", RMEETINGS[m], ""] for e in chosen]
    write_csv(d / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "评委会编号", "申报系列", "申报专业",
                                       "申报级别", "工作单位"], apps)
    write_csv(d / "reviews.csv", ["申报编号", "专家编号", "会议编号", "环节", "评审日期", "评分"], reviews)
    return d


EXPECTED_STATS = {
    "PAIR-ENTRENCHED": [{"expert": "T01", "committee": "S1"}],
    "PAIR-CONCENTRATION": [{"expert": "T03", "unit": "医院丁"}],
    "PAIR-REPEAT": [],  # T04 meets R1 twice by chance; the rule's planted case is in build_repeat
    "SCORE-TIED-OUTLIER": [{"application": "O1", "expert": "T06"}],
    "SCORE-LENIENCY": [{"expert": "T09", "unit": "医院己"}],
}
