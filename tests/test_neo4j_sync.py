"""Neo4j holds exactly the data given (issue 14, items 3 and 4): a run on folder A after folder B was loaded gives
A's leads, a corrected file leaves nothing of the old one, ``--no-write`` refuses a database holding other data,
and a run prints no "property key does not exist" noise."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import wipe
from test_exports import runner

from zcgraph.cli.app import app
from zcgraph.graph.model import NODES, RELS
from zcgraph.loaders.readers import detect_encoding
from zcgraph.synth.generator import generate

pytestmark = pytest.mark.neo4j


def _auth(server) -> list[str]:
    return ["--neo4j-user", server.auth[0], "--neo4j-password", server.auth[1]] if server.auth else ["--neo4j-no-auth"]


def _ids(path: Path) -> list[str]:
    return sorted(x["lead_id"] for x in json.loads(path.read_text(encoding="utf-8"))["leads"])


def content_hash(driver) -> str:
    """Every node of the model (label, key, every property) and every relationship (type, its ends' keys, every
    property), sorted: equal hashes mean equal graphs."""
    h = hashlib.sha256()
    rows = []
    for label, nt in NODES.items():
        for r in driver.execute_query(f"MATCH (n:`{label}`) RETURN n.`{nt.key}` AS k, properties(n) AS p").records:
            rows.append(json.dumps([label, r["k"], sorted((k, str(v)) for k, v in r["p"].items())], ensure_ascii=False))
    for rtype in RELS:
        q = (f"MATCH (a)-[r:`{rtype}`]->(b) RETURN coalesce(a.person_key, a.application_key, a.unit_key, a.committee_id,"
             " a.meeting_id, a.intermediary_id, a.identifier_key, a.complaint_id, a.sanction_key) AS a, coalesce("
             "b.person_key, b.application_key, b.unit_key, b.committee_id, b.meeting_id, b.intermediary_id, "
             "b.identifier_key, b.complaint_id, b.sanction_key) AS b, properties(r) AS p")
        for r in driver.execute_query(q).records:
            rows.append(json.dumps([rtype, r["a"], r["b"], sorted((k, str(v)) for k, v in r["p"].items())],
                                   ensure_ascii=False))
    for row in sorted(rows):
        h.update(row.encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    a = tmp_path_factory.mktemp("A")
    generate(a, scale="demo", seed=1)
    b = tmp_path_factory.mktemp("B")
    generate(b, scale="demo", seed=2)
    return a, b


def test_a_run_on_folder_a_after_folder_b_was_loaded_gives_exactly_as_leads(folders, neo4j_driver, neo4j_server,
                                                                          tmp_path):
    a, b = folders
    wipe(neo4j_driver)
    r = runner.invoke(app, ["load", str(b), "-w", str(tmp_path / "wb"), "--neo4j", neo4j_server.uri, *_auth(neo4j_server)])
    assert r.exit_code == 0, r.output
    assert "写入本数据" in r.output and "行/秒" in r.output
    # --no-write: the database holds B, the folder is A: refused, nothing written, both named
    r = runner.invoke(app, ["find-conflicts", str(a), "--backend", "neo4j", "--no-write", "--neo4j", neo4j_server.uri,
                            *_auth(neo4j_server), "--out", str(tmp_path / "x.json")])
    assert r.exit_code == 1 and "不是本数据目录的数据" in r.output and not (tmp_path / "x.json").exists()
    # without it, the database is brought to A first, and the leads are A's, exactly the embedded ones
    assert runner.invoke(app, ["find-conflicts", str(a), "--out", str(tmp_path / "emb.json")]).exit_code == 0
    r = runner.invoke(app, ["find-conflicts", str(a), "--backend", "neo4j", "--neo4j", neo4j_server.uri,
                            *_auth(neo4j_server), "--out", str(tmp_path / "neo.json")])
    assert r.exit_code == 0, r.output
    assert "按文件更新" in r.output and "行/秒" in r.output  # B was zcgraph's own load: A replaces it file by file
    assert _ids(tmp_path / "neo.json") == _ids(tmp_path / "emb.json")
    ran = json.loads((tmp_path / "neo.json").read_text(encoding="utf-8"))
    assert ran["neo4j_data"]["action"] == "updated" and ran["neo4j_data"]["data_fingerprint"] == ran["data_fingerprint"]
    # again: the database already holds A, nothing is written, and --no-write now runs
    r = runner.invoke(app, ["find-conflicts", str(a), "--backend", "neo4j", "--no-write", "--neo4j", neo4j_server.uri,
                            *_auth(neo4j_server), "--out", str(tmp_path / "again.json")])
    assert r.exit_code == 0 and "已是本数据" in r.output
    assert _ids(tmp_path / "again.json") == _ids(tmp_path / "emb.json")


def test_a_corrected_file_leaves_nothing_of_the_old_one(folders, neo4j_driver, neo4j_server, tmp_path):
    import shutil

    a, _ = folders
    d = tmp_path / "d"
    shutil.copytree(a, d)
    wipe(neo4j_driver)
    load = ["load", str(d), "-w", str(tmp_path / "ws"), "--neo4j", neo4j_server.uri, *_auth(neo4j_server)]
    assert runner.invoke(app, load).exit_code == 0
    f = d / "applications-2024.csv"
    enc, _ = detect_encoding(f)  # written back as it came
    text = f.read_text(encoding=enc)
    old = text.splitlines()[1].split(",")[6]  # the first applicant's employer (工作单位)
    assert old
    lines = text.splitlines()
    cells = lines[1].split(",")
    cells[6] = "更正后的单位"
    lines[1] = ",".join(cells)
    f.write_text("\n".join(lines) + "\n", encoding=enc)
    r = runner.invoke(app, load)
    assert r.exit_code == 0 and "按文件更新" in r.output, r.output
    # only the corrected file was written: one row changed, nothing of any other file touched
    lines = [x for x in r.output.splitlines() if x.startswith("  ") and "新增" in x]
    assert [x.split(":")[0].strip() for x in lines] == ["applications-2024.csv"], lines
    assert "改动 " in lines[0] and "改动 0" not in lines[0]
    gone = neo4j_driver.execute_query("MATCH (p:Person)-[w:WORKS_AT]->(u:Unit {name: $n}) WHERE w.source_file = $f "
                                      "AND w.source_row = 2 RETURN count(w) AS c",
                                      parameters_={"n": old, "f": f.name}).records[0]["c"]
    assert gone == 0
    after = content_hash(neo4j_driver)
    wipe(neo4j_driver)
    assert runner.invoke(app, load).exit_code == 0  # a clean load of the corrected folder
    assert content_hash(neo4j_driver) == after


def test_a_neo4j_run_prints_no_property_key_noise(neo4j_server, tmp_path):
    """The minimal export (only the columns no export can lack): every rule reading a column it lacks made the
    server note "property key does not exist" (26 notes, 27 KB of stderr, before the driver stopped asking)."""
    a = tmp_path / "minimal"
    generate(a, scale="demo", seed=1, profile="minimal")
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-m", "zcgraph", "find-conflicts", str(a), "--backend", "neo4j", "--neo4j",
                           neo4j_server.uri, *_auth(neo4j_server), "--out", str(tmp_path / "l.json")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "does not exist" not in done.stderr and "notification" not in done.stderr.lower()
    noise = [x for x in done.stderr.splitlines() if x.strip() and not x.startswith("读作 ")]
    assert len(noise) <= 3, noise
    # the write rate is printed, whole on one line, though the output is a pipe
    rate = [x for x in done.stdout.splitlines() if "行/秒" in x]
    assert rate and any(w in rate[0] for w in ("写入本数据", "按文件更新")), done.stdout[-1500:]


def _count(driver) -> int:
    return driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]


def _kill_when_writing(proc: subprocess.Popen, driver, seconds: float = 300) -> None:
    """kill -9 ``proc`` as soon as the database has nodes and no record of whole data: midway through a write."""
    import signal

    from zcgraph.graph.neo4j_writer import data_held

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("the load finished before it could be killed midway")
        if _count(driver) > 0 and not (data_held(driver) or {}).get("data_fingerprint"):
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return
        time.sleep(0.05)
    pytest.fail("the load never started writing")


def _load_cmd(folder: Path, ws: Path, server) -> list[str]:
    return [sys.executable, "-m", "zcgraph", "load", str(folder), "-w", str(ws), "--neo4j", server.uri, *_auth(server)]


def test_a_client_killed_mid_load_then_the_same_load_equals_one_clean_load(folders, neo4j_driver, neo4j_server,
                                                                         tmp_path):
    a, _ = folders
    wipe(neo4j_driver)
    proc = subprocess.Popen(_load_cmd(a, tmp_path / "ws", neo4j_server), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _kill_when_writing(proc, neo4j_driver)
    from zcgraph.graph.neo4j_writer import data_held

    assert data_held(neo4j_driver) == {"data_fingerprint": None}  # half written, and it does not claim otherwise
    r = runner.invoke(app, _load_cmd(a, tmp_path / "ws", neo4j_server)[3:])
    assert r.exit_code == 0 and "原有其他数据" in r.output, r.output
    again = content_hash(neo4j_driver)
    wipe(neo4j_driver)
    assert runner.invoke(app, _load_cmd(a, tmp_path / "ws", neo4j_server)[3:]).exit_code == 0
    assert content_hash(neo4j_driver) == again


def test_a_server_killed_mid_load_restarted_then_the_same_load_equals_one_clean_load(folders, tmp_path):
    from neo4j import GraphDatabase

    from zcgraph.graph.local_neo4j import LocalNeo4j, Neo4jUnavailable

    a, _ = folders
    home = tmp_path / "store"
    try:
        server = LocalNeo4j(home=home).start()
    except Neo4jUnavailable as e:
        if os.environ.get("ZCGRAPH_REQUIRE_NEO4J") == "1":
            pytest.fail(str(e))
        pytest.skip(str(e))
    if server.proc is None:
        pytest.skip("ZCGRAPH_NEO4J_URI points at a server this test cannot kill")
    try:
        with GraphDatabase.driver(server.uri, auth=server.auth) as driver:
            proc = subprocess.Popen(_load_cmd(a, tmp_path / "ws", server), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 300
            while _count(driver) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            server.proc.kill()  # kill -9 of the server, mid-load
            server.proc.wait()
            server.proc = None
            assert proc.wait(timeout=120) != 0  # the load saw its server die
        server = LocalNeo4j(home=home).start()  # the same store, recovered
        with GraphDatabase.driver(server.uri, auth=server.auth) as driver:
            r = runner.invoke(app, _load_cmd(a, tmp_path / "ws", server)[3:])
            assert r.exit_code == 0 and "原有其他数据" in r.output, r.output
            again = content_hash(driver)
            wipe(driver)
            assert runner.invoke(app, _load_cmd(a, tmp_path / "ws", server)[3:]).exit_code == 0
            assert content_hash(driver) == again
    finally:
        server.stop()


def test_stores_of_killed_test_servers_are_cleaned_up_at_the_next_start(tmp_path):
    from zcgraph.graph.local_neo4j import PIDFILE, PREFIX, clean_stale_stores

    dead = subprocess.Popen(["true"])
    dead.wait()
    gone = tmp_path / (PREFIX + "killed")
    (gone / "data").mkdir(parents=True)
    (gone / PIDFILE).write_text(str(dead.pid))
    alive = tmp_path / (PREFIX + "running")
    alive.mkdir()
    (alive / PIDFILE).write_text(str(os.getpid()))
    starting = tmp_path / (PREFIX + "starting")  # no pid yet: a server still starting is left alone
    starting.mkdir()
    assert clean_stale_stores(tmp_path) == [gone]
    assert not gone.exists() and alive.exists() and starting.exists()
