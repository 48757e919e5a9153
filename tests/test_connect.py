"""`zcgraph connect` (issue 15): every shortest chain of ties between two parties, with known answers on a
hand-made world, the same chains on Neo4j, and the breadth-first search checked against NetworkX's own."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from conftest import wipe, write_csv
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rule_fixtures import valid_id
from test_exports import runner

from zcgraph.cli.app import app
from zcgraph.graph.build import build_store
from zcgraph.graph.store import Store
from zcgraph.loaders.load import load_folder
from zcgraph.queries.connect import ConnectError, TieGraph, chains_embedded, chains_neo4j, probable_persons, resolve
from zcgraph.synth.generator import generate

# Persons of the world (valid ids, so identity is exact unless a case says otherwise)
IDS = {k: valid_id(f"530102{1960 + i}0{(i % 9) + 1}1{i % 9}{i:02d}2") for i, k in enumerate(
    ["X", "R", "B", "Y", "C", "Z", "M", "F1", "F2", "F3", "O", "L1", "L2"], start=1)}
IDS["Z"] = valid_id("53010219800505001")  # born 1980-05-05, as the id-less application of 王五 says


def build_connect(d: Path) -> Path:
    """- X (expert E1) is R's spouse; R co-authored with applicant B from 2020: X–R–B, two ties.
    - Y (expert E2) worked at 医院甲 until 2023-06-30, then at 医院乙 (his stale pool record still says 医院甲);
      applicant C works at 医院甲 throughout.
    - Z (expert E3, valid id, born 1980-05-05) and the applicant of AP3 (王五, no id, the same birth date) are one
      person only probably (name and birth date); M is Z's sibling: M to AP3 passes through that merge.
    - F1 and F2 use different addresses at qq.com (a free-mail domain: never a tie); F3 uses F1's very address.
    - L1 and L2 are two different persons both named 李明.
    - E1 reviewed only O's application (AP_O), so the review tie does not shorten X–B."""
    write_csv(d / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "出生日期", "评委会编号", "电子邮箱"], [
        ["AP_B", "2024", "乙", IDS["B"], "", "PW01", ""],
        ["AP_C", "2024", "丙", IDS["C"], "", "PW01", ""],
        ["AP3", "2024", "王五", "", "1980-05-05", "PW01", ""],
        ["AP_F1", "2024", "丁一", IDS["F1"], "", "PW01", "dingyi@qq.com"],
        ["AP_F2", "2024", "丁二", IDS["F2"], "", "PW01", "dinger@qq.com"],
        ["AP_F3", "2024", "丁三", IDS["F3"], "", "PW01", "dingyi@qq.com"],
        ["AP_O", "2024", "戊", IDS["O"], "", "PW01", ""],
        ["AP_L1", "2024", "李明", IDS["L1"], "", "PW01", ""],
        ["AP_L2", "2024", "李明", IDS["L2"], "", "PW01", ""],
    ])
    # E2's pool record still names 医院甲: his employment history answers for him (the record is not a tie)
    write_csv(d / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号", "出生日期", "工作单位"], [
        ["E1", "PW01", "甲", IDS["X"], "", ""], ["E2", "PW01", "己", IDS["Y"], "", "医院甲"],
        ["E3", "PW01", "王五", IDS["Z"], "1980-05-05", ""]])
    write_csv(d / "reviews.csv", ["申报编号", "专家编号", "环节", "评分", "评审日期"],
              [["AP_O", "E1", "审阅", "90", "2024-11-08"]])
    write_csv(d / "relations.csv", ["甲方姓名", "甲方身份证号", "乙方姓名", "乙方身份证号", "关系", "开始日期"], [
        ["甲", IDS["X"], "庚", IDS["R"], "配偶", ""],
        ["庚", IDS["R"], "乙", IDS["B"], "合著", "2020-01-01"],
        ["辛", IDS["M"], "王五", IDS["Z"], "兄弟姐妹", ""]])
    write_csv(d / "employment.csv", ["姓名", "身份证号", "工作单位", "开始日期", "结束日期"], [
        ["己", IDS["Y"], "医院甲", "2010-01-01", "2023-06-30"],
        ["己", IDS["Y"], "医院乙", "2023-07-01", ""],
        ["丙", IDS["C"], "医院甲", "2015-01-01", ""]])
    return d


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = build_connect(tmp_path_factory.mktemp("connect"))
    return d, build_store(load_folder(d))


def _find(store, a, b, **kw):
    pa, pb = resolve(store, a), resolve(store, b)
    return chains_embedded(store, (pa.label, pa.key), (pb.label, pb.key), **kw)


def _types(chain):
    return [(s.type, s.relation) for s in chain.steps]


def test_a_two_tie_chain_through_a_relatives_co_author(world):
    _, store = world
    found = _find(store, "E1", IDS["B"])
    assert [_types(c) for c in found.chains] == [[("RELATED", "配偶"), ("RELATED", "合著")]]
    co = found.chains[0].steps[1]
    assert co.start == "2020-01-01" and co.source_file == "relations.csv" and co.source_row == 3
    assert not _find(store, "E1", IDS["B"], max_hops=1).chains  # two ties: nothing within one
    assert not _find(store, "E1", IDS["B"], via=["kin"]).chains  # the co-authorship is academic
    assert _find(store, "E1", IDS["B"], via=["kin", "academic"]).chains


def test_a_chain_that_held_only_before_a_move_of_employer(world):
    _, store = world
    before = _find(store, "E2", IDS["C"], as_of="2023-01-01")
    assert [_types(c) for c in before.chains] == [[("WORKS_AT", None), ("WORKS_AT", None)]]
    assert before.chains[0].nodes[1][0] == "Unit"
    assert not _find(store, "E2", IDS["C"], as_of="2024-01-01").chains  # he had moved: no chain then
    ever = _find(store, "E2", IDS["C"])  # no date: the chain, with the day it ended
    assert ever.chains and ever.chains[0].steps[0].end == "2023-06-30"


def test_a_chain_through_a_probable_identity_merge_is_shown_as_probable(world, tmp_path):
    d, store = world
    assert ("Person", resolve(store, "E3").key) in probable_persons(store)  # the merge is probable, not certain
    found = _find(store, IDS["M"], "AP3")
    c = found.chains[0]
    assert _types(c) == [("RELATED", "兄弟姐妹"), ("APPLIED", None)]
    assert c.probable_nodes and c.weakest == 1 and c.as_dict()["probable"]
    r = runner.invoke(app, ["connect", IDS["M"], "AP3", str(d), "--out", str(tmp_path / "c.json")])
    assert r.exit_code == 0, r.output
    assert "由疑似同一人的记录合并(姓名与出生日期一致(置信度 0.9))" in r.output
    out = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert out["chains"][0]["probable"] is True and IDS["M"] not in json.dumps(out, ensure_ascii=False)


def test_a_free_mail_domain_never_ties_but_a_shared_address_does(world):
    _, store = world
    assert not _find(store, IDS["F1"], IDS["F2"], max_hops=8).chains  # both @qq.com, different addresses
    same = _find(store, IDS["F1"], IDS["F3"])
    assert [[s.type for s in c.steps] for c in same.chains] == [["APPLIED", "HAS_CONTACT", "HAS_CONTACT", "APPLIED"]]
    assert same.chains[0].nodes[2] == ("Identifier", "email:dingyi@qq.com")
    assert not _find(store, IDS["F1"], IDS["F3"], via=["kin", "unit"]).chains


def test_an_ambiguous_name_lists_the_candidates_and_stops(world):
    d, store = world
    with pytest.raises(ConnectError) as e:
        resolve(store, "李明")
    assert len(e.value.candidates) == 2
    r = runner.invoke(app, ["connect", "李明", "E1", str(d)])
    assert r.exit_code == 2 and r.output.count("候选") == 2 and IDS["L1"] not in r.output
    assert "李*" in r.output  # the name as typed is masked in the message


def test_html_draws_each_chain_with_the_lead_lists_diagram(world, tmp_path):
    d, _ = world
    r = runner.invoke(app, ["connect", "E1", IDS["B"], str(d), "--out", str(tmp_path / "c.html")])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "function diagram(path)" in page and IDS["B"] not in page and IDS["X"] not in page
    assert "链 1:2 步" in r.output and "社会关系·配偶" in r.output and "relations.csv 第3行" in r.output


# --------------------------------------------------------------------------- the search itself

@settings(max_examples=150, deadline=None)
@example(n=4, edges=[(0, 1, True), (1, 3, True), (0, 2, True), (2, 3, True)], max_hops=4)  # two, cap two: not cut
@example(n=3, edges=[(0, 1, True), (0, 1, True), (1, 2, False), (1, 2, True)], max_hops=2)  # parallel records
@given(n=st.integers(2, 14), edges=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13), st.booleans()),
                                             max_size=40), max_hops=st.integers(1, 6))
def test_the_two_ended_search_finds_exactly_networkxs_shortest_paths(n, edges, max_hops):
    """Property: over any graph, any pattern of allowed records, the bidirectional search returns exactly the
    node paths ``nx.all_shortest_paths`` gives over the allowed edges (none beyond max_hops)."""
    g = nx.MultiGraph()
    g.add_nodes_from(range(n))
    us, vs, ok = [], [], []
    for u, v, allowed in edges:
        if u >= n or v >= n:
            continue
        us.append(u)
        vs.append(v)
        ok.append(allowed)
        if allowed and u != v:
            g.add_edge(u, v)
    tg = TieGraph.from_edges(n, np.array(us, dtype=np.int64), np.array(vs, dtype=np.int64))
    mask = np.array(ok, dtype=bool)
    allowed = nx.Graph(g)
    got, _ = tg.shortest(0, n - 1, mask, max_hops)
    try:
        want = list(nx.all_shortest_paths(allowed, 0, n - 1))
    except nx.NetworkXNoPath:
        want = []
    want = [p for p in want if len(p) - 1 <= max_hops]
    assert sorted(got) == sorted(want)
    if want and len(want[0]) > 1:  # the paths are counted without listing them, and a cap says it cut
        assert tg.last_count == len(want)
        some, cut = tg.shortest(0, n - 1, mask, max_hops, cap=2)
        assert cut == (len(want) > 2) and len(some) == min(len(want), 2)


# --------------------------------------------------------------------------- both backends

QUERIES = [("E1", IDS["B"], {}), ("E2", IDS["C"], {"as_of": "2023-01-01"}), ("E2", IDS["C"], {}),
           ("E2", IDS["C"], {"as_of": "2024-01-01"}), (IDS["M"], "AP3", {}), (IDS["F1"], IDS["F3"], {}),
           (IDS["F1"], IDS["F2"], {"max_hops": 8}), ("E1", IDS["B"], {"via": ["kin"]}), ("E1", "AP_O", {})]


def _plain(found):
    return [c.as_dict() for c in found.chains], found.total


@pytest.mark.neo4j
def test_neo4j_gives_the_same_chains_on_the_fixtures_and_the_demo(world, neo4j_driver, neo4j_server,
                                                                   tmp_path_factory):
    d, store = world
    wipe(neo4j_driver)
    from zcgraph.graph.neo4j_writer import write_store

    write_store(store, neo4j_driver)
    prob = probable_persons(store)
    for a, b, kw in QUERIES:
        pa, pb = resolve(store, a), resolve(store, b)
        emb = chains_embedded(store, (pa.label, pa.key), (pb.label, pb.key), **kw)
        neo = chains_neo4j(neo4j_driver, (pa.label, pa.key), (pb.label, pb.key), probable=prob, **kw)
        assert _plain(emb) == _plain(neo), (a, b, kw)
    # the command on Neo4j says what the embedded one says
    auth = ["--neo4j-user", neo4j_server.auth[0], "--neo4j-password", neo4j_server.auth[1]] if neo4j_server.auth \
        else ["--neo4j-no-auth"]
    says = {}
    for backend in ("networkx", "neo4j"):
        r = runner.invoke(app, ["connect", "E1", IDS["B"], str(d), "--backend", backend, "--neo4j", neo4j_server.uri,
                                *auth])
        assert r.exit_code == 0, r.output
        says[backend] = [x for x in r.output.splitlines() if x.startswith(("链", "    "))]
    assert says["networkx"] == says["neo4j"] and len(says["neo4j"]) == 3
    # the demo: every lead's expert to its applicant, and a sample of expert pairs, as of two dates
    demo = tmp_path_factory.mktemp("demo")
    generate(demo, scale="demo", seed=1)
    store = build_store(load_folder(demo))
    wipe(neo4j_driver)
    write_store(store, neo4j_driver)
    prob = probable_persons(store)
    persons = store.nodes["Person"]
    experts = persons[persons["expert_ids"].map(len) > 0]["person_key"].tolist()
    applicants = store.rels["APPLIED"]["src"].drop_duplicates().tolist()
    rng = np.random.default_rng(7)
    pairs = [(experts[i], applicants[j]) for i, j in zip(rng.integers(0, len(experts), 8),
                                                        rng.integers(0, len(applicants), 8))]
    pairs += [(experts[i], experts[j]) for i, j in zip(rng.integers(0, len(experts), 4),
                                                      rng.integers(0, len(experts), 4))]
    rv = store.rels["REVIEWED"].merge(store.rels["APPLIED"], left_on="dst", right_on="dst")  # expert, applicant
    pairs += [(x, y) for x, y in rv[["src_x", "src_y"]].drop_duplicates().sample(8, random_state=7).itertuples(
        index=False, name=None)]
    compared = 0
    for x, y in pairs:
        for kw in ({}, {"as_of": "2023-06-30", "max_hops": 3}):
            emb = chains_embedded(store, ("Person", x), ("Person", y), limit=None, **kw)
            neo = chains_neo4j(neo4j_driver, ("Person", x), ("Person", y), limit=None, probable=prob, **kw)
            assert _plain(emb) == _plain(neo), (x, y, kw)
            compared += len(emb.chains)
    assert compared > 20  # the sample found chains: parity over nothing proves nothing


def test_explain_connect_shows_the_chains_between_a_leads_parties(tmp_path):
    """A kinship lead's two parties: the chain the rule found is marked as its own evidence, masked."""
    d = tmp_path / "demo"
    generate(d, scale="demo", seed=1)
    assert runner.invoke(app, ["load", str(d), "-w", str(tmp_path / "ws")]).exit_code == 0
    assert runner.invoke(app, ["find-conflicts", str(tmp_path / "ws"), "--out", str(tmp_path / "l.json")]).exit_code == 0
    leads = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))["leads"]
    kin = next(x for x in leads if x["rule_id"] == "AVOID-KIN")
    r = runner.invoke(app, ["explain", kin["lead_id"], "--leads", str(tmp_path / "l.json"), "--connect",
                            "--data", str(tmp_path / "ws")])
    assert r.exit_code == 0, r.output
    tail = r.output.split("线索双方之间的关联链")[1]
    assert "社会关系·" in tail and "(即本线索的证据)" in tail and "最短关联 1 步" in tail
    ids = {i for i in Store.open(tmp_path / "ws").nodes["Person"]["id_number"] if isinstance(i, str)}
    assert not [i for i in ids if i in r.output]
    # a lead without two parties to connect says so
    quorum = next(x for x in leads if x["rule_id"] == "PROC-QUORUM")
    r = runner.invoke(app, ["explain", quorum["lead_id"], "--leads", str(tmp_path / "l.json"), "--connect",
                            "--data", str(tmp_path / "ws")])
    assert r.exit_code == 0 and "不查关联链" in r.output
