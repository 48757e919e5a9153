from __future__ import annotations

import csv
from pathlib import Path

import pytest


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str = "utf-8",
              banner: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        if banner:
            f.write(banner + "\n")
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


# A valid id number (MOD 11-2) and its pieces, for hand-made fixtures.
ID_A = "11010519491231002X"
ID_B = "530124198001011237"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """The three required tables, one row each, all clean."""
    write_csv(tmp_path / "applications.csv", ["申报编号", "评审年度", "姓名", "身份证号", "工作单位", "评委会编号"],
              [["A1", "2024", "张三", ID_A, "云南省第一人民医院", "PW01"]])
    write_csv(tmp_path / "experts.csv", ["专家编号", "评委会编号", "姓名", "身份证号", "工作单位"],
              [["E1", "PW01", "李四", ID_B, "云南大学"]])
    write_csv(tmp_path / "reviews.csv", ["申报编号", "专家编号", "环节", "评分"], [["A1", "E1", "审阅", "88"]])
    return tmp_path


@pytest.fixture(scope="session")
def neo4j_server():
    from neo4j_server import Server

    server = Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def neo4j_driver(neo4j_server):
    """A driver on a database wiped clean for this test module."""
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth)
    driver.verify_connectivity()
    wipe(driver)
    yield driver
    driver.close()


def wipe(driver) -> None:
    """Empty the database (batched, in an auto-commit transaction as CALL ... IN TRANSACTIONS requires)."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture(scope="session", autouse=True)
def zcgraph_home(tmp_path_factory):
    """Tests keep the installation secret and the audit log in a throw-away folder, not in ~/.zcgraph."""
    import os

    home = tmp_path_factory.mktemp("zcgraph-home")
    old = os.environ.get("ZCGRAPH_HOME")
    os.environ["ZCGRAPH_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("ZCGRAPH_HOME", None)
    else:
        os.environ["ZCGRAPH_HOME"] = old
