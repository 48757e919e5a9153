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
    rng: random.Random = field(init=False)
    np_rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.np_rng = np.random.default_rng(self.seed)
        self.cfg = SCALES[self.scale]
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

    # ------------------------------------------------------------------ helpers
    def lead(self, rule: str, **key: object) -> None:
        self.truth.setdefault(rule, []).append({k: v for k, v in key.items()})

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
        self.committees = []
        levels_for = {"正高": "正高级", "副高": "副高级"}
        n = 0
        for s in SERIES:
            for lv, lvname in levels_for.items():
                n += 1
                cid = f"PW{n:02d}"
                member = self.rng.choice((17, 19, 21, 23, 25, 27))
                c = {"committee_id": cid, "name": f"云南省{s}系列{lv}级职称评审委员会", "organizer": SUPERVISOR[s],
                     "series": s, "levels": lvname, "region": "云南省", "approved_on": "2021-06-01",
                     "valid_until": "2026-05-31", "member_count": member, "formed_by": "按系列",
                     "self_evaluating": "否", "_series": s, "_level": lvname}
                self.committees.append(c)
        self.rows["committees"] = self.committees

    def build_pools(self) -> None:
        self.pool: dict[str, list[dict]] = {}
        eid = 0
        for c in self.committees:
            s = c["_series"]
            size = c["member_count"] * self.cfg["pool_factor"] + 4
            members = []
            for _ in range(size):
                emp = self.rng.choice(self.employers[s])
                unit = self.rng.choice(self.departments.get(emp) or [emp]) if self.rng.random() < 0.3 else emp
                p = self.person(unit, (45, 62))
                eid += 1
                e = {"expert_id": f"E{eid:05d}", "committee_id": c["committee_id"], "person": p,
                     "title": SERIES[s]["titles"]["正高级"], "title_level": "正高级",
                     "specialty": self.rng.choice(SERIES[s]["specialties"]), "pool_from": dt.date(2021, 7, 1),
                     "pool_to": None}
                members.append(e)
            self.pool[c["committee_id"]] = members

    # ------------------------------------------------------------------ simulation
    def simulate(self) -> None:
        r = self.rng
        years = self.cfg["years"]
        per_year = self.cfg["apps_per_year"]
        failed: list[tuple[Person, str, str]] = []  # reapplicants
        app_seq = 0
        self.meetings: dict[tuple[str, int], dict] = {}
        self.prev_reviewers: dict[int, set[str]] = {}
        for y in years:
            apps_y: list[dict] = []
            again = [f for f in failed if r.random() < 0.6]
            failed = []
            for p, cid, lvl in again:
                app_seq += 1
                apps_y.append(self._app(app_seq, y, p, cid, lvl))
            while len(apps_y) < per_year:
                c = r.choice(self.committees)
                s = c["_series"]
                emp = r.choice(self.employers[s])
                unit = r.choice(self.departments.get(emp) or [emp]) if r.random() < 0.2 else emp
                p = self.person(unit)
                app_seq += 1
                apps_y.append(self._app(app_seq, y, p, c["committee_id"], c["_level"]))
            self.apps.extend(apps_y)
            for c in self.committees:
                cid = c["committee_id"]
                held = dt.date(y, 11, r.randint(3, 20))
                held = held + dt.timedelta(days=(7 - held.weekday()) % 7 if held.weekday() > 4 else 0)
                m = {"meeting_id": f"M{y}{cid}", "committee_id": cid, "year": y, "held_on": held, "kind": "全体会议",
                     "drawn_on": held - dt.timedelta(days=2), "expected_count": c["member_count"],
                     "series": c["_series"], "level": c["_level"], "notice_published_on": dt.date(y, 3, 15),
                     "publicity_start": held + dt.timedelta(days=7), "publicity_end": held + dt.timedelta(days=17),
                     "filed_on": held + dt.timedelta(days=30), "training_held": "是", "closed_management": "是"}
                self.meetings[(cid, y)] = m
                self.rows["meetings"].append(m)
                pool = [e for e in self.pool[cid] if e["pool_from"] <= held and (e["pool_to"] is None or held <= e["pool_to"])]
                sitting = r.sample(pool, min(c["member_count"], len(pool)))
                m["_sitting"] = sitting
                for k, e in enumerate(sitting):
                    self.rows["attendance"].append({"meeting_id": m["meeting_id"], "expert_id": e["expert_id"],
                                                    "role": "主任委员" if k == 0 else "副主任委员" if k == 1 else "委员",
                                                    "selection": "指定" if k < 2 else "随机抽取", "draw_scope": "每次抽取"})
            for c in self.committees:
                m = self.meetings[(c["committee_id"], y)]
                cap = [a for a in apps_y if a["committee_id"] == c["committee_id"]]
                self._review_meeting(m, cap)
                for a in cap:
                    if a["result"] == "未通过":
                        failed.append((a["person"], a["committee_id"], a["level"]))

    def _app(self, seq: int, year: int, p: Person, cid: str, level: str) -> dict:
        c = next(x for x in self.committees if x["committee_id"] == cid)
        return {"application_id": f"SB{year}{seq:06d}", "year": year, "person": p, "committee_id": cid,
                "series": c["_series"], "level": level, "specialty": self.rng.choice(SERIES[c["_series"]]["specialties"]),
                "quality": self.rng.random(), "agent": "", "eligible": "是", "result": None,
                "publicity_start": dt.date(year, 6, 1), "publicity_end": dt.date(year, 6, 12),
                "force": [], "n_review": 3, "phone": p.phone, "unit": p.unit}

    def rollup(self, unit: str) -> str:
        u = self.unit_by_name.get(unit)
        while u and u["kind"] == "内设机构" and u["parent"]:
            u = self.unit_by_name.get(u["parent"])
        return u["name"] if u else unit

    def _review_meeting(self, m: dict, apps: list[dict]) -> None:
        """Material review by 3 drawn experts (never from the applicant's unit or earlier reviewers),
        then a vote of every sitting expert but those recused for the applicant's unit."""
        sitting = m["_sitting"]
        k = len(sitting)
        n = len(apps)
        if n == 0 or k == 0:
            return
        ex_unit = np.array([self.rollup(e["person"].unit) for e in sitting])
        ap_unit = np.array([self.rollup(a["unit"]) for a in apps])
        same = ap_unit[:, None] == ex_unit[None, :]
        ex_ids = np.array([e["expert_id"] for e in sitting])
        keys = self.np_rng.random((n, k))
        keys[same] = 2.0
        for i, a in enumerate(apps):
            prev = self.prev_reviewers.get(a["person"].pid)
            if prev:
                keys[i, np.isin(ex_ids, list(prev))] = 2.0
            for f in a["force"]:
                j = int(np.flatnonzero(ex_ids == f)[0])
                keys[i, j] = -1.0
        order = np.argsort(keys, axis=1, kind="stable")[:, :3]
        held = pd.Timestamp(m["held_on"])
        rev_app, rev_exp, scores, assign = [], [], [], []
        for i, a in enumerate(apps):
            chosen = [ex_ids[j] for j in order[i, : a["n_review"]]]
            self.prev_reviewers.setdefault(a["person"].pid, set()).update(chosen)
            for e in chosen:
                rev_app.append(a["application_id"])
                rev_exp.append(e)
                scores.append(round(55 + 40 * a["quality"] + self.rng.gauss(0, 4), 1))
                assign.append(a.get("assign", "随机"))
        review = pd.DataFrame({"application_id": rev_app, "expert_id": rev_exp, "meeting_id": m["meeting_id"],
                               "stage": "审阅", "assignment": assign, "score": np.clip(scores, 0, 100), "vote": "",
                               "reviewed_on": held - pd.Timedelta(days=10)})
        # Votes: everyone sitting except same-unit (recused); forced experts vote too.
        force_mask = np.zeros((n, k), dtype=bool)
        for i, a in enumerate(apps):
            for f in a["force"]:
                force_mask[i, ex_ids == f] = True
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

    # ------------------------------------------------------------------ plants
    def plan(self) -> None:
        """Before simulation: choose applications whose reviews are forced (tie plants)."""
        self.plants: list[tuple[str, dict, dict]] = []

    def plant_ties(self) -> None:
        """After simulation: ties on acts that happened (the acts are real; the ties are added)."""
        r = self.rng
        revs = pd.concat(self.review_frames, ignore_index=True)
        direct = revs[revs["stage"] == "审阅"]
        app_by_id = {a["application_id"]: a for a in self.apps}
        expert_by_id = {e["expert_id"]: e for pool in self.pool.values() for e in pool}
        picks = direct.drop_duplicates("application_id").sample(n=12, random_state=self.seed)
        picks = list(picks.itertuples(index=False))
        year_of = lambda a: a["year"]  # noqa: E731
        # AVOID-KIN: the reviewer is the applicant's relative.
        for rel, rule, pr in (("子女", "AVOID-KIN", picks[0]), ("配偶", "AVOID-KIN", picks[1]),
                              ("导师", "AVOID-ACADEMIC", picks[2]), ("利害关系", "AVOID-OTHER", picks[3])):
            a = app_by_id[pr.application_id]
            e = expert_by_id[pr.expert_id]
            self.rows["relations"].append({"a_name": a["person"].name, "a_id_number": a["person"].id_number,
                                           "b_name": e["person"].name, "b_id_number": e["person"].id_number,
                                           "relation": rel, "start": "", "end": "", "source": "人事档案"})
            self.lead(rule, application=pr.application_id, expert=pr.expert_id)
        # Near miss: a relative in the pool who never acted on the application.
        a = app_by_id[picks[4].application_id]
        acted = set(revs.loc[revs["application_id"] == a["application_id"], "expert_id"])
        pool = self.pool[a["committee_id"]]
        idle = next(e for e in pool if e["expert_id"] not in acted)
        self.rows["relations"].append({"a_name": a["person"].name, "a_id_number": a["person"].id_number,
                                       "b_name": idle["person"].name, "b_id_number": idle["person"].id_number,
                                       "relation": "兄弟姐妹", "start": "", "end": "", "source": "人事档案"})
        # AVOID-RECUSED-ACTED: a recusal recorded, yet the expert reviewed.
        pr = picks[5]
        a = app_by_id[pr.application_id]
        self.rows["recusals"].append({"meeting_id": pr.meeting_id, "expert_id": pr.expert_id,
                                      "application_id": pr.application_id, "initiated_by": "专家申请",
                                      "requested_on": self.meetings[(a["committee_id"], a["year"])]["drawn_on"],
                                      "reason": "曾为申报人论文指导"})
        self.lead("AVOID-RECUSED-ACTED", application=pr.application_id, expert=pr.expert_id)
        # AVOID-LATENT: the applicant gives the expert's mobile number.
        pr = picks[6]
        a = app_by_id[pr.application_id]
        a["phone"] = expert_by_id[pr.expert_id]["person"].phone
        self.lead("AVOID-LATENT", application=pr.application_id, expert=pr.expert_id)
        # AVOID-STAFF: a staff member handled a spouse's application.
        pr = picks[7]
        a = app_by_id[pr.application_id]
        staff = self.person("云南省人力资源和社会保障厅", (30, 50))
        self.used_pids.add(staff.pid)
        self.rows["relations"].append({"a_name": staff.name, "a_id_number": staff.id_number, "b_name": a["person"].name,
                                       "b_id_number": a["person"].id_number, "relation": "配偶", "start": "",
                                       "end": "", "source": "人事档案"})
        self.rows["staff_actions"].append({"staff_id": "GZ9001", "name": staff.name, "id_number": staff.id_number,
                                           "unit": "云南省人力资源和社会保障厅", "application_id": a["application_id"],
                                           "action": "审核", "on": dt.date(a["year"], 7, 10)})
        self.lead("AVOID-STAFF", application=a["application_id"], staff="GZ9001")
        # BROKER-APPLICANT / BROKER-EXPERT / BROKER-TRIANGLE through one agency.
        pr = picks[8]
        a = app_by_id[pr.application_id]
        ag = self.intermediaries[1]
        a["agent"] = ag["name"]
        self.lead("BROKER-APPLICANT", application=pr.application_id, intermediary=ag["intermediary_id"])
        e = expert_by_id[pr.expert_id]
        self.rows["links"].append({"from_kind": "人员", "from_name": e["person"].name, "from_key": e["person"].id_number,
                                   "to_kind": "中介", "to_name": ag["name"], "to_key": ag["intermediary_id"],
                                   "link": "付款", "amount": "20000", "on": f"{a['year'] - 1}-05-01",
                                   "source": "银行流水"})
        self.lead("BROKER-EXPERT", expert=pr.expert_id, intermediary=ag["intermediary_id"])
        self.lead("BROKER-TRIANGLE", application=pr.application_id, expert=pr.expert_id,
                  intermediary=ag["intermediary_id"])
        # BROKER-ORGANIZER: the organizer of a committee paid an agency.
        c = self.committees[0]
        self.rows["links"].append({"from_kind": "单位", "from_name": c["organizer"], "from_key": "",
                                   "to_kind": "中介", "to_name": self.intermediaries[2]["name"],
                                   "to_key": self.intermediaries[2]["intermediary_id"], "link": "付款",
                                   "amount": "50000", "on": "2023-04-01", "source": "审计"})
        self.lead("BROKER-ORGANIZER", committee=c["committee_id"], intermediary=self.intermediaries[2]["intermediary_id"])
        # PAIR-FEW-REVIEWERS: one reviewer only.
        pr = picks[9]
        drop = revs[(revs["application_id"] == pr.application_id) & (revs["stage"] == "审阅")].index[1:]
        self.review_frames = [revs.drop(index=drop)]
        revs = self.review_frames[0]
        self.lead("PAIR-FEW-REVIEWERS", application=pr.application_id)
        # PAIR-DESIGNATED: a review recorded as 指定.
        pr = picks[10]
        idx = revs[(revs["application_id"] == pr.application_id) & (revs["expert_id"] == pr.expert_id)
                   & (revs["stage"] == "审阅")].index
        revs.loc[idx, "assignment"] = "指定"
        self.lead("PAIR-DESIGNATED", application=pr.application_id, expert=pr.expert_id)
        # SANCTION-APPLICANT: applied while banned.
        a = app_by_id[picks[11].application_id]
        self.rows["sanctions"].append({"name": a["person"].name, "id_number": a["person"].id_number,
                                       "credit_code": "", "kind": "申报人失信", "committee_id": "",
                                       "start": f"{a['year'] - 1}-09-01", "end": "", "source": "省人社厅"})
        self.lead("SANCTION-APPLICANT", application=a["application_id"])
        # Meetings: quorum, publicity, conduct, expired committee.
        y0 = self.cfg["years"][0]
        m = self.meetings[(self.committees[1]["committee_id"], y0)]
        m["publicity_end"] = m["publicity_start"] + dt.timedelta(days=2)
        self.lead("PROC-PUBLICITY", meeting=m["meeting_id"])
        m = self.meetings[(self.committees[2]["committee_id"], y0)]
        m["training_held"] = "否"
        self.lead("PROC-CONDUCT", meeting=m["meeting_id"])
        c = self.committees[3]
        c["valid_until"] = f"{self.cfg['years'][-1]}-06-30"
        self.lead("GOV-EXPIRED", meeting=self.meetings[(c["committee_id"], self.cfg["years"][-1])]["meeting_id"])
        # Complaints: one never answered, one answered in time (near miss).
        self.rows["complaints"].append({"complaint_id": "TS001", "received_on": "2024-03-01", "accepted_on": "2024-03-05",
                                        "extended": "否", "channel": "来信", "application_id": "", "committee_id": "PW01",
                                        "subject_name": "", "subject_id_number": "", "summary": "反映评审不公",
                                        "responded_on": "", "status": "办理中", "finding": ""})
        self.lead("SUPERVISE-COMPLAINT-LATE", complaint="TS001")
        self.rows["complaints"].append({"complaint_id": "TS002", "received_on": "2024-12-01", "accepted_on": "2024-12-02",
                                        "extended": "否", "channel": "网民留言", "application_id": "",
                                        "committee_id": "PW02", "subject_name": "", "subject_id_number": "",
                                        "summary": "咨询评审进度", "responded_on": "2024-12-20", "status": "已办结",
                                        "finding": "不属实"})

    def plant_identity(self) -> None:
        """Identity traps: job changes with a history table, homonyms, an invalid id that still merges."""
        r = self.rng
        movers = [a for a in self.apps if a["year"] == self.cfg["years"][-1]][:5]
        for a in movers:
            p = a["person"]
            new = r.choice([u for u in self.employers["卫生"] if u != self.rollup(p.unit)])
            y = a["year"]
            self.rows["employment"].append({"name": p.name, "id_number": p.id_number, "employer": p.unit,
                                            "start": "2010-07-01", "end": f"{y - 1}-12-31", "position": ""})
            self.rows["employment"].append({"name": p.name, "id_number": p.id_number, "employer": new,
                                            "start": f"{y}-01-01", "end": "", "position": "科员"})
        # An Excel-mangled id on a first application of someone who applied again (merges by name+birth).
        first = {}
        self._mangled = set()
        for a in self.apps:
            pid = a["person"].pid
            if pid in first and a["year"] != first[pid]["year"] and first[pid]["year"] == self.cfg["years"][0]:
                self._mangled.add(first[pid]["application_id"])
                break
            first.setdefault(pid, a)
        # One expert serving two pools under one expert_id.
        c0, c1 = self.committees[0]["committee_id"], self.committees[1]["committee_id"]
        e = dict(self.pool[c0][-1])
        e["committee_id"] = c1
        self.pool[c1].append(e)
        # A homonym pair: same name, different people (different births and ids).
        a, b = self.apps[3], self.apps[4]
        b["person"].name = a["person"].name

    # ------------------------------------------------------------------ writing
    def write(self, out: Path) -> dict:
        out.mkdir(parents=True, exist_ok=True)
        for p in out.iterdir():
            if p.is_file():
                p.unlink()
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
                             "publicity_start": a["publicity_start"].isoformat(),
                             "publicity_end": a["publicity_end"].isoformat()})
            df = pd.DataFrame(rows)
            if y == years[1]:
                # GB18030 with a title banner and Chinese headers, as WPS exports it.
                df = df.rename(columns={"application_id": "申报编号", "year": "评审年度", "name": "姓名",
                                        "id_number": "身份证号码", "gender": "性别", "birth_date": "出生日期",
                                        "employer": "工作单位", "series": "申报系列", "specialty": "申报专业",
                                        "level": "申报资格", "committee_id": "评委会编号", "phone": "联系电话",
                                        "agent": "代理人", "eligible": "资格审核结果", "result": "评审结果",
                                        "publicity_start": "单位公示开始日期", "publicity_end": "单位公示结束日期"})
                df["评审年度"] = df["评审年度"].astype(str) + "年度"
                # Broken rows: an empty application id and an unreadable year (rows 3+i: banner, header).
                b1 = len(df) // 2
                df.loc[b1, "申报编号"] = ""
                self.broken.append({"file": f"applications-{y}.csv", "row": b1 + 3, "column": "application_id",
                                    "reason": "关键列为空"})
                b2 = b1 + 1
                df.loc[b2, "评审年度"] = "待定"
                self.broken.append({"file": f"applications-{y}.csv", "row": b2 + 3, "column": "year",
                                    "reason": "无法识别的年度: 待定"})
                self._broken_apps = {df.loc[b1, "姓名"], df.loc[b2, "姓名"]}
                self._broken_app_ids = {self.apps_by_year(y)[b1]["application_id"],
                                        self.apps_by_year(y)[b2]["application_id"]}
                text = "2023年度职称申报人员花名册\n" + df.to_csv(index=False)
                (out / f"applications-{y}.csv").write_bytes(text.encode("gb18030"))
            else:
                enc = "utf-8-sig" if y == years[-1] else "utf-8"
                df.to_csv(out / f"applications-{y}.csv", index=False, encoding=enc)
        # reviews per year
        revs = pd.concat(self.review_frames, ignore_index=True)
        revs = revs[~revs["application_id"].isin(getattr(self, "_broken_app_ids", set()))]
        revs["year"] = revs["meeting_id"].str[1:5].astype(int)
        for y in years:
            d = revs[revs["year"] == y].drop(columns="year").copy()
            d["reviewed_on"] = pd.to_datetime(d["reviewed_on"]).dt.strftime("%Y-%m-%d")
            d["score"] = d["score"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
            d = d.reset_index(drop=True)
            if y == years[0]:
                d.loc[0, "application_id"] = "SB-NOT-EXIST"
                self.broken.append({"file": f"reviews-{y}.csv", "row": 2, "column": "application_id",
                                    "reason": "申报编号在申报记录中找不到(或在多个年度重复且无法确定年度)"})
                d.loc[1, "score"] = "优秀"
                self.bad_values.append({"file": f"reviews-{y}.csv", "row": 3, "column": "score"})
            d.to_csv(out / f"reviews-{y}.csv", index=False, encoding="utf-8")
        # small tables (nothing that points at the broken applications: their rows are rejected)
        broken = getattr(self, "_broken_app_ids", set())
        self.rows["recusals"] = [r for r in self.rows["recusals"] if r["application_id"] not in broken]
        for name in ("meetings", "attendance", "recusals", "employment", "relations", "intermediaries", "links",
                     "staff_actions", "sanctions", "complaints"):
            rows = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items() if not k.startswith("_")}
                    for r in self.rows[name]]
            if rows:
                pd.DataFrame(rows).to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
        return self._truth(out)

    def apps_by_year(self, y: int) -> list[dict]:
        return [a for a in self.apps if a["year"] == y]

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

    def _truth(self, out: Path) -> dict:
        broken = getattr(self, "_broken_app_ids", set())
        pids = set(self.used_pids) | {a["person"].pid for a in self.apps if a["application_id"] not in broken}
        for pool in self.pool.values():
            pids |= {e["person"].pid for e in pool}
        n_persons = len(pids)
        counts = {"applications": len(self.apps), "review_rows": int(sum(len(f) for f in self.review_frames)),
                  "pool_rows": sum(len(p) for p in self.pool.values()), "meetings": len(self.rows["meetings"])}
        truth = {"seed": self.seed, "scale": self.scale, "counts": counts, "persons": n_persons,
                 "units": len(self.units), "rejects": sorted(self.broken, key=lambda b: (b["file"], b["row"])),
                 "bad_values": self.bad_values, "leads": {k: v for k, v in sorted(self.truth.items())}}
        (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True),
                                        encoding="utf-8")
        return truth


def generate(out_dir: Path | str, scale: str = "demo", seed: int = 1) -> dict:
    """Write a scenario to ``out_dir`` and return its truth."""
    g = Gen(seed, scale)
    g.build_units()
    g.build_intermediaries()
    g.build_committees()
    g.build_pools()
    g.plan()
    g.simulate()
    g.plant_ties()
    g.plant_identity()
    return g.write(Path(out_dir))
