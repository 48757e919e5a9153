"""``zcgraph synth``: a realistic, messy scenario in the data contract's format, with planted problems.

The generator never asks the detector: it knows every planted problem because
it planted it, and writes the expected lead keys to ``truth.json`` from its
own plan. Same seed, same bytes (XLSX zip entries carry a fixed timestamp).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .world import CITIES, COUNTIES, make_credit_code, make_id, make_mobile, make_name

__all__ = ["generate", "SCALES"]

SCALES = {
    "demo": {"apps_per_year": 220, "years": (2022, 2023, 2024), "counties": 6, "pool_factor": 3},
    "province": {"apps_per_year": 67_000, "years": (2022, 2023, 2024), "counties": 95, "pool_factor": 3},
}

SERIES = {
    "卫生": {"dept": ["心内科", "骨科", "神经外科", "儿科", "检验科", "影像科"],
             "titles": {"正高级": "主任医师", "副高级": "副主任医师", "中级": "主治医师"},
             "specialties": ["临床医学", "护理", "医学检验"]},
    "工程": {"dept": ["结构所", "给排水所", "电气所"],
             "titles": {"正高级": "正高级工程师", "副高级": "高级工程师", "中级": "工程师"},
             "specialties": ["建筑结构", "给排水", "电气"]},
    "高校教师": {"dept": ["数学学院", "化学学院", "外国语学院"],
               "titles": {"正高级": "教授", "副高级": "副教授", "中级": "讲师"},
               "specialties": ["数学", "化学", "外语"]},
    "农业": {"dept": ["作物所", "畜牧所", "植保所"],
             "titles": {"正高级": "农业技术推广研究员", "副高级": "高级农艺师", "中级": "农艺师"},
             "specialties": ["作物栽培", "畜牧", "植物保护"]},
}
SUPERVISOR = {"卫生": "云南省卫生健康委员会", "工程": "云南省住房和城乡建设厅", "高校教师": "云南省教育厅",
              "农业": "云南省农业农村厅"}


@dataclass
class Person:
    pid: int
    name: str
    id_number: str
    birth: dt.date
    male: bool
    unit: str  # unit name (as in units table)
    phone: str
    email: str | None = None


@dataclass
class Gen:
    seed: int
    scale: str
    factor: float = 1.0  # applications per year times this (the benchmark's doubling runs)
    rng: random.Random = field(init=False)
    np_rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.np_rng = np.random.default_rng(self.seed)
        self.cfg = {**SCALES[self.scale], "apps_per_year": int(round(SCALES[self.scale]["apps_per_year"] * self.factor))}
        self.persons: list[Person] = []
        self.phones: set[str] = set()
        self.ids: set[str] = set()
        self.units: list[dict] = []
        self.unit_by_name: dict[str, dict] = {}
        self.rows: dict[str, list[dict]] = {k: [] for k in (
            "committees", "experts", "meetings", "attendance", "recusals", "employment", "relations", "units",
            "intermediaries", "links", "staff_actions", "sanctions", "complaints")}
        self.apps: list[dict] = []
        self.review_frames: list[pd.DataFrame] = []
        self.truth: dict[str, list[dict]] = {}
        self.used_pids: set[int] = set()
        self.broken: list[dict] = []  # rows the generator broke: file, row, column, reason (rejects)
        self.bad_values: list[dict] = []  # optional values it broke (warnings)
        self.inexact: set[str] = set()

    # ------------------------------------------------------------------ helpers
    def lead(self, rule: str, exact: bool = True, **key: object) -> None:
        """Record a planted lead. ``exact=False`` for statistical rules: must be found, others may be too."""
        self.truth.setdefault(rule, []).append(dict(key))
        if not exact:
            self.inexact.add(rule)

    def person(self, unit: str, age: tuple[int, int] = (30, 58)) -> Person:
        r = self.rng
        birth = dt.date(2024 - r.randint(*age), r.randint(1, 12), r.randint(1, 28))
        male = r.random() < 0.5
        p = Person(len(self.persons), make_name(r), make_id(r, birth, male, self.ids), birth, male, unit,
                   make_mobile(r, self.phones))
        self.persons.append(p)
        return p

    def add_unit(self, name: str, kind: str, parent: str | None = None, aliases: tuple[str, ...] = (),
                 series: str | None = None, region: str | None = None, code: bool = True) -> dict:
        u = {"name": name, "credit_code": make_credit_code(self.rng, "12" if kind != "主管部门" else "11") if code else "",
             "aliases": "、".join(aliases), "parent": parent or "", "kind": kind, "region": region or "",
             "series": series}
        self.units.append(u)
        self.unit_by_name[name] = u
        return u

    # ------------------------------------------------------------------ world
    def build_units(self) -> None:
        for s, sup in SUPERVISOR.items():
            self.add_unit(sup, "主管部门")
        self.add_unit("云南省人力资源和社会保障厅", "主管部门")
        self.employers: dict[str, list[str]] = {s: [] for s in SERIES}
        self.departments: dict[str, list[str]] = {}
        big = {"卫生": [("昆明医科大学第一附属医院", ("昆医附一院", "昆医大附一院")), ("云南省第一人民医院", ("省一院",)),
                      ("云南省肿瘤医院", ("省肿瘤医院",))],
               "工程": [("云南省建筑设计研究院", ("省建筑院",)), ("昆明市市政工程设计研究院", ("昆明市政院",))],
               "高校教师": [("云南大学", ("云大",)), ("昆明理工大学", ("昆工",)), ("云南农业大学", ("云农大",))],
               "农业": [("云南省农业科学院", ("云南农科院",)), ("昆明市农业技术推广站", ())]}
        for s, lst in big.items():
            for name, aliases in lst:
                self.add_unit(name, "用人单位", SUPERVISOR[s], aliases, s, "昆明")
                self.employers[s].append(name)
                self.departments[name] = []
                for d in SERIES[s]["dept"]:
                    dn = name + d
                    self.add_unit(dn, "内设机构", name, (), s, "昆明", code=False)
                    self.departments[name].append(dn)
        for c in CITIES[1:]:
            for s, suffix in (("卫生", "市人民医院"), ("工程", "市建筑设计院"), ("农业", "市农业科学研究所")):
                self.add_unit(c + suffix, "用人单位", SUPERVISOR[s], (), s, c)
                self.employers[s].append(c + suffix)
        for c in COUNTIES[: self.cfg["counties"]]:
            for s, suffix in (("卫生", "县人民医院"), ("卫生", "县中医医院"), ("农业", "县农业技术推广中心"),
                              ("工程", "县住房和城乡建设局规划设计室")):
                self.add_unit(c + suffix, "用人单位", SUPERVISOR[s], (), s, c)
                self.employers[s].append(c + suffix)

    def build_intermediaries(self) -> None:
        names = ["昆明博才人才咨询有限公司", "云南智晋职称服务有限公司", "昆明优评教育培训中心", "云南金桥人事代理有限公司",
                 "大理百川咨询服务部"]
        kinds = ["咨询", "咨询", "培训", "人事代理", "其他"]
        self.intermediaries = []
        for i, (n, k) in enumerate(zip(names, kinds)):
            rep = self.person("(无)", (35, 55))
            rep.unit = ""
            row = {"intermediary_id": f"ZJ{i + 1:03d}", "name": n, "credit_code": make_credit_code(self.rng, "91"),
                   "legal_rep_name": rep.name, "legal_rep_id_number": rep.id_number,
                   "phone": make_mobile(self.rng, self.phones), "email": f"svc{i + 1}@zc-agency{i + 1}.cn",
                   "address": f"昆明市五华区人民中路{100 + i}号", "kind": k, "status": "已查处" if i == 0 else "",
                   "source": "市场监管部门"}
            self.rows["intermediaries"].append(row)
            self.intermediaries.append(row)
            self.used_pids.add(rep.pid)

    def build_committees(self) -> None:
        """Eight provincial committees (a series x 正高/副高), one of them meeting twice a year with a
        large pool, and one employer's self-evaluating committee that draws outside experts."""
        self.committees = []
        n = 0
        for s in SERIES:
            for lv, lvname in (("正高", "正高级"), ("副高", "副高级")):
                n += 1
                c = {"committee_id": f"PW{n:02d}", "name": f"云南省{s}系列{lv}级职称评审委员会",
                     "organizer": SUPERVISOR[s], "series": s, "levels": lvname, "region": "",
                     "approved_on": "2021-06-01", "valid_until": "2026-05-31",
                     "member_count": self.rng.choice((13, 15, 17, 19, 21)), "formed_by": "按专业",
                     "self_evaluating": "否", "_series": s, "_level": lvname, "_sessions": 1, "_pool_factor": 3,
                     "_units": self.employers[s]}
                self.committees.append(c)
        # PW02 sits twice a year from a large pool: enough meetings to test entrenched seats.
        self.committees[1].update({"_sessions": 2, "_pool_factor": 8, "member_count": 15})
        # PW07 has 21 members, so that exactly two thirds (14) can be present at one meeting.
        self.committees[6]["member_count"] = 21
        n += 1
        self.selfeval = {"committee_id": f"PW{n:02d}", "name": "云南大学高校教师系列副高级职称自主评审委员会",
                         "organizer": "云南大学", "series": "高校教师", "levels": "副高级", "region": "",
                         "approved_on": "2021-06-01", "valid_until": "2026-05-31", "member_count": 11,
                         "formed_by": "按专业", "self_evaluating": "是", "_series": "高校教师", "_level": "副高级",
                         "_sessions": 1, "_pool_factor": 3, "_units": ["云南大学"] + self.departments["云南大学"]}
        self.committees.append(self.selfeval)
        self.committee = {c["committee_id"]: c for c in self.committees}
        self.rows["committees"] = self.committees

    def build_pools(self) -> None:
        """Pools: two intakes (2021 and the 2023 换届), experts from the series' employers
        (outside experts for the self-evaluating committee)."""
        self.pool: dict[str, list[dict]] = {}
        eid = 0
        for c in self.committees:
            s = c["_series"]
            size = c["member_count"] * c["_pool_factor"] + 4
            sources = [u for u in self.employers[s] if u != "云南大学"] if c is self.selfeval else self.employers[s]
            members = []
            for k in range(size):
                emp = self.rng.choice(sources)
                unit = self.rng.choice(self.departments.get(emp) or [emp]) if self.rng.random() < 0.3 else emp
                p = self.person(unit, (45, 62))
                eid += 1
                members.append({"expert_id": f"E{eid:05d}", "committee_id": c["committee_id"], "person": p,
                                "title": SERIES[s]["titles"]["正高级"], "title_level": "正高级",
                                "specialty": self.rng.choice(SERIES[s]["specialties"]),
                                "pool_from": dt.date(2021, 7, 1) if k % 3 else dt.date(2023, 7, 1), "pool_to": None})
            self.pool[c["committee_id"]] = members

    def plan(self) -> None:
        """Plants that must exist before the draws: pool problems, quorum, entrenched seats, dates."""
        y0, y1, y2 = self.cfg["years"]
        pools = self.pool
        # GOV-POOL-SIZE: most of PW04's pool leaves mid-way through the last year.
        c = self.committee["PW04"]
        leave = len(pools["PW04"]) - (2 * c["member_count"] - 1)
        for e in sorted(pools["PW04"], key=lambda e: e["expert_id"])[:leave]:
            e["pool_to"] = dt.date(y2, 6, 30)
        self.plan_meeting = {("PW04", y2, 0): {"lead": "GOV-POOL-SIZE"}}
        # GOV-POOL-RENEWAL: PW06 never renewed its pool (everyone joined in mid-2020).
        for e in pools["PW06"]:
            e["pool_from"] = dt.date(2020, 6, 1)
        # PAIR-ENTRENCHED: three PW02 experts sit in every one of its meetings.
        self.entrenched = [e["expert_id"] for e in pools["PW02"] if e["pool_from"] <= dt.date(y0, 1, 1)][:3]
        # PAIR-CONCENTRATION: one PW07 expert sits in every PW07 meeting and reviews ten applicants
        # of one hospital each year (a standing arrangement, not a lucky week).
        self.repeater: int | None = None  # PAIR-REPEAT's applicant (a person id), chosen in the first PW07 meeting
        self.concentrated = next(e["expert_id"] for e in reversed(pools["PW07"])
                                 if e["pool_from"] <= dt.date(y0, 1, 1) and e["pool_to"] is None)
        # PROC-QUORUM: one meeting with too few present, one with exactly two thirds (a near miss).
        self.plan_meeting[("PW05", y0, 0)] = {"present": "short"}
        self.plan_meeting[("PW07", y0, 0)] = {"present": "two_thirds"}  # PW07 has 21 members (build_committees)
        # PROC-LATE: a meeting of the first year held after 31 December of the next year.
        self.plan_meeting[("PW03", y0, 0)] = {"held_on": dt.date(y0 + 2, 1, 10)}

    # ------------------------------------------------------------------ simulation
    def simulate(self) -> None:
        r = self.rng
        years = self.cfg["years"]
        per_year = self.cfg["apps_per_year"]
        failed: list[tuple[Person, str, str]] = []  # reapplicants
        app_seq = 0
        self.meetings: dict[tuple[str, int, int], dict] = {}
        self.prev_reviewers: dict[int, set[str]] = {}
        provincial = [c for c in self.committees if c is not self.selfeval]
        for y in years:
            apps_y: list[dict] = []
            for p, cid, lvl in (f for f in failed if f[0].pid == self.repeater or r.random() < 0.6):
                app_seq += 1
                apps_y.append(self._app(app_seq, y, p, cid, lvl))
            failed = []
            n_self = max(6, per_year // 60)
            while len(apps_y) < per_year:
                c = self.selfeval if len(apps_y) % (per_year // n_self) == 0 else r.choice(provincial)
                emp = r.choice(c["_units"])
                unit = r.choice(self.departments.get(emp) or [emp]) if r.random() < 0.2 else emp
                p = self.person(unit)
                app_seq += 1
                apps_y.append(self._app(app_seq, y, p, c["committee_id"], c["_level"]))
            self.apps.extend(apps_y)
            for c in self.committees:
                cid = c["committee_id"]
                cap = [a for a in apps_y if a["committee_id"] == cid]
                for k in range(c["_sessions"]):
                    m = self._meeting(c, y, k)
                    self._review_meeting(m, cap[k::c["_sessions"]])
                for a in cap:
                    if a["result"] == "未通过":
                        failed.append((a["person"], cid, a["level"]))
        self.revs = pd.concat(self.review_frames, ignore_index=True)
        self.review_frames = []

    def _meeting(self, c: dict, y: int, k: int) -> dict:
        r = self.rng
        cid = c["committee_id"]
        plan = self.plan_meeting.get((cid, y, k), {})
        held = plan.get("held_on") or dt.date(y, 5 if c["_sessions"] == 2 and k == 0 else 11, r.randint(3, 20))
        if held.weekday() > 4:
            held += dt.timedelta(days=7 - held.weekday())
        m = {"meeting_id": f"M{y}{cid}{'AB'[k] if c['_sessions'] == 2 else ''}", "committee_id": cid, "year": y,
             "held_on": held, "kind": "全体会议", "drawn_on": held - dt.timedelta(days=2),
             "expected_count": c["member_count"], "series": c["_series"], "level": c["_level"],
             "notice_published_on": dt.date(y, 3, 15), "publicity_start": held + dt.timedelta(days=7),
             "publicity_end": held + dt.timedelta(days=17), "filed_on": held + dt.timedelta(days=30),
             "training_held": "是", "closed_management": "是"}
        self.meetings[(cid, y, k)] = m
        self.rows["meetings"].append(m)
        pool = [e for e in self.pool[cid] if e["pool_from"] <= held and (e["pool_to"] is None or held <= e["pool_to"])]
        n = c["member_count"]
        if plan.get("present") == "short":
            n = (2 * n) // 3 - 1  # 3·present < 2·N
        elif plan.get("present") == "two_thirds":
            n = 2 * n // 3  # N = 21: 14 present, 3·14 = 2·21
        fixed = [e for e in pool if e["expert_id"] in self.entrenched] if cid == "PW02" else \
            [e for e in pool if e["expert_id"] == self.concentrated] if cid == "PW07" else []
        rest = [e for e in pool if e not in fixed]
        sitting = fixed + r.sample(rest, min(n - len(fixed), len(rest)))
        r.shuffle(sitting)
        if fixed:  # the planted experts hold drawn seats, never the appointed chairs
            chairs = [e for e in sitting if e not in fixed][:2]
            sitting = chairs + [e for e in sitting if e not in chairs]
        m["_sitting"] = sitting
        m["_pool_size"] = len(pool)
        for i, e in enumerate(sitting):
            self.rows["attendance"].append({"meeting_id": m["meeting_id"], "expert_id": e["expert_id"],
                                            "role": "主任委员" if i == 0 else "副主任委员" if i == 1 else "委员",
                                            "selection": "指定" if i < 2 else "随机抽取", "draw_scope": "每次抽取"})
        return m

    def _app(self, seq: int, year: int, p: Person, cid: str, level: str) -> dict:
        c = self.committee[cid]
        return {"application_id": f"SB{year}{seq:06d}", "year": year, "person": p, "committee_id": cid,
                "series": c["_series"], "level": level, "specialty": self.rng.choice(SERIES[c["_series"]]["specialties"]),
                "quality": self.rng.random(), "agent": "", "eligible": "是", "result": None, "entrusted": "",
                "publicity_start": dt.date(year, 6, 1), "publicity_end": dt.date(year, 6, 12),
                "force": [], "phone": p.phone, "unit": p.unit}

    def rollup(self, unit: str) -> str:
        u = self.unit_by_name.get(unit)
        while u and u["kind"] == "内设机构" and u["parent"]:
            u = self.unit_by_name.get(u["parent"])
        return u["name"] if u else unit

    def _review_meeting(self, m: dict, apps: list[dict]) -> None:
        """Material review by 3 drawn experts (never from the applicant's unit; an earlier reviewer of the same
        person as likely as anyone, as in a real draw), then a vote of every sitting expert but those recused for
        the applicant's unit. ``force`` puts a planted expert among the reviewers and voters."""
        sitting = m["_sitting"]
        k = len(sitting)
        n = len(apps)
        m["_apps"] = apps
        if n == 0 or k == 0:
            return
        self._plant_in_meeting(m, apps)
        n = len(apps)
        for a in apps:
            a["meeting_id"] = m["meeting_id"]
        ex_unit = np.array([self.rollup(e["person"].unit) for e in sitting])
        ap_unit = np.array([self.rollup(a["unit"]) for a in apps])
        same = ap_unit[:, None] == ex_unit[None, :]
        ex_ids = np.array([e["expert_id"] for e in sitting])
        # Reviewers are drawn by specialty (按专业抽取); another specialty only when too few match.
        ex_spec = np.array([e["specialty"] for e in sitting])
        ap_spec = np.array([a["specialty"] for a in apps])
        keys = self.np_rng.random((n, k)) + (ap_spec[:, None] != ex_spec[None, :])
        keys[same] = 2.0
        force_mask = np.zeros((n, k), dtype=bool)
        for i, a in enumerate(apps):
            for f in a["force"]:
                force_mask[i, ex_ids == f] = True
        keys[force_mask] = -1.0
        order = np.argsort(keys, axis=1, kind="stable")[:, :3]
        held = pd.Timestamp(m["held_on"])
        rev_app, rev_exp, scores = [], [], []
        for i, a in enumerate(apps):
            chosen = [ex_ids[j] for j in order[i]]
            self.prev_reviewers.setdefault(a["person"].pid, set()).update(chosen)
            for e in chosen:
                rev_app.append(a["application_id"])
                rev_exp.append(e)
                scores.append(round(55 + 40 * a["quality"] + self.rng.gauss(0, 4), 1))
        review = pd.DataFrame({"application_id": rev_app, "expert_id": rev_exp, "meeting_id": m["meeting_id"],
                               "stage": "审阅", "assignment": "随机", "score": np.clip(scores, 0, 100), "vote": "",
                               "reviewed_on": held - pd.Timedelta(days=10)})
        votes_ok = ~same | force_mask
        ai, ej = np.nonzero(votes_ok)
        q = np.array([a["quality"] for a in apps])
        agree = self.np_rng.random(len(ai)) < np.clip(q[ai] * 1.25, 0.05, 0.97)
        vote = pd.DataFrame({"application_id": np.array([a["application_id"] for a in apps])[ai],
                             "expert_id": ex_ids[ej], "meeting_id": m["meeting_id"], "stage": "投票",
                             "assignment": "", "score": np.nan, "vote": np.where(agree, "同意", "不同意"),
                             "reviewed_on": held})
        self.review_frames += [review, vote]
        agrees = np.bincount(ai[agree], minlength=n)
        present = votes_ok.sum(axis=1)
        for i, a in enumerate(apps):
            a["result"] = "通过" if 3 * agrees[i] >= 2 * present[i] else "未通过"
        ri, rj = np.nonzero(same & ~force_mask)
        for i, j in zip(ri.tolist(), rj.tolist()):
            self.rows["recusals"].append({"meeting_id": m["meeting_id"], "expert_id": ex_ids[j],
                                          "application_id": apps[i]["application_id"], "initiated_by": "办事机构通知",
                                          "requested_on": m["drawn_on"], "reason": "同单位"})

    def _plant_in_meeting(self, m: dict, apps: list[dict]) -> None:
        """Plants that need a forced act: same unit, self-review, a repeated pairing, a concentration."""
        y0, y1, y2 = self.cfg["years"]
        cid, y = m["committee_id"], m["year"]
        ex_ids = np.array([e["expert_id"] for e in m["_sitting"]])
        if (cid, y) == ("PW01", y1):
            # AVOID-UNIT: an expert reviews a colleague's application (departments roll up to the hospital).
            ex_unit = np.array([self.rollup(e["person"].unit) for e in m["_sitting"]])
            same = np.array([self.rollup(a["unit"]) for a in apps])[:, None] == ex_unit[None, :]
            for i, j in zip(*np.nonzero(same)):
                if not apps[i]["force"]:
                    apps[i]["force"].append(str(ex_ids[j]))
                    self.lead("AVOID-UNIT", application=apps[i]["application_id"], expert=str(ex_ids[j]))
                    break
        if (cid, y) == ("PW03", y1):
            # AVOID-SELF (and GOV-CREDENTIAL): a sitting expert applies to the committee and reviews himself.
            e = next(e for e in self.pool[cid] if e["expert_id"] == ex_ids[-1])
            a = self._app(900000, y, e["person"], cid, self.committee[cid]["_level"])
            a["application_id"] = f"SB{y}SELF01"
            a["force"] = [e["expert_id"]]
            apps.append(a)
            self.apps.append(a)
            self.lead("AVOID-SELF", application=a["application_id"], expert=e["expert_id"])
            self.lead("GOV-CREDENTIAL", expert=e["expert_id"])
        if cid == "PW07":
            self._repeat(m, apps)
            # PAIR-CONCENTRATION: the planted expert reviews ten applicants from one hospital, every year.
            e = next(x for x in m["_sitting"] if x["expert_id"] == self.concentrated)
            self._concentrate(m, apps, 10, "PAIR-CONCENTRATION" if y == y2 else None, e)
        if (cid, y) == ("PW02", y1) and m["meeting_id"].endswith("A"):
            # SCORE-LENIENCY: eight applicants of one unit, scored high by an expert who scores many others
            # (one of the entrenched: they sit in every PW02 meeting).
            e = next(x for x in m["_sitting"] if x["expert_id"] == self.entrenched[0])
            self.lenient = self._concentrate(m, apps, 8, "SCORE-LENIENCY", e)

    def _repeat(self, m: dict, apps: list[dict]) -> None:
        """PAIR-REPEAT: the PW07 expert who sits every year also reviews one applicant every year, who fails and
        reapplies. His applications record no specialty, so any sitting expert could have drawn them: about one
        chance in seven a year, three years running. A repeat inside a specialty of five or seven is chance
        (natural repeats are everywhere now that reviewers are drawn without regard to earlier years)."""
        y0, y1, y2 = self.cfg["years"]
        e = self.concentrated
        if m["year"] == y0:
            eu = self.rollup(next(x for x in m["_sitting"] if x["expert_id"] == e)["person"].unit)
            a = next(a for a in apps if not a["force"] and self.rollup(a["unit"]) != eu
                     and a["person"].pid not in self.prev_reviewers)
            self.repeater = a["person"].pid
        else:
            a = next((a for a in apps if a["person"].pid == self.repeater), None)
            if a is None:
                return
        a.update(specialty="", quality=0.0)
        a["force"].append(e)
        if m["year"] == y2:
            self.lead("PAIR-REPEAT", exact=False, expert=e, applicant=a["person"].id_number)

    def _concentrate(self, m: dict, apps: list[dict], n: int, rule: str | None, e: dict) -> tuple[str, str]:
        eu = self.rollup(e["person"].unit)
        target = next(u for u in sorted(self.employers[self.committee[m["committee_id"]]["_series"]])
                      if u != eu and self.unit_by_name[u]["region"] != "昆明")
        fresh = [a for a in apps if a["person"].pid not in self.prev_reviewers and not a["force"]][:n]
        if rule != "SCORE-LENIENCY":
            # At province scale ten applicants are lost among a hospital's hundreds: the expert also gets four in
            # five of the unit's own applicants (never someone he reviewed before: that would be a PAIR-REPEAT).
            own = [a for a in apps if self.rollup(a["unit"]) == target and not a["force"] and a not in fresh
                   and a["person"].pid not in self.prev_reviewers]
            fresh += own[: (4 * len(own)) // 5]
        for a in fresh:
            a["unit"] = a["person"].unit = target
            a["force"].append(e["expert_id"])
        if rule:
            self.lead(rule, expert=e["expert_id"], unit=target, exact=False)
        return e["expert_id"], target
    # ------------------------------------------------------------------ plants after the draws
    def _index(self) -> None:
        self.app_by_id = {a["application_id"]: a for a in self.apps}
        self.expert_by_id = {e["expert_id"]: e for pool in self.pool.values() for e in pool}
        n_apps: dict[int, int] = {}
        for a in self.apps:
            n_apps[a["person"].pid] = n_apps.get(a["person"].pid, 0) + 1
        self.single = {pid for pid, n in n_apps.items() if n == 1}
        self.used_apps: set[str] = set()
        self.used_experts: set[str] = set(self.entrenched) | {self.concentrated}

    def _acted(self, app_id: str) -> set[str]:
        return set(self.revs.loc[self.revs["application_id"] == app_id, "expert_id"])

    def _pick_act(self, committees: tuple[str, ...] = ("PW01", "PW03", "PW05", "PW07", "PW08"),
                  year: int | None = None, single: bool = True) -> tuple[dict, str]:
        """A material-review act (application, expert) on an application and by an expert no other plant uses."""
        d = self.revs[self.revs["stage"] == "审阅"]
        cands = d[d["meeting_id"].str[5:9].isin(committees)]
        if year is not None:
            cands = cands[cands["meeting_id"].str[1:5] == str(year)]
        rows = cands[["application_id", "expert_id"]].drop_duplicates().sort_values(["application_id", "expert_id"])
        rows = rows.sample(frac=1.0, random_state=self.rng.randrange(1 << 30))
        for aid, eid in rows.itertuples(index=False):
            a = self.app_by_id[aid]
            if aid in self.used_apps or eid in self.used_experts or a["force"]:
                continue
            if single and a["person"].pid not in self.single:
                continue
            self.used_apps.add(aid)
            self.used_experts.add(eid)
            return a, eid
        raise RuntimeError("no act left to plant on")

    def _pick_app(self, committees: tuple[str, ...] = ("PW01", "PW03", "PW05", "PW07", "PW08"),
                  year: int | None = None) -> dict:
        cands = [a for a in sorted(self.apps, key=lambda a: a["application_id"])
                 if a["committee_id"] in committees and (year is None or a["year"] == year)
                 and a["application_id"] not in self.used_apps and a["person"].pid in self.single and not a["force"]]
        if not cands:
            raise RuntimeError("no application left to plant on")
        a = self.rng.choice(cands)
        self.used_apps.add(a["application_id"])
        return a

    def _relation(self, a: Person, b: Person, rel: str, start: str = "") -> None:
        self.rows["relations"].append({"a_name": a.name, "a_id_number": a.id_number, "b_name": b.name,
                                       "b_id_number": b.id_number, "relation": rel, "start": start, "end": "",
                                       "source": "人事档案"})

    def _act_date(self, app_id: str, eid: str) -> dt.date:
        r = self.revs[(self.revs["application_id"] == app_id) & (self.revs["expert_id"] == eid)]
        return pd.Timestamp(r["reviewed_on"].min()).date()

    def plant_ties(self) -> None:
        self._index()
        y0, y1, y2 = self.cfg["years"]
        P = lambda eid: self.expert_by_id[eid]["person"]  # noqa: E731
        self.tied_experts: set[str] = set()
        # --- 回避 ties on real acts.
        a, e = self._pick_act()
        self._relation(a["person"], P(e), "子女")
        self.lead("AVOID-KIN", application=a["application_id"], expert=e)
        self.lead("SCORE-TIED-OUTLIER", application=a["application_id"], expert=e)
        self.outlier_act = (a["application_id"], e)
        a, e = self._pick_act()
        self._relation(P(e), a["person"], "配偶")
        self.lead("AVOID-KIN", application=a["application_id"], expert=e)
        a, e = self._pick_act()
        self._relation(a["person"], P(e), "导师")
        self.lead("AVOID-ACADEMIC", application=a["application_id"], expert=e)
        a, e = self._pick_act()
        self._relation(a["person"], P(e), "合著", str(a["year"] - 2))
        self.lead("AVOID-ACADEMIC", application=a["application_id"], expert=e)
        a, e = self._pick_act()  # near miss: co-authorship outside the 5-year window
        self._relation(a["person"], P(e), "合著", str(a["year"] - 7))
        a, e = self._pick_act()
        self._relation(a["person"], P(e), "利害关系")
        self.lead("AVOID-OTHER", application=a["application_id"], expert=e)
        a, e = self._pick_act()  # near miss: classmates do not count unless count_classmates is on
        self._relation(a["person"], P(e), "同学")
        # near miss: a relative in the pool who never acted on the application
        a = self._pick_app()
        idle = next(x for x in self.pool[a["committee_id"]] if x["expert_id"] not in self._acted(a["application_id"])
                    and x["expert_id"] not in self.used_experts)
        self.used_experts.add(idle["expert_id"])
        self._relation(a["person"], idle["person"], "兄弟姐妹")
        # AVOID-RECUSED-ACTED: the recusal is on record, the expert still reviewed.
        a, e = self._pick_act()
        m = self.meetings[(a["committee_id"], a["year"], 0)]
        self.rows["recusals"].append({"meeting_id": a["meeting_id"], "expert_id": e, "application_id": a["application_id"],
                                      "initiated_by": "专家申请", "requested_on": m["drawn_on"], "reason": "曾指导申报人论文"})
        self.lead("AVOID-RECUSED-ACTED", application=a["application_id"], expert=e)
        # AVOID-LATENT: the applicant gives the expert's own mobile number.
        a, e = self._pick_act()
        a["phone"] = P(e).phone
        self.lead("AVOID-LATENT", application=a["application_id"], expert=e)
        self.tied_experts |= {e}
        # AVOID-FORMER-UNIT: the expert left the applicant's hospital a year before the review.
        a, e = self._pick_act(("PW01", "PW07"), year=y2)
        unit = self.rollup(a["unit"])
        switch = self._act_date(a["application_id"], e) - dt.timedelta(days=365)
        self.rows["employment"] += [
            {"name": P(e).name, "id_number": P(e).id_number, "employer": unit, "start": "2005-07-01",
             "end": switch.isoformat(), "position": ""},
            {"name": P(e).name, "id_number": P(e).id_number, "employer": P(e).unit,
             "start": (switch + dt.timedelta(days=1)).isoformat(), "end": "", "position": ""}]
        acts = self.revs[self.revs["expert_id"] == e]
        for aid, on in zip(acts["application_id"], pd.to_datetime(acts["reviewed_on"])):
            if self.unit_on(self.app_by_id[aid], on.date()) != unit:
                continue
            rule = "AVOID-UNIT" if on.date() <= switch else "AVOID-FORMER-UNIT"
            if on.date() <= switch + dt.timedelta(days=3 * 365):
                key = {"application": aid, "expert": e}
                if key not in self.truth.get(rule, []):
                    self.lead(rule, **key)
        # AVOID-STAFF: a staff member handles the spouse's application; a colleague's is normal work.
        self._staff_base()
        a = self._pick_app()
        staff = self.staff["GZ9001"]
        self._relation(staff, a["person"], "配偶")
        self.rows["staff_actions"].append({"staff_id": "GZ9001", "name": staff.name, "id_number": staff.id_number,
                                           "unit": "云南省人力资源和社会保障厅", "application_id": a["application_id"],
                                           "action": "审核", "on": dt.date(a["year"], 7, 10)})
        self.lead("AVOID-STAFF", application=a["application_id"], staff="GZ9001")
        # --- 中介
        a, e = self._pick_act()
        ag = self.intermediaries[1]
        a["agent"] = ag["name"]
        self.lead("BROKER-APPLICANT", application=a["application_id"], intermediary=ag["intermediary_id"])
        self.rows["links"].append({"from_kind": "人员", "from_name": P(e).name, "from_key": P(e).id_number,
                                   "to_kind": "中介", "to_name": ag["name"], "to_key": ag["intermediary_id"],
                                   "link": "付款", "amount": "20000", "on": f"{a['year'] - 1}-05-01", "source": "银行流水"})
        self.lead("BROKER-EXPERT", expert=e, intermediary=ag["intermediary_id"])
        self.lead("BROKER-TRIANGLE", application=a["application_id"], expert=e, intermediary=ag["intermediary_id"])
        self.tied_experts |= {e}
        a = self._pick_app()  # a licensed 人事代理 agency's phone: context, one band lower
        lic = self.intermediaries[3]
        a["phone"] = lic["phone"]
        self.lead("BROKER-APPLICANT", application=a["application_id"], intermediary=lic["intermediary_id"])
        a = self._pick_app()  # an agent the intermediaries table does not list: no lead
        a["agent"] = "亲属代办"
        staff = self.staff["GZ9002"]
        self.rows["links"].append({"from_kind": "人员", "from_name": staff.name, "from_key": staff.id_number,
                                   "to_kind": "中介", "to_name": self.intermediaries[4]["name"],
                                   "to_key": self.intermediaries[4]["intermediary_id"], "link": "股东", "amount": "",
                                   "on": "", "source": "工商登记"})
        self._staff_act("GZ9002", self._pick_app(), "受理", dt.date(y1, 7, 2))  # the data must show he is staff
        self.lead("BROKER-STAFF", staff="GZ9002", intermediary=self.intermediaries[4]["intermediary_id"])
        org = self.committee["PW01"]["organizer"]
        self.rows["links"].append({"from_kind": "单位", "from_name": org, "from_key": "", "to_kind": "中介",
                                   "to_name": self.intermediaries[2]["name"], "to_key": self.intermediaries[2]["intermediary_id"],
                                   "link": "付款", "amount": "50000", "on": f"{y1}-04-01", "source": "审计"})
        for c in self.committees:
            if c["organizer"] == org:
                self.lead("BROKER-ORGANIZER", committee=c["committee_id"],
                          intermediary=self.intermediaries[2]["intermediary_id"])
        # BROKER-CLUSTER: three applicants at three unrelated units give one mobile; near misses below.
        shared = make_mobile(self.rng, self.phones)
        picked: list[dict] = []
        for cids in (("PW01",), ("PW03",), ("PW05",)):
            picked.append(self._pick_app(cids))
        for a in picked:
            a["phone"] = shared
        self.lead("BROKER-CLUSTER", identifier=shared)
        two_units = make_mobile(self.rng, self.phones)  # three applicants, but two units: no lead
        a1 = self._pick_app(("PW01",))
        same_unit = [x for x in self.apps if self.rollup(x["unit"]) == self.rollup(a1["unit"])
                     and x["application_id"] not in self.used_apps and x["person"].pid in self.single][:1]
        for a in [a1, *same_unit, self._pick_app(("PW03",))]:
            a["phone"] = two_units
            self.used_apps.add(a["application_id"])
        # --- 重复配对
        a = self._pick_app(("PW01", "PW03", "PW07"))
        d = self.revs[(self.revs["application_id"] == a["application_id"]) & (self.revs["stage"] == "审阅")]
        self.revs = self.revs.drop(index=d.index[1:])
        self.lead("PAIR-FEW-REVIEWERS", application=a["application_id"])
        a = self._pick_app(("PW01", "PW03", "PW07"))
        d = self.revs[(self.revs["application_id"] == a["application_id"]) & (self.revs["stage"] == "审阅")]
        self.revs = self.revs.drop(index=d.index[2:])
        self.lead("PAIR-FEW-REVIEWERS", application=a["application_id"])
        a, e = self._pick_act()
        self.revs.loc[(self.revs["application_id"] == a["application_id"]) & (self.revs["expert_id"] == e)
                      & (self.revs["stage"] == "审阅"), "assignment"] = "指定"
        self.lead("PAIR-DESIGNATED", application=a["application_id"], expert=e)
        m = self.meetings[("PW08", y1, 0)]
        seat = next(r for r in self.rows["attendance"] if r["meeting_id"] == m["meeting_id"] and r["role"] == "委员")
        seat["selection"] = "指定"
        self.lead("PAIR-DESIGNATED", meeting=m["meeting_id"], expert=seat["expert_id"])
        self._plant_reciprocal()
        self._plant_recusal_leak()
        for e in self.entrenched:
            self.lead("PAIR-ENTRENCHED", expert=e, committee="PW02", exact=False)
        # --- 评委会与专家库
        self._plant_governance()
        # --- 程序、失信、监管
        self._plant_procedure()
        self._plant_sanctions_and_complaints()

    def _staff_base(self) -> None:
        """The 人社厅 staff who accept and check applications (a sample, spread over working days)."""
        self.staff = {}
        for sid in ("GZ1001", "GZ1002", "GZ1003", "GZ2001", "GZ2002", "GZ2003", "GZ3001", "GZ3002", "GZ9001", "GZ9002"):
            p = self.person("云南省人力资源和社会保障厅", (28, 55))
            self.used_pids.add(p.pid)
            self.staff[sid] = p
        for y in self.cfg["years"]:
            sample = [a for a in self.apps if a["year"] == y and a["committee_id"] != "PW02"][:120]
            for i, a in enumerate(sample):
                sid = ("GZ1001", "GZ1002", "GZ1003")[i % 3]
                on = dt.date(y, 7, 1) + dt.timedelta(days=i // 6)
                for action in ("受理", "审核"):
                    self._staff_act(sid, a, action, on)

    def _staff_act(self, sid: str, a: dict, action: str, on: dt.date) -> None:
        p = self.staff[sid]
        self.rows["staff_actions"].append({"staff_id": sid, "name": p.name, "id_number": p.id_number,
                                           "unit": "云南省人力资源和社会保障厅", "application_id": a["application_id"],
                                           "action": action, "on": on})

    def _plant_reciprocal(self) -> None:
        """Expert A reviews B's child; B reviews A's student, within two years; neither sat when the other acted."""
        y0, y1, y2 = self.cfg["years"]
        d = self.revs[self.revs["stage"] == "审阅"]
        sat = {(r["meeting_id"], r["expert_id"]) for r in self.rows["attendance"]}
        acts = d[["application_id", "expert_id", "meeting_id"]].drop_duplicates().sort_values(["application_id", "expert_id"])
        acts = acts[acts["meeting_id"].str[5:9].isin(["PW01", "PW03", "PW07"])]
        rows = list(acts.itertuples(index=False))
        self.rng.shuffle(rows)
        for r1 in rows:
            a1 = self.app_by_id[r1.application_id]
            if r1.expert_id in self.used_experts or r1.application_id in self.used_apps or a1["person"].pid not in self.single:
                continue
            for r2 in rows:
                a2 = self.app_by_id[r2.application_id]
                if (r2.expert_id in self.used_experts or r2.application_id in self.used_apps or r2.expert_id == r1.expert_id
                        or a2["person"].pid not in self.single or abs(a1["year"] - a2["year"]) > 1
                        or (r1.meeting_id, r2.expert_id) in sat or (r2.meeting_id, r1.expert_id) in sat):
                    continue
                A = self.expert_by_id[r1.expert_id]["person"]
                B = self.expert_by_id[r2.expert_id]["person"]
                self._relation(B, a1["person"], "子女")  # A reviewed B's child
                self._relation(A, a2["person"], "学生")  # B reviewed A's student
                self.used_apps |= {r1.application_id, r2.application_id}
                self.used_experts |= {r1.expert_id, r2.expert_id}
                self.lead("PAIR-RECIPROCAL", expert_a=min(r1.expert_id, r2.expert_id),
                          expert_b=max(r1.expert_id, r2.expert_id))
                return
        raise RuntimeError("no reciprocal pair found")

    def _plant_recusal_leak(self) -> None:
        """Applicant-requested recusals: after the draw (lead), without a reason (lead), in time with a reason (no lead)."""
        for when, reason, lead in (("after", "担心不公", True), ("before", "", True), ("before", "曾有学术争议", False)):
            a = self._pick_app(("PW01", "PW03", "PW07", "PW08"))
            m = next(mm for mm in self.meetings.values() if mm["meeting_id"] == a["meeting_id"])
            sitting = [e["expert_id"] for e in m["_sitting"] if e["expert_id"] not in self.used_experts]
            e = sorted(sitting)[0]
            self.used_experts.add(e)
            # The recused expert does not act on the application.
            self.revs = self.revs[~((self.revs["application_id"] == a["application_id"]) & (self.revs["expert_id"] == e))]
            if (self.revs["application_id"].eq(a["application_id"]) & self.revs["stage"].eq("审阅")).sum() < 3:
                spare = [x for x in sitting if x != e and not ((self.revs["application_id"] == a["application_id"])
                                                              & (self.revs["expert_id"] == x) & (self.revs["stage"] == "审阅")).any()
                         and self.rollup(self.expert_by_id[x]["person"].unit) != self.rollup(a["unit"])]
                self.revs = pd.concat([self.revs, pd.DataFrame([{
                    "application_id": a["application_id"], "expert_id": spare[0], "meeting_id": a["meeting_id"],
                    "stage": "审阅", "assignment": "随机", "score": 70.0, "vote": "",
                    "reviewed_on": pd.Timestamp(m["held_on"]) - pd.Timedelta(days=10)}])], ignore_index=True)
                self.used_experts.add(spare[0])
            on = m["drawn_on"] + dt.timedelta(days=1) if when == "after" else m["drawn_on"] - dt.timedelta(days=5)
            self.rows["recusals"].append({"meeting_id": m["meeting_id"], "expert_id": e,
                                          "application_id": a["application_id"], "initiated_by": "申报人申请",
                                          "requested_on": on, "reason": reason})
            if lead:
                self.lead("PAIR-RECUSAL-LEAK", application=a["application_id"], expert=e)

    def _plant_governance(self) -> None:
        y0, y1, y2 = self.cfg["years"]
        # GOV-SCOPE: a series and a level the committee may not evaluate.
        a = self._pick_app(("PW01",))
        a["series"] = "工程"
        self.lead("GOV-SCOPE", application=a["application_id"])
        a = self._pick_app(("PW03",))
        a["level"] = "副高级"
        self.lead("GOV-SCOPE", application=a["application_id"])
        # GOV-REGION: the self-evaluating committee evaluates an outsider (entrusted: no lead).
        pw09 = [a for a in self.apps if a["committee_id"] == self.selfeval["committee_id"]
                and a["person"].pid in self.single and a["application_id"] not in self.used_apps]
        for a, unit, entrusted in ((pw09[0], "昆明理工大学", ""), (pw09[1], "云南农业大学", "是")):
            if any(self.rollup(self.expert_by_id[x]["person"].unit) == unit for x in self._acted(a["application_id"])):
                unit = "云南省第一人民医院"
            a["unit"] = unit
            a["person"].unit = unit
            a["entrusted"] = entrusted
            self.used_apps.add(a["application_id"])
            if not entrusted:
                self.lead("GOV-REGION", application=a["application_id"])
        # GOV-EXPIRED
        self.committee["PW08"]["valid_until"] = f"{y2}-06-30"
        self.lead("GOV-EXPIRED", meeting=self.meetings[("PW08", y2, 0)]["meeting_id"])
        # GOV-COMMITTEE-SIZE: an even member count (the self-evaluating committee's 11 is the near miss).
        self.committee["PW06"]["member_count"] = 16
        self.lead("GOV-COMMITTEE-SIZE", committee="PW06")
        self.lead("GOV-POOL-SIZE", meeting=self.meetings[("PW04", y2, 0)]["meeting_id"])
        for y in (y1, y2):
            self.lead("GOV-POOL-RENEWAL", committee="PW06", meeting=self.meetings[("PW06", y, 0)]["meeting_id"])
        # GOV-EXPERT-LEVEL: a 副高级 expert in a 正高级 committee.
        m = self.meetings[("PW01", y0, 0)]
        e = next(x for x in m["_sitting"] if x["expert_id"] not in self.used_experts)
        self.used_experts.add(e["expert_id"])
        e["title"], e["title_level"] = "副主任医师", "副高级"
        for mid in sorted(set(self.revs.loc[self.revs["expert_id"] == e["expert_id"], "meeting_id"])):
            self.lead("GOV-EXPERT-LEVEL", expert=e["expert_id"], meeting=mid)
        # GOV-OUT-OF-POOL: a PW03 expert sits in a PW04 meeting.
        m = self.meetings[("PW04", y0, 0)]
        out = next(x for x in self.pool["PW03"] if x["expert_id"] not in self.used_experts)
        self.used_experts.add(out["expert_id"])
        self.rows["attendance"].append({"meeting_id": m["meeting_id"], "expert_id": out["expert_id"], "role": "委员",
                                        "selection": "随机抽取", "draw_scope": "每次抽取"})
        self.lead("GOV-OUT-OF-POOL", expert=out["expert_id"], meeting=m["meeting_id"])

    def _plant_procedure(self) -> None:
        y0, y1, y2 = self.cfg["years"]
        M = self.meetings
        self.lead("PROC-QUORUM", meeting=M[("PW05", y0, 0)]["meeting_id"])
        M[("PW01", y0, 0)]["publicity_end"] = M[("PW01", y0, 0)]["publicity_start"] + dt.timedelta(days=2)
        self.lead("PROC-PUBLICITY", meeting=M[("PW01", y0, 0)]["meeting_id"])
        M[("PW07", y1, 0)]["publicity_start"] = M[("PW07", y1, 0)]["publicity_end"] = None
        self.lead("PROC-PUBLICITY", meeting=M[("PW07", y1, 0)]["meeting_id"])
        m = M[("PW08", y0, 0)]
        m["filed_on"] = m["publicity_end"] + dt.timedelta(days=40)
        self.lead("PROC-FILING", meeting=m["meeting_id"])
        M[("PW05", y2, 0)]["filed_on"] = None
        self.lead("PROC-FILING", meeting=M[("PW05", y2, 0)]["meeting_id"])
        self.lead("PROC-LATE", meeting=M[("PW03", y0, 0)]["meeting_id"])
        m = M[("PW06", y0, 0)]
        m["notice_published_on"] = m["held_on"] + dt.timedelta(days=3)
        self.lead("PROC-NOTICE", meeting=m["meeting_id"])
        M[("PW04", y1, 0)]["notice_published_on"] = None
        self.lead("PROC-NOTICE", meeting=M[("PW04", y1, 0)]["meeting_id"])
        M[("PW03", y1, 0)]["training_held"] = "否"
        self.lead("PROC-CONDUCT", meeting=M[("PW03", y1, 0)]["meeting_id"])
        M[("PW07", y2, 0)]["closed_management"] = "否"
        self.lead("PROC-CONDUCT", meeting=M[("PW07", y2, 0)]["meeting_id"])
        a = self._pick_app()
        a["eligible"] = "否"
        self.lead("PROC-INELIGIBLE", application=a["application_id"])
        # Employer 公示 before recommending: four working days across the 2024 端午 holiday (lead),
        # five (no lead), and none at all (lead).
        for start, end, lead in ((dt.date(2024, 6, 7), dt.date(2024, 6, 13), True),
                                 (dt.date(2024, 6, 7), dt.date(2024, 6, 14), False), (None, None, True)):
            a = self._pick_app(year=y2)
            a["publicity_start"], a["publicity_end"] = start, end
            if lead:
                self.lead("PROC-UNIT-PUBLICITY", application=a["application_id"])
        # PROC-PROXY-VOTE: a pool member who did not sit casts a (弃权) vote.
        a = self._pick_app(("PW07",))
        m = next(mm for mm in M.values() if mm["meeting_id"] == a["meeting_id"])
        sitting = {e["expert_id"] for e in m["_sitting"]}
        proxy = next(e for e in self.pool["PW07"] if e["expert_id"] not in sitting and e["expert_id"] not in self.used_experts
                     and e["pool_from"] <= m["held_on"] and (e["pool_to"] is None or m["held_on"] <= e["pool_to"]))
        self.used_experts.add(proxy["expert_id"])
        self.revs = pd.concat([self.revs, pd.DataFrame([{
            "application_id": a["application_id"], "expert_id": proxy["expert_id"], "meeting_id": a["meeting_id"],
            "stage": "投票", "assignment": "", "score": np.nan, "vote": "弃权", "reviewed_on": pd.Timestamp(m["held_on"])}])],
            ignore_index=True)
        self.lead("PROC-PROXY-VOTE", application=a["application_id"], expert=proxy["expert_id"])
        # PROC-PERFUNCTORY: 61 checks in a day (lead), 60 (no lead), a check after the meeting (lead).
        pool = [a for a in self.apps if a["year"] == y1 and a["application_id"] not in self.used_apps
                and a["committee_id"] != "PW02"]
        day = dt.date(y1, 8, 20)
        for k, a in enumerate(pool[:61]):
            self._staff_act("GZ2001", a, "审核", day)
        for a in pool[61:121]:
            self._staff_act("GZ2002", a, "审核", day)
        self.lead("PROC-PERFUNCTORY", staff="GZ2001", date=day.isoformat())
        a = pool[130]
        late = M[(a["committee_id"], y1, 0)]["held_on"] + dt.timedelta(days=5)
        self._staff_act("GZ2003", a, "审核", late)
        self.lead("PROC-PERFUNCTORY", staff="GZ2003", date=late.isoformat())
        # PROC-UNTRACED-PASS: passed with no trace while the meeting's others have reviews (also 0 reviewers).
        a = self._pick_app(("PW01", "PW03", "PW07"))
        self.revs = self.revs[self.revs["application_id"] != a["application_id"]]
        self.untraced = a
        self.lead("PROC-UNTRACED-PASS", application=a["application_id"])
        self.lead("PAIR-FEW-REVIEWERS", application=a["application_id"])

    def _plant_sanctions_and_complaints(self) -> None:
        y0, y1, y2 = self.cfg["years"]
        M = self.meetings
        S = self.rows["sanctions"]
        a = self._pick_app()
        S.append({"name": a["person"].name, "id_number": a["person"].id_number, "credit_code": "", "kind": "申报人失信",
                  "committee_id": "", "start": f"{a['year'] - 1}-09-01", "end": "", "source": "省人社厅"})
        self.lead("SANCTION-APPLICANT", application=a["application_id"])
        m = M[("PW05", y2, 0)]
        e = next(x for x in m["_sitting"] if x["expert_id"] not in self.used_experts)
        self.used_experts.add(e["expert_id"])
        S.append({"name": e["person"].name, "id_number": e["person"].id_number, "credit_code": "",
                  "kind": "取消专家资格", "committee_id": "", "start": f"{y2}-01-15", "end": "", "source": "省人社厅"})
        self.lead("SANCTION-EXPERT", expert=e["expert_id"], meeting=m["meeting_id"])
        self.sanctioned_expert = e
        barred, lapsed = self.staff["GZ3001"], self.staff["GZ3002"]
        S.append({"name": barred.name, "id_number": barred.id_number, "credit_code": "", "kind": "禁止从事职称工作",
                  "committee_id": "", "start": f"{y1}-01-01", "end": "", "source": "省纪委监委"})
        S.append({"name": lapsed.name, "id_number": lapsed.id_number, "credit_code": "", "kind": "禁止从事职称工作",
                  "committee_id": "", "start": f"{y0 - 3}-01-01", "end": f"{y0 - 1}-12-31", "source": "省纪委监委"})
        a1, a2 = self._pick_app(year=y1), self._pick_app(year=y1)
        self._staff_act("GZ3001", a1, "推荐", dt.date(y1, 7, 3))
        self._staff_act("GZ3002", a2, "推荐", dt.date(y1, 7, 3))
        self.lead("SANCTION-STAFF", application=a1["application_id"], staff="GZ3001")
        held = M[("PW04", y1, 0)]["held_on"]
        S.append({"name": "", "id_number": "", "credit_code": "", "kind": "暂停评审", "committee_id": "PW04",
                  "start": (held - dt.timedelta(days=30)).isoformat(), "end": (held + dt.timedelta(days=30)).isoformat(),
                  "source": "省人社厅"})
        self.lead("SANCTION-UNIT", meeting=M[("PW04", y1, 0)]["meeting_id"])
        held = M[("PW07", y1, 0)]["held_on"]
        S.append({"name": "", "id_number": "", "credit_code": "", "kind": "暂停评审", "committee_id": "PW07",
                  "start": (held - dt.timedelta(days=60)).isoformat(), "end": (held - dt.timedelta(days=1)).isoformat(),
                  "source": "省人社厅"})
        # Complaints.
        C = self.rows["complaints"]

        def complaint(cid: str, received: str, accepted: str, responded: str, finding: str = "", extended: str = "否",
                      subject: Person | None = None, committee: str = "") -> None:
            C.append({"complaint_id": cid, "received_on": received, "accepted_on": accepted, "extended": extended,
                      "channel": "来信", "application_id": "", "committee_id": committee,
                      "subject_name": subject.name if subject else "", "subject_id_number": subject.id_number if subject else "",
                      "summary": "反映评审不公", "responded_on": responded, "status": "已办结" if responded else "办理中",
                      "finding": finding})

        complaint("TS001", f"{y1}-03-01", f"{y1}-03-05", "", committee="PW01")
        self.lead("SUPERVISE-COMPLAINT-LATE", complaint="TS001")
        complaint("TS002", f"{y1}-03-01", f"{y1}-03-02", f"{y1}-03-20", "不属实", committee="PW02")
        complaint("TS003", f"{y1}-04-01", f"{y1}-04-02", f"{y1}-06-16", committee="PW03")  # 75 days
        self.lead("SUPERVISE-COMPLAINT-LATE", complaint="TS003")
        complaint("TS004", f"{y1}-04-01", f"{y1}-04-02", f"{y1}-06-16", extended="是", committee="PW03")  # within 90
        x = next(e for e in self.pool["PW08"] if e["expert_id"] not in self.used_experts)
        self.used_experts.add(x["expert_id"])
        complaint("TS005", f"{y0}-02-01", f"{y0}-02-03", f"{y0}-03-01", "属实", subject=x["person"])
        self.lead("SUPERVISE-NO-SANCTION", complaint="TS005")
        complaint("TS006", f"{y1}-10-01", f"{y1}-10-02", f"{y1}-11-01", "部分属实", subject=self.sanctioned_expert["person"])
        # SUPERVISE-REPEAT-SUBJECT: an expert named in two overdue complaints still reviews afterwards.
        m = M[("PW03", y2, 0)]
        z = next(e for e in m["_sitting"] if e["expert_id"] not in self.used_experts
                 and (self.revs["expert_id"] == e["expert_id"]).any())
        self.used_experts.add(z["expert_id"])
        complaint("TS007", f"{y0}-01-05", f"{y0}-01-06", f"{y0}-05-20", subject=z["person"])
        complaint("TS008", f"{y0}-02-05", f"{y0}-02-06", f"{y0}-06-20", subject=z["person"])
        self.lead("SUPERVISE-COMPLAINT-LATE", complaint="TS007")
        self.lead("SUPERVISE-COMPLAINT-LATE", complaint="TS008")
        self.lead("SUPERVISE-REPEAT-SUBJECT", expert=z["expert_id"])

    def settle(self) -> None:
        """Scores and results as the plants leave them: tied experts score with their co-reviewers (but for the
        planted outlier), and every result follows the votes (3·同意 ≥ 2·D), but for the planted exceptions."""
        y0, y1, y2 = self.cfg["years"]
        tied = set(self.tied_experts)
        for rule in ("AVOID-KIN", "AVOID-ACADEMIC", "AVOID-OTHER", "AVOID-RECUSED-ACTED", "AVOID-UNIT",
                     "AVOID-FORMER-UNIT", "AVOID-SELF", "PAIR-RECIPROCAL"):
            for k in self.truth.get(rule, []):
                tied |= {v for kk, v in k.items() if kk.startswith("expert")}
        r = self.revs
        d = r["stage"] == "审阅"
        sums = r[d].groupby("application_id")["score"].agg(["sum", "count"])
        for idx in r.index[d & r["expert_id"].isin(tied)]:
            aid = r.at[idx, "application_id"]
            s, n = sums.loc[aid]
            if n > 1:
                others = (s - r.at[idx, "score"]) / (n - 1)
                r.at[idx, "score"] = round(others + (25.0 if (aid, r.at[idx, "expert_id"]) == self.outlier_act else 0.0), 1)
        le, lu = self.lenient
        for idx in r.index[d & (r["expert_id"] == le)]:
            aid = r.at[idx, "application_id"]
            s, n = sums.loc[aid]
            if self.rollup(self.app_by_id[aid]["unit"]) == lu and n > 1:
                r.at[idx, "score"] = min(100.0, round((s - r.at[idx, "score"]) / (n - 1) + 15.0, 1))
        # Results from the votes: D = attendance minus recusals (for this application or the whole meeting).
        att = pd.DataFrame(self.rows["attendance"])
        rec = pd.DataFrame(self.rows["recusals"])
        present = att.groupby("meeting_id").size()
        rec_in = rec.merge(att[["meeting_id", "expert_id"]], on=["meeting_id", "expert_id"])
        recused = rec_in.groupby("application_id")["expert_id"].nunique()
        votes = r[r["stage"] == "投票"]
        agree = votes[votes["vote"] == "同意"].groupby("application_id").size()
        voted = set(votes["application_id"])
        for a in self.apps:
            aid = a["application_id"]
            if aid not in voted:
                continue
            D = int(present.get(a["meeting_id"], 0)) - int(recused.get(aid, 0))
            a["result"] = "通过" if 3 * int(agree.get(aid, 0)) >= 2 * D else "未通过"
        self.revs = r
        # PROC-PASS-THRESHOLD: one passed without two thirds (高), one failed with them (低).
        fails = sorted(a["application_id"] for a in self.apps if a["result"] == "未通过" and a["application_id"]
                       not in self.used_apps and a["person"].pid in self.single)
        passes = sorted(a["application_id"] for a in self.apps if a["result"] == "通过" and a["application_id"]
                        not in self.used_apps and a["person"].pid in self.single)
        for aid, res in ((fails[len(fails) // 2], "通过"), (passes[len(passes) // 2], "未通过")):
            self.app_by_id[aid]["result"] = res
            self.used_apps.add(aid)
            self.lead("PROC-PASS-THRESHOLD", application=aid)
        self.untraced["result"] = "通过"
        # The broken rows of the export must not hit a planted application.
        handled = {r["application_id"] for r in self.rows["staff_actions"]}
        rest = [a for a in self.apps if a["year"] == y1 and a["application_id"] not in self.used_apps
                and a["application_id"] not in handled and a["person"].pid in self.single and not a["force"]]
        self._broken_app_ids = {rest[len(rest) // 2]["application_id"], rest[len(rest) // 2 + 1]["application_id"]}

    def unit_on(self, a: dict, on: dt.date) -> str:
        moved = self.moved.get(a["person"].pid)
        if moved and on >= moved[1]:
            return self.rollup(moved[0])
        return self.rollup(a["unit"])

    def plant_identity(self) -> None:
        """Identity traps: job changes with a history table (the application's employer goes stale),
        an Excel-mangled id that merges back by name + birth date, homonyms, one expert in two pools."""
        y0, y1, y2 = self.cfg["years"]
        self.moved: dict[int, tuple[str, dt.date]] = {}
        expert_units = {self.rollup(e["person"].unit) for pool in self.pool.values() for e in pool}
        free = sorted(u for s in ("卫生", "农业", "工程") for u in self.employers[s] if u not in expert_units)
        movers = [a for a in self.apps if a["year"] == y2 and not a["force"]][:5]
        for a, new in zip(movers, free):
            p = a["person"]
            self.rows["employment"] += [
                {"name": p.name, "id_number": p.id_number, "employer": p.unit, "start": "2010-07-01",
                 "end": f"{y2 - 1}-12-31", "position": ""},
                {"name": p.name, "id_number": p.id_number, "employer": new, "start": f"{y2}-01-01", "end": "",
                 "position": "科员"}]
            self.moved[p.pid] = (new, dt.date(y2, 1, 1))
        # An Excel-mangled id on the first application of someone who applied again.
        first: dict[int, dict] = {}
        self._mangled: set[str] = set()
        for a in self.apps:
            pid = a["person"].pid
            if pid in first and first[pid]["year"] == y0 and a["year"] != y0:
                self._mangled.add(first[pid]["application_id"])
                break
            first.setdefault(pid, a)
        # One expert serving two pools under one expert_id.
        e = dict(self.pool["PW01"][-1])
        e["committee_id"] = "PW03"
        e["pool_from"] = dt.date(y2, 12, 31)  # joins after the last meeting: no seat there
        self.pool["PW03"].append(e)
        # Homonyms: same name, different people.
        a, b = self.apps[3], self.apps[4]
        b["person"].name = a["person"].name
    # ------------------------------------------------------------------ writing
    def write(self, out: Path, profile: str = "full") -> dict:
        out.mkdir(parents=True, exist_ok=True)
        for p in out.iterdir():
            if p.is_file():
                p.unlink()
        if profile == "minimal":
            return self._write_minimal(out)
        years = self.cfg["years"]
        # units
        pd.DataFrame([{k: v for k, v in u.items() if k != "series"} for u in self.units]).rename(columns={
            "name": "单位名称", "credit_code": "统一社会信用代码", "aliases": "别名", "parent": "上级单位",
            "kind": "类型", "region": "地区"}).to_csv(out / "units.csv", index=False, encoding="utf-8")
        # committees
        pd.DataFrame([{k: v for k, v in c.items() if not k.startswith("_")} for c in self.committees]).to_csv(
            out / "committees.csv", index=False, encoding="utf-8")
        # experts: one XLSX, a sheet per committee, Chinese headers under a banner
        self._write_experts(out / "experts.xlsx")
        # applications, one file per year, each exported differently
        alias_by_unit = {u["name"]: u["aliases"].split("、")[0] for u in self.units if u["aliases"]}
        for y in years:
            rows = []
            for i, a in enumerate(x for x in self.apps if x["year"] == y):
                p = a["person"]
                idn = p.id_number
                if i % 37 == 5:
                    idn = idn.lower() if idn.endswith("X") else "".join(chr(ord(ch) + 0xFEE0) for ch in idn)
                employer = a["unit"]
                if a["application_id"] in self._mangled:
                    idn = f"{float(idn[:17] + '0'):.5E}"  # what Excel shows
                    self.bad_values.append({"file": f"applications-{y}.csv", "row": i + 2, "column": "id_number"})
                if employer in alias_by_unit and i % 3 == 0:
                    employer = alias_by_unit[employer]
                rows.append({"application_id": a["application_id"], "year": y, "name": p.name, "id_number": idn,
                             "gender": "男" if p.male else "女", "birth_date": p.birth.isoformat(),
                             "employer": employer, "series": a["series"], "specialty": a["specialty"],
                             "level": a["level"], "committee_id": a["committee_id"], "phone": a["phone"],
                             "agent": a["agent"], "eligible": a["eligible"], "result": a["result"],
                             "publicity_start": a["publicity_start"].isoformat() if a["publicity_start"] else "",
                             "publicity_end": a["publicity_end"].isoformat() if a["publicity_end"] else "",
                             "entrusted": a["entrusted"]})
            df = pd.DataFrame(rows)
            if y == years[1]:
                # GB18030 with a title banner and Chinese headers, as WPS exports it.
                df = df.rename(columns={"application_id": "申报编号", "year": "评审年度", "name": "姓名",
                                        "id_number": "身份证号码", "gender": "性别", "birth_date": "出生日期",
                                        "employer": "工作单位", "series": "申报系列", "specialty": "申报专业",
                                        "level": "申报资格", "committee_id": "评委会编号", "phone": "联系电话",
                                        "agent": "代理人", "eligible": "资格审核结果", "result": "评审结果",
                                        "publicity_start": "单位公示开始日期", "publicity_end": "单位公示结束日期",
                                        "entrusted": "委托评审"})
                df["评审年度"] = df["评审年度"].astype(str) + "年度"
                # Broken rows: an empty application id and an unreadable year (rows 3+i: banner, header).
                b1, b2 = sorted(df.index[df["申报编号"].isin(self._broken_app_ids)])
                df.loc[b1, "申报编号"] = ""
                self.broken.append({"file": f"applications-{y}.csv", "row": int(b1) + 3, "column": "application_id",
                                    "reason": "关键列为空"})
                df.loc[b2, "评审年度"] = "待定"
                self.broken.append({"file": f"applications-{y}.csv", "row": int(b2) + 3, "column": "year",
                                    "reason": "无法识别的年度: 待定"})
                text = "2023年度职称申报人员花名册\n" + df.to_csv(index=False)
                (out / f"applications-{y}.csv").write_bytes(text.encode("gb18030"))
            else:
                enc = "utf-8-sig" if y == years[-1] else "utf-8"
                df.to_csv(out / f"applications-{y}.csv", index=False, encoding=enc)
        # reviews per year
        revs = self.revs[~self.revs["application_id"].isin(self._broken_app_ids)].copy()
        revs["year"] = revs["meeting_id"].str[1:5].astype(int)
        for y in years:
            d = revs[revs["year"] == y].drop(columns="year").copy()
            d["reviewed_on"] = pd.to_datetime(d["reviewed_on"]).dt.strftime("%Y-%m-%d")
            d["score"] = d["score"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
            d = d.reset_index(drop=True)
            if y == years[0]:
                # A review of an application that is not in the applications table (rejected), and a vote
                # row whose score cell says 优秀 (emptied with a warning; votes carry no score anyway).
                extra = d.iloc[[0]].assign(application_id="SB-NOT-EXIST")
                d = pd.concat([extra, d], ignore_index=True)
                self.broken.append({"file": f"reviews-{y}.csv", "row": 2, "column": "application_id",
                                    "reason": "申报编号在申报记录中找不到(或在多个年度重复且无法确定年度)"})
                v = int(d.index[d["stage"] == "投票"][0])
                d.loc[v, "score"] = "优秀"
                self.bad_values.append({"file": f"reviews-{y}.csv", "row": v + 2, "column": "score"})
            d.to_csv(out / f"reviews-{y}.csv", index=False, encoding="utf-8")
        # small tables (nothing that points at the broken applications: their rows are rejected)
        broken = self._broken_app_ids
        for name in ("recusals", "staff_actions", "complaints"):
            self.rows[name] = [r for r in self.rows[name] if r.get("application_id") not in broken]
        for name in ("meetings", "attendance", "recusals", "employment", "relations", "intermediaries", "links",
                     "staff_actions", "sanctions", "complaints"):
            rows = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items() if not k.startswith("_")}
                    for r in self.rows[name]]
            if rows:
                pd.DataFrame(rows).to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
        if profile == "messy":
            self._messify(out)
        return self._truth(out, profile)

    # ------------------------------------------------------------------ export profiles
    MINIMAL = {"applications": ["application_id", "year", "name", "id_number", "committee_id"],
               "experts": ["expert_id", "committee_id", "name", "id_number"],
               "reviews": ["application_id", "expert_id"]}
    # Planted leads whose evidence lies wholly in the minimal columns: an expert reviewing his own application
    # needs only the review row and the two id numbers. Everything else rests on a column minimal leaves out.
    MINIMAL_EVIDENT = ("AVOID-SELF",)
    # Tables messy gives header-only: a year's export that came out empty is data, and the rules that read it
    # run and find nothing there.
    MESSY_EMPTY = ("sanctions", "complaints")

    def _write_minimal(self, out: Path) -> dict:
        """Only the required tables and the columns no export can lack: ids, year, names, id numbers, the
        committee. No birth dates, meetings, recusals, stages or scores; real id numbers throughout."""
        broken = self._broken_app_ids
        apps = pd.DataFrame([{"application_id": a["application_id"], "year": a["year"], "name": a["person"].name,
                              "id_number": a["person"].id_number, "committee_id": a["committee_id"]}
                             for a in self.apps if a["application_id"] not in broken])
        apps.rename(columns={"application_id": "申报编号", "year": "评审年度", "name": "姓名", "id_number": "身份证号",
                             "committee_id": "评委会编号"}).to_csv(out / "applications.csv", index=False,
                                                                   encoding="utf-8-sig")
        pd.DataFrame([{"expert_id": e["expert_id"], "committee_id": cid, "name": e["person"].name,
                       "id_number": e["person"].id_number} for cid, members in self.pool.items() for e in members]
                     ).to_csv(out / "experts.csv", index=False, encoding="utf-8")
        revs = self.revs[~self.revs["application_id"].isin(broken)][self.MINIMAL["reviews"]].drop_duplicates()
        revs.to_csv(out / "reviews.csv", index=False, encoding="utf-8")
        return self._truth(out, "minimal")

    def _messify(self, out: Path) -> None:
        """On top of the full export: header-only tables, header-only split files (a year's review export that
        came out empty), control characters in names (what a broken export leaves), an odd file name."""
        for name in self.MESSY_EMPTY:
            path = out / f"{name}.csv"
            path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        last = self.cfg["years"][-1]
        (out / f"reviews-{last + 1}.csv").write_text(
            (out / f"reviews-{last}.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        (out / "relations-补充.csv").write_text("甲方姓名,甲方身份证号,乙方姓名,乙方身份证号,关系\n", encoding="utf-8")
        (out / "intermediaries.csv").rename(out / "intermediaries-工商登记查询结果.csv")
        path = out / f"applications-{last}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for i, ch in ((3, "\x00"), (8, "\x0b")):
            name = df.loc[i, "name"]
            df.loc[i, "name"] = name[:1] + ch + name[1:]
            self.bad_values.append({"file": path.name, "row": i + 2, "column": "name"})
        df.to_csv(path, index=False, encoding="utf-8-sig")

    def _write_experts(self, path: Path) -> None:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        headers = ["专家编号", "评委会编号", "姓名", "身份证号码", "性别", "工作单位", "职称", "职称级别", "专业领域",
                   "联系电话", "入库日期", "到期日期"]
        for cid, members in self.pool.items():
            ws = wb.create_sheet(cid)
            ws.append([f"{cid}评审专家库名单"] + [None] * (len(headers) - 1))
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
            ws.append(headers)
            for e in members:
                p = e["person"]
                ws.append([e["expert_id"], cid, p.name, p.id_number, "男" if p.male else "女", p.unit, e["title"],
                           e["title_level"], e["specialty"], p.phone,
                           dt.datetime.combine(e["pool_from"], dt.time()), e["pool_to"]])
        fixed = dt.datetime(2025, 1, 1)
        wb.properties.created = fixed
        wb.properties.modified = fixed
        buf = io.BytesIO()
        wb.save(buf)
        # Rewrite the zip with fixed timestamps: same seed, same bytes.
        src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' at save time
                    data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
                zi = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(zi, data)

    GROUPED = ("AVOID-UNIT", "AVOID-FORMER-UNIT")  # one lead per expert, unit and meeting (rules.md)

    def _grain(self, rule: str, keys: list[dict]) -> list[dict]:
        """The planted acts as leads: the unit rules' (application, expert) plants become one lead per expert,
        unit (as of the act) and meeting, however many applications the expert acted on there."""
        if rule not in self.GROUPED:
            return keys
        out: list[dict] = []
        for k in keys:
            r = self.revs[(self.revs["application_id"] == k["application"]) & (self.revs["expert_id"] == k["expert"])]
            on = pd.Timestamp(r["reviewed_on"].min()).date()
            key = {"expert": k["expert"], "unit": self.unit_on(self.app_by_id[k["application"]], on),
                   "meeting": str(r["meeting_id"].iloc[0])}
            if key not in out:
                out.append(key)
        return out

    def _truth(self, out: Path, profile: str = "full") -> dict:
        broken = self._broken_app_ids
        pids = set(self.used_pids) | {a["person"].pid for a in self.apps if a["application_id"] not in broken}
        for pool in self.pool.values():
            pids |= {e["person"].pid for e in pool}
        n_persons = len(pids)
        counts = {"applications": len(self.apps), "review_rows": len(self.revs),
                  "pool_rows": sum(len(p) for p in self.pool.values()), "meetings": len(self.rows["meetings"])}
        leads = {k: self._grain(k, v) for k, v in sorted(self.truth.items())}
        rejects, bad = sorted(self.broken, key=lambda b: (b["file"], b["row"])), self.bad_values
        tables: dict[str, list[str]] | None = None  # None: every table and column of the full export
        if profile == "minimal":
            leads = {k: v for k, v in leads.items() if k in self.MINIMAL_EVIDENT}
            rejects, bad, tables = [], [], dict(self.MINIMAL)
        elif profile == "messy":
            leads = {k: v for k, v in leads.items() if not k.startswith(("SANCTION-", "SUPERVISE-"))}
        truth = {"seed": self.seed, "scale": self.scale, "profile": profile, "counts": counts, "persons": n_persons,
                 "units": len(self.units), "rejects": rejects, "bad_values": bad, "leads": leads,
                 "inexact_rules": sorted(self.inexact), "tables": tables}
        (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True),
                                        encoding="utf-8")
        return truth


PROFILES = ("full", "minimal", "messy")


def generate(out_dir: Path | str, scale: str = "demo", seed: int = 1, factor: float = 1.0,
             profile: str = "full") -> dict:
    """Write a scenario to ``out_dir`` and return its truth (``factor`` scales the applications per year).

    ``profile`` is how the export looks: ``full`` (every table, untidy as real exports are), ``minimal`` (the
    required tables with only the columns no export can lack) or ``messy`` (full, plus header-only tables and
    files, control characters in names, an odd file name). ``truth.json`` follows the profile: the planted
    leads the exported columns still evidence, and which tables and columns were written."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}")
    g = Gen(seed, scale, factor)
    g.build_units()
    g.build_intermediaries()
    g.build_committees()
    g.build_pools()
    g.plan()
    g.simulate()
    g.plant_identity()
    g.plant_ties()
    g.settle()
    return g.write(Path(out_dir), profile)
