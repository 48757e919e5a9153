"""`zcgraph neo4j serve` (issue 14, item 1): Neo4j with Browser on a machine without Docker. An investigator opens
Browser, logs in with the generated password, runs the guide's first query and sees the graph; `stop` leaves
nothing running and nothing in temporary folders."""

from __future__ import annotations

import os
import socket
import stat
import tempfile
import time
import urllib.request

import pytest
from test_exports import _browser, runner

from zcgraph.cli.app import app
from zcgraph.graph.local_neo4j import LAUNCHER, _alive
from zcgraph.synth.generator import generate

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path, monkeypatch):
    if not (LAUNCHER / "target" / "lib").is_dir():
        if os.environ.get("ZCGRAPH_REQUIRE_NEO4J") == "1":
            pytest.fail("the Neo4j launcher is not built")
        pytest.skip("the Neo4j launcher is not built")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)  # a generated password, shown once
    demo = tmp_path / "demo"
    generate(demo, scale="demo", seed=1)
    home = tmp_path / "neo4j-home"
    bolt, http = _free_port(), _free_port()
    t0 = time.perf_counter()
    r = runner.invoke(app, ["neo4j", "serve", str(demo), "--home", str(home), "--bolt-port", str(bolt),
                            "--http-port", str(http)])
    started = time.perf_counter() - t0
    assert r.exit_code == 0, r.output
    yield {"home": home, "bolt": bolt, "http": http, "output": r.output, "started": started, "demo": demo}
    runner.invoke(app, ["neo4j", "stop", "--home", str(home)])


def test_serve_opens_browser_with_zcgraphs_style_and_guide_and_stop_leaves_nothing(served, tmp_path):
    home, http = served["home"], served["http"]
    out = served["output"]
    assert f"http://127.0.0.1:{http}/browser/" in out and "写入本数据" in out
    password = (home / "password").read_text(encoding="utf-8").strip()
    assert password in out and "只显示这一次" in out
    assert stat.S_IMODE((home / "password").stat().st_mode) == 0o600  # owner-only
    for path in ("/browser/", "/browser/zcgraph/guide.html", "/browser/zcgraph/zcgraph.grass"):
        with urllib.request.urlopen(f"http://127.0.0.1:{http}{path}", timeout=10) as resp:
            assert resp.status == 200, path
    # a second server on the same home, or on ports in use, is refused with a clear message
    r = runner.invoke(app, ["neo4j", "serve", "--home", str(home), "--bolt-port", str(served["bolt"]),
                            "--http-port", str(http)])
    assert r.exit_code == 1 and "已在运行" in r.output
    r = runner.invoke(app, ["neo4j", "serve", "--home", str(tmp_path / "other"), "--bolt-port", str(served["bolt"]),
                            "--http-port", str(_free_port())])
    assert r.exit_code == 1 and "已被占用" in r.output
    # the investigator's first picture: log in, the style and guide open by themselves, the first query draws
    with _browser() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{http}/browser/")
            page.wait_for_selector("[data-testid=password]", timeout=60000)
            page.fill("[data-testid=boltaddress]", f"neo4j://127.0.0.1:{served['bolt']}")
            page.fill("[data-testid=username]", "neo4j")
            page.fill("[data-testid=password]", password)
            page.click("[data-testid=connect]")
            page.wait_for_selector("[data-testid=nextSlide]", timeout=60000)  # the guide, opened on connecting
            assert "zcgraph 职称评审线索图谱" in page.inner_text("body")
            page.click("[data-testid=nextSlide]")
            page.wait_for_selector(".runnable", timeout=10000)
            for block in page.query_selector_all(".runnable"):  # :param, then the query
                block.click()
                page.wait_for_timeout(400)
                page.click("[data-testid=editor-Run]")
                page.wait_for_timeout(1500)
            page.wait_for_selector("g.node", timeout=30000)
            drawn = page.eval_on_selector_all("g.node", "els => els.length")
            assert drawn >= 3, drawn  # the applicant, the application, its reviewers
            page.screenshot(path=str(tmp_path / "browser.png"))
        finally:
            b.close()
    status = runner.invoke(app, ["neo4j", "status", "--home", str(home)])
    assert status.exit_code == 0 and "运行中" in status.output
    pid = int(status.output.split("进程 ")[1].split(",")[0])
    r = runner.invoke(app, ["neo4j", "stop", "--home", str(home)])
    assert r.exit_code == 0 and "已停止" in r.output
    try:  # reap it: the server is this test's grandchild only through the CLI runner, but may be our child
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
    assert not _alive(pid)
    assert runner.invoke(app, ["neo4j", "status", "--home", str(home)]).exit_code == 1
    assert not list((home / "run").glob("*"))
    assert not [x for x in os.listdir(tempfile.gettempdir()) if x.startswith("zcgraph-assets-")]
    assert (home / "data").is_dir()  # the store itself is the user's, kept for the next serve


def test_a_password_beginning_with_a_dash_is_a_password_not_an_option(tmp_path):
    """The generated password is letters and digits (a '-' first made neo4j-admin read it as an option, about one
    first start in 64), and a given one is passed after '--'."""
    import shutil
    import subprocess

    from zcgraph.graph.local_neo4j import ADD_OPENS, Neo4jUnavailable, _classpath
    from zcgraph.graph.serve import generate_password

    assert all(generate_password().isalnum() for _ in range(2000))
    try:
        cp = _classpath()
    except Neo4jUnavailable as e:
        if os.environ.get("ZCGRAPH_REQUIRE_NEO4J") == "1":
            pytest.fail(str(e))
        pytest.skip(str(e))
    (tmp_path / "conf").mkdir()
    env = {**os.environ, "NEO4J_HOME": str(tmp_path), "NEO4J_CONF": str(tmp_path / "conf")}
    done = subprocess.run([shutil.which("java") or "java", "-Xmx256m", *ADD_OPENS, "-cp", cp, "org.neo4j.cli.AdminTool",
                           "dbms", "set-initial-password", "--", "-starts-with-a-dash"], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr[-500:]
