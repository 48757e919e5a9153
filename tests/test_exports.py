"""What an investigator hands on: every export read back, masking, the formula guard, dispositions across runs,
run-to-run differences, the audit log and the notice's feedback report."""

from __future__ import annotations

import copy
import csv
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rule_fixtures import build
from typer.testing import CliRunner

from zcgraph.cli.app import app
from zcgraph.reports.export import SCHEMA_PATH, write_leads
from zcgraph.reports.fields import FIELDS, header
from zcgraph.reports.report import build_report, lead_period
from zcgraph.synth.generator import generate

runner = CliRunner()


def run(*args: str) -> str:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    generate(d / "data", scale="demo", seed=1)
    for ext in ("json", "csv", "xlsx", "html"):
        run("find-conflicts", d / "data", "--out", d / f"leads.{ext}")
    run("find-conflicts", d / "data", "--out", d / "revealed.csv", "--reveal")
    return d, _id_numbers(d)


def _id_numbers(d: Path) -> list[str]:
    """Every valid id number in the demo's own input files (applicants and experts)."""
    import re

    found = set()
    for f in (d / "data").iterdir():
        if f.suffix == ".csv":
            text = f.read_bytes().decode("utf-8", errors="ignore")
            found |= set(re.findall(r"(?<!\d)53\d{15}[\dXx](?!\d)", text))
    return sorted(found)


def test_json_export_validates_against_the_shipped_schema(demo):
    import jsonschema

    d, _ = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["leads"] and [x["score"] for x in data["leads"]] == sorted((x["score"] for x in data["leads"]), reverse=True)
    bad = copy.deepcopy(data)
    bad["leads"][0]["severity"] = "严重"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_csv_opens_in_excel_with_chinese_headers_leads_in_score_order_and_no_id_numbers(demo):
    d, _ = demo
    raw = (d / "leads.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [zh for _, zh, _ in FIELDS]
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    assert [r[0] for r in rows[1:]] == [x["lead_id"] for x in data["leads"]]
    _, ids = demo
    assert ids
    for f in ("leads.csv", "leads.json", "leads.html"):
        text = (d / f).read_text(encoding="utf-8-sig")
        assert not [i for i in ids if i in text], f"{f} leaks an id number"
    revealed = (d / "revealed.csv").read_text(encoding="utf-8-sig")
    assert any(i in revealed for i in ids)  # --reveal shows them, and only then


def test_excel_has_a_summary_a_sheet_per_family_frozen_headers_filters_and_no_id_numbers(demo):
    from openpyxl.utils import get_column_letter

    d, _ = demo
    wb = load_workbook(d / "leads.xlsx")
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    families = {x["family"] for x in data["leads"]}
    assert wb.sheetnames[:2] == ["案件", "汇总"] and families <= set(wb.sheetnames) and "运行信息" in wb.sheetnames
    cases = list(wb["案件"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in cases] == [c["case_id"] for c in data["cases"]]  # ranked as in the JSON
    assert not [i for i in _id_numbers(d) if i in " ".join(str(c) for r in cases for c in r if c)]
    ws = wb[data["leads"][0]["family"]]
    heads = [c.value for c in ws[1]]
    assert sorted(heads) == sorted(zh for f, zh, _ in FIELDS if f != "cypher")  # the query has a sheet of its own
    # the reading columns first, and they are what prints
    from zcgraph.reports.export import PRINTED

    zh = {f: z for f, z, _ in FIELDS}
    assert heads[:len(PRINTED)] == [zh[f] for f in PRINTED] and "证据说明" in heads[:len(PRINTED)]
    assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(len(PRINTED))}${ws.max_row}"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    # family sheets in the catalog's order, every run; 汇总 lists risk 高, 中, 低
    from zcgraph.queries.catalog import FAMILY_EN

    assert [n for n in wb.sheetnames if n in FAMILY_EN] == [f for f in FAMILY_EN if f in families]
    risk = [r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[0] == "风险等级"]
    assert risk == [s for s in ("高", "中", "低") if s in risk]
    # 核查状态 is a dropdown of exactly the four statuses the dispositions reader accepts, over every lead row
    col = heads.index("核查状态") + 1

    dv = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert len(dv) == 1 and dv[0].formula1 == '"待核查,核查中,已核实,排除"'
    assert str(dv[0].sqref) == f"{get_column_letter(col)}2:{get_column_letter(col)}{ws.max_row}"
    queries = {r[0]: r[1] for r in wb["浏览器查询"].iter_rows(min_row=2, values_only=True)}
    assert set(queries) == {x["lead_id"] for x in data["leads"]} and all("$lead" in q for q in queries.values())
    scores = [r[heads.index("风险分")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert scores == sorted(scores, reverse=True)
    total = sum(wb[f].max_row - 1 for f in families)
    assert total == len(data["leads"])
    cells = " ".join(str(c) for f in families for r in wb[f].iter_rows(values_only=True) for c in r if c)
    assert not [i for i in _id_numbers(d) if i in cells]


def test_english_headers_on_request(demo, tmp_path):
    d, _ = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    write_leads(data, tmp_path / "en.csv", lang="en")
    rows = list(csv.reader((tmp_path / "en.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:5] == ["Lead ID", "Rule ID", "Rule name", "Family", "Severity"]
    assert rows[1][4] in ("high", "medium", "low")


def test_a_value_that_looks_like_a_formula_is_written_as_text(demo, tmp_path):
    d, _ = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    data["leads"] = data["leads"][:1]
    data["leads"][0]["evidence"] = '=HYPERLINK("http://evil","点我")'
    data["leads"][0]["unit"] = "@SUM(A1)"
    write_leads(data, tmp_path / "x.csv")
    write_leads(data, tmp_path / "x.xlsx")
    row = list(csv.reader((tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()))[1]
    assert row[FIELDS.index(("evidence", "证据说明", "Evidence"))].startswith("'=")
    assert row[[f for f, _, _ in FIELDS].index("unit")] == "'@SUM(A1)"
    ws = load_workbook(tmp_path / "x.xlsx")[data["leads"][0]["family"]]
    heads = [c.value for c in ws[1]]
    c = ws.cell(row=2, column=heads.index("证据说明") + 1)
    assert c.data_type == "s" and c.value.startswith("=HYPERLINK")
    c = ws.cell(row=2, column=heads.index("单位") + 1)
    assert c.data_type == "s" and c.value == "@SUM(A1)"


def test_unknown_output_format_is_refused_with_the_choices(demo, tmp_path):
    d, _ = demo
    r = runner.invoke(app, ["find-conflicts", str(d / "data"), "--out", str(tmp_path / "x.pdf")])
    assert r.exit_code == 2 and ".xlsx" in r.output


def _browser():
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("ZCGRAPH_REQUIRE_BROWSER"):
            pytest.fail("headless Chromium is required here (ZCGRAPH_REQUIRE_BROWSER) but /usr/bin/chromium is missing")
        pytest.skip("no Chromium on this machine")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def test_html_opens_offline_filters_and_draws_a_leads_evidence_path(demo):
    d, ids = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    lead = next(x for x in data["leads"] if x["rule_id"] == "AVOID-KIN")
    with _browser() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync"])
        try:
            page = b.new_page()
            requests, errors = [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((d / "leads.html").as_uri())
            # cases are the default view (leads.md); the lead view is one click away
            assert page.locator("#case-view").is_visible() and not page.locator("#lead-view").is_visible()
            page.click("#v-leads")
            assert page.locator("#lead-view").is_visible()
            assert page.locator("#body tr").count() == len(data["leads"])
            order = page.locator("#body tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
            assert order == [x["lead_id"] for x in data["leads"]]  # highest score first, as in every export
            assert not [i for i in ids if i in page.content()]  # masked in the page as in the file
            page.fill("#q", "AVOID-KIN")  # the rule id, and any evidence that cites it
            kin = [x for x in data["leads"] if x["rule_id"] == "AVOID-KIN"]
            assert len(kin) <= page.locator("#body tr").count() < len(data["leads"])
            page.fill("#q", lead["lead_id"])
            assert page.locator("#body tr").count() == 1
            page.locator(f'tr[data-id="{lead["lead_id"]}"]').click()
            svg = page.locator("#detail svg.diagram")
            distinct = {(s["node"]["label"], s["node"]["key"]) for s in lead["path"]}  # the kin cycle closes on the expert
            assert svg.count() == 1 and svg.locator("rect.node").count() == len(distinct) < len(lead["path"])
            assert "$lead" in page.inner_text("#detail pre")  # the Browser hand-off takes its ids as a parameter
            page.goto((d / "leads.html").as_uri() + "#open=" + lead["lead_id"])
            page.wait_for_selector("#detail svg.diagram")
            assert errors == [] and {u for u in requests if not u.startswith("file://")} == set()
        finally:
            b.close()


def test_html_cases_view_ranks_cases_and_nests_their_leads(demo):
    d, ids = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    top = data["cases"][0]
    with _browser() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = b.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((d / "leads.html").as_uri())
            rows = page.locator("#cbody tr.case")
            assert rows.count() == len(data["cases"])
            assert rows.evaluate_all("rs => rs.map(r => r.dataset.case)") == [c["case_id"] for c in data["cases"]]
            nested = page.locator(f'#cbody tr.nested[data-of="{top["case_id"]}"]')
            assert nested.count() == len(top["leads"]) and not nested.first.is_visible()
            rows.first.click()  # expand: its leads show, highest score first
            assert nested.first.is_visible()
            assert nested.evaluate_all("rs => rs.map(r => r.dataset.lead)") == top["leads"]
            nested.first.click()  # a nested lead opens its detail and diagram
            page.wait_for_selector("#detail svg.diagram")
            assert top["leads"][0] in page.inner_text("#detail h2")
            assert not [i for i in ids if i in page.content()] and errors == []
        finally:
            b.close()


def test_every_person_on_every_evidence_path_is_shown_by_masked_name(demo):
    """Not only the roles a rule's facts name (expert, applicant): staff, the other expert of a reciprocal pair,
    the subject of repeated complaints are looked up too, and a path ends on a node of its own kind."""
    import re

    d, ids = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    people = [(x["rule_id"], s["node"]) for x in data["leads"] for s in x["path"] if s["node"]["label"] == "Person"]
    assert len({r for r, _ in people}) >= 10
    assert not [(r, n["key"]) for r, n in people
                if not re.fullmatch(r"\S\*+(\(\d{4}\*+\d{3}[\dX]\))?", n.get("caption", ""))]
    assert not [x["rule_id"] for x in data["leads"] for s in x["path"] if s["node"]["key"] in ("…", None)]
    assert not [i for i in ids if i in json.dumps(data, ensure_ascii=False)]


def test_the_evidence_diagram_draws_each_step_as_an_arrow_its_own_way_and_no_label_over_a_box(demo):
    d, _ = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    lead = next(x for x in data["leads"] if x["rule_id"] == "BROKER-TRIANGLE")
    steps = [(i, s) for i, s in enumerate(lead["path"]) if s["rel"] and i + 1 < len(lead["path"])]
    assert any((s["rel"]["props"] or {}).get("direction") == "in" for _, s in steps)  # the test needs both ways
    import re

    people = [s["node"] for s in lead["path"] if s["node"]["label"] == "Person"]
    assert people and all(re.fullmatch(r"\S\*+\(\d{4}\*+\d{3}[\dX]\)", p.get("caption", "")) for p in people)  # masked names
    with _browser() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.goto((d / "leads.html").as_uri() + "#open=" + lead["lead_id"])
            page.wait_for_selector("#detail svg.diagram")
            geo = page.evaluate("""() => {
              const svg = document.querySelector('#detail svg.diagram'), box = e => { const b = e.getBBox();
                return [b.x, b.y, b.x + b.width, b.y + b.height]; };
              return { own: svg.querySelector('marker').id, nodes: [...svg.querySelectorAll('rect.node')].map(box),
                       labels: [...svg.querySelectorAll('text.edge-label')].map(box),
                       captions: [...svg.querySelectorAll('rect.node')].map(r => r.nextSibling.nextSibling.textContent),
                       edges: [...svg.querySelectorAll('.edge')].map(l => ({ from: +l.dataset.from, to: +l.dataset.to,
                         type: l.dataset.type, marker: l.getAttribute('marker-end'), x2: +l.dataset.x2,
                         y2: +l.dataset.y2 })) }; }""")
        finally:
            b.close()
    # each node once: a person met twice in the path is one box, known by its caption
    distinct = list(dict.fromkeys((s["node"]["label"], s["node"]["key"]) for s in lead["path"]))
    assert len(geo["nodes"]) == len(distinct) < len(lead["path"])
    box = {k: i for i, k in enumerate(distinct)}
    assert len(geo["edges"]) == len(steps)  # one arrow per step
    for (i, s), e in zip(steps, geo["edges"]):
        a, z = box[(s["node"]["label"], s["node"]["key"])], box[(lead["path"][i + 1]["node"]["label"],
                                                                 lead["path"][i + 1]["node"]["key"])]
        back = (s["rel"]["props"] or {}).get("direction") == "in"
        assert (e["from"], e["to"]) == ((z, a) if back else (a, z)) and e["type"] == s["rel"]["type"]
        assert e["marker"] == f"url(#{geo['own']})"
        x0, y0, x1, y1 = geo["nodes"][e["to"]]  # the arrowhead ends on the box it points at
        assert x0 - 1 <= e["x2"] <= x1 + 1 and y0 - 1 <= e["y2"] <= y1 + 1

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    assert geo["labels"] and not [(a, n) for a in geo["labels"] for n in geo["nodes"] if overlap(a, n)]
    assert not [(a, c) for i, a in enumerate(geo["labels"]) for c in geo["labels"][i + 1:] if overlap(a, c)]


def test_html_workbench_facets_pages_links_and_exports_the_selection(demo, tmp_path):
    import hashlib

    d, _ = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    big = copy.deepcopy(data)
    big["leads"] = []
    for n in range(4):  # a longer list than the demo's: four copies under new ids, still ranked
        for x in data["leads"]:
            y = copy.deepcopy(x)
            y["lead_id"] = hashlib.sha256(f"{n}{x['lead_id']}".encode()).hexdigest()[:16]
            big["leads"].append(y)
    big["leads"].sort(key=lambda x: (-x["score"], x["lead_id"]))
    big["cases"] = []
    write_leads(big, tmp_path / "big.html")
    total = len(big["leads"])
    assert total > 250
    with _browser() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = b.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((tmp_path / "big.html").as_uri() + "#view=leads")
            assert page.locator("#body tr").count() == 200  # one page drawn, not the whole list
            page.click("#next")
            assert page.locator("#body tr").count() == total - 200
            page.click("#prev")
            # facets: each narrows to what its count said, and they combine
            fam = "回避"
            want = sum(1 for x in big["leads"] if x["family"] == fam)
            label = page.locator("#f4 option", has_text=fam).inner_text()
            assert label.endswith(f"({want})")
            page.select_option("#f4", fam)
            assert page.locator("#body tr").count() == min(200, want)
            assert f" {want} / {total}" in page.inner_text("#count")
            high = sum(1 for x in big["leads"] if x["family"] == fam and x["severity"] == "高")
            assert page.locator("#f1 option", has_text="高").inner_text().endswith(f"({high})")
            page.select_option("#f1", "高")
            assert page.locator("#body tr").count() == high
            for col in (2, 9, 5, 12):  # rule, committee, year, status: every facet offers the values shown
                assert page.locator(f"#f{col} option").count() >= 2
            # the selection as CSV: exactly the rows the facets left, with the table's headers
            with page.expect_download() as dl:
                page.click("#csv")
            rows = list(csv.reader(Path(dl.value.path()).read_text(encoding="utf-8-sig").splitlines()))
            assert len(rows) == high + 1 and rows[0][2] == "规则编号"
            assert {r[2] for r in rows[1:]} <= {x["rule_id"] for x in big["leads"] if x["family"] == fam}
            # the 200th lead: its panel is in view, the address names it, back closes it
            page.select_option("#f4", "")
            page.select_option("#f1", "")
            row = page.locator("#body tr").nth(199)
            lead_id = row.get_attribute("data-id")
            row.click()
            box = page.locator("#detail").bounding_box()
            assert box and 0 <= box["y"] < 900 and box["x"] + box["width"] <= 1400 + 1
            assert page.evaluate("location.hash") == "#open=" + lead_id
            assert lead_id in page.inner_text("#detail h2")
            page.go_back()
            assert not page.locator("#detail").is_visible()
            page.go_forward()
            assert page.locator("#detail").is_visible()
            page.click("#close")
            assert not page.locator("#detail").is_visible()
            assert errors == []
        finally:
            b.close()


def _pdf_text(page) -> str:
    """A PDF page's text as a reader sees it: no line breaks, and CJK as CJK (a PDF font may map 至 to the
    Kangxi radical ⾄, which NFKC folds back)."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", page.extract_text()).split())


def _printed(text: str, where: str) -> bool:
    """Whether text is printed in where: a CJK character may come back as a CJK radical-supplement form
    (见 as ⻅, which NFKC leaves alone), so such a form stands for any character."""
    import re

    pat = "".join(f"(?:{re.escape(c)}|[\u2e80-\u2fdf])" if "\u4e00" <= c <= "\u9fff" else re.escape(c)
                  for c in "".join(text.split()))
    return re.search(pat, where) is not None


def test_printing_the_html_gives_one_block_a_lead_with_its_evidence_and_diagram(demo, tmp_path):
    import hashlib

    from pypdf import PdfReader

    d, ids = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    big = copy.deepcopy(data)
    big["leads"], big["cases"] = [], []
    for n in range(-(-200 // len(data["leads"]))):
        for x in data["leads"]:
            y = copy.deepcopy(x)
            y["lead_id"] = hashlib.sha256(f"{n}{x['lead_id']}".encode()).hexdigest()[:16]
            big["leads"].append(y)
    big["leads"] = sorted(big["leads"], key=lambda x: (-x["score"], x["lead_id"]))[:200]
    write_leads(big, tmp_path / "p.html")
    with _browser() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.goto((tmp_path / "p.html").as_uri() + "#view=leads")
            page.pdf(path=str(tmp_path / "all.pdf"), format="A4")
            pages = PdfReader(tmp_path / "all.pdf").pages
            text = [_pdf_text(pg) for pg in pages]
            # 200 leads on at most 90 A4 pages: a block is a lead's fields two a line, its evidence and basis the
            # page's width, and its diagram; 79 pages when this was written (the demo's 76 leads print on 20)
            assert 0 < len(pages) <= 90, len(pages)
            for lead in big["leads"]:  # every lead, whole on one page: its id, its evidence
                assert any(lead["lead_id"] in t and _printed(lead["evidence"], t) for t in text), lead["lead_id"]
            assert not [i for i in ids if i in "".join(text)]
            # each block has its diagram, one arrow a step, in type a reader can read
            page.emulate_media(media="print")
            blocks = page.locator("#printout .lead-block")
            assert blocks.count() == 200 and not page.locator("#leads").is_visible()
            with_path = sum(1 for x in big["leads"] if x.get("path"))
            assert page.locator("#printout svg.diagram").count() == with_path
            steps = sum(len([s for s in x["path"][:-1] if s.get("rel")]) for x in big["leads"] if x.get("path"))
            assert page.locator("#printout .edge").count() == steps
            assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('#printout dd')).fontSize)") >= 11
            # in no diagram of any lead does a caption lie over a box or over another caption
            bad = page.evaluate("""() => [...document.querySelectorAll('#printout svg.diagram')].flatMap(svg => {
              const bb = e => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
              const hit = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
              const labels = [...svg.querySelectorAll('text.edge-label')].map(bb), boxes = [...svg.querySelectorAll('rect.node')].map(bb);
              return labels.flatMap((a, i) => boxes.concat(labels.slice(i + 1)).filter(b => hit(a, b))
                .map(() => svg.closest('section').dataset.lead)); })""")
            assert bad == []
            # with a lead open, printing gives that lead alone
            page.emulate_media(media="screen")
            one = big["leads"][57]["lead_id"]
            page.goto((tmp_path / "p.html").as_uri() + "#open=" + one)
            page.pdf(path=str(tmp_path / "one.pdf"), format="A4")
            single = "".join(_pdf_text(pg) for pg in PdfReader(tmp_path / "one.pdf").pages)
            assert one in single and not [x["lead_id"] for x in big["leads"] if x["lead_id"] != one and x["lead_id"] in single]
        finally:
            b.close()


def _soffice(tmp_path: Path, *args: str) -> None:
    """Run LibreOffice headless with its own profile (two runs at once do not share a lock)."""
    import shutil
    import subprocess

    exe = shutil.which("soffice")
    if not exe:
        if os.environ.get("ZCGRAPH_REQUIRE_OFFICE"):
            pytest.fail("LibreOffice is required here (ZCGRAPH_REQUIRE_OFFICE) but soffice is missing")
        pytest.skip("no LibreOffice on this machine")
    subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    *args], check=True, timeout=300, capture_output=True)


def test_libreoffice_opens_the_workbook_on_its_cases_and_prints_every_column_on_the_page(demo, tmp_path):
    import re

    d, ids = demo
    data = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    _soffice(tmp_path, "--convert-to", every_sheet, "--outdir", str(tmp_path), str(d / "leads.xlsx"))
    sheets = sorted(p.name for p in tmp_path.glob("leads-*.csv"))
    assert sheets[0] == "leads-案件.csv" or "leads-案件.csv" in sheets
    rows = list(csv.reader((tmp_path / "leads-案件.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["案件编号", "类型", "当事方"]
    assert [r[0] for r in rows[1:]] == [c["case_id"] for c in data["cases"]]  # ranked as in every export
    assert [r[-1].split(";") for r in rows[1:]] == [c["leads"] for c in data["cases"]]  # each case's leads
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("leads-*.csv"))
    assert not [i for i in ids if i in text]  # masked as LibreOffice shows it, on every sheet
    _soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(d / "leads.xlsx"))
    pages = len(re.findall(rb"/Type\s*/Page[^s]", (tmp_path / "leads.pdf").read_bytes()))
    # landscape, fitted to the width: a page holds a screenful of rows, not four columns of them
    # (portrait and unfitted, this workbook printed on 91 pages)
    assert 0 < pages <= len(sheets) + (len(data["cases"]) + len(data["leads"])) // 10, pages
    # on paper a family sheet shows its reading columns, each lead's 证据说明 whole, and not the thirty
    # reference columns (fingerprints, paths) that made the page unreadable
    from pypdf import PdfReader

    printed = "".join(_pdf_text(p) for p in PdfReader(tmp_path / "leads.pdf").pages)
    for lead in data["leads"]:
        assert _printed(lead["evidence"], printed), lead["lead_id"]
    assert "证据说明" in printed and "核查状态" in printed
    assert "证据指纹" not in printed and "证据路径" not in printed


# ----------------------------------------------------------------------------------------------- dispositions
@pytest.fixture()
def edge_run(tmp_path):
    data = build(tmp_path / "edge")
    run("find-conflicts", data, "--out", tmp_path / "run1.xlsx")
    run("find-conflicts", data, "--out", tmp_path / "run1.json")
    return tmp_path, data, json.loads((tmp_path / "run1.json").read_text(encoding="utf-8"))


def _lead(result, rule_id, **key):
    return next((x for x in result["leads"] if x["rule_id"] == rule_id and
                 all(x["key"].get(k) == v for k, v in key.items())), None)


def test_a_dismissed_lead_stays_dismissed_and_comes_back_flagged_when_its_evidence_changes(edge_run):
    tmp, data, first = edge_run
    kin = _lead(first, "AVOID-KIN", application="K1")
    quorum = _lead(first, "PROC-QUORUM", meeting="M4")
    # The investigator fills in the exported workbook and hands it back.
    wb = load_workbook(tmp / "run1.xlsx")
    col = {c.value: i for i, c in enumerate(wb[kin["family"]][1], 1)}
    for lead, marks in ((kin, {"核查状态": "排除", "原因": "已调离评审工作,核实无利益关系"}),
                        (quorum, {"核查状态": "已核实", "整改措施": "重新组织评审", "责任人": "王*", "整改期限": "2025-06-30"})):
        ws = wb[lead["family"]]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["线索编号"]).value == lead["lead_id"])
        for name, value in marks.items():
            ws.cell(row, col[name]).value = value
    wb.save(tmp / "marks.xlsx")
    out = run("find-conflicts", data, "--out", tmp / "run2.json", "--dispositions", tmp / "marks.xlsx")
    second = json.loads((tmp / "run2.json").read_text(encoding="utf-8"))
    assert _lead(second, "AVOID-KIN", application="K1") is None and "不再提示 1 条" in out
    q = _lead(second, "PROC-QUORUM", meeting="M4")
    assert (q["status"], q["remedy"], q["owner"], q["deadline"], q["changed"]) == (
        "已核实", "重新组织评审", "王*", "2025-06-30", False)
    # New evidence for the dismissed finding: a second kinship record between the same two people.
    rel = data / "relations.csv"
    rel.write_text(rel.read_text(encoding="utf-8") + "甲一,{},专家一,{},配偶,\n".format(*_pair(rel)), encoding="utf-8")
    run("find-conflicts", data, "--out", tmp / "run3.json", "--dispositions", tmp / "marks.xlsx")
    third = json.loads((tmp / "run3.json").read_text(encoding="utf-8"))
    back = _lead(third, "AVOID-KIN", application="K1")
    assert back is not None and back["changed"] is True and back["status"] == "排除"
    # And the difference between the runs says so (the new record also changes E1 and E2's reciprocity).
    out = run("diff", tmp / "run1.json", tmp / "run3.json", "--out", tmp / "diff.json")
    d = json.loads((tmp / "diff.json").read_text(encoding="utf-8"))
    assert (d["new"], d["gone"]) == ([], []) and "证据变化 2 条" in out
    assert {x["rule_id"] for x in d["changed"]} == {"AVOID-KIN", "PAIR-RECIPROCAL"} and back["lead_id"] in out


def _pair(rel: Path) -> tuple[str, str]:
    """The id numbers of 甲一 (applicant A1) and 专家一 (expert X1), from the first relation row."""
    first = rel.read_text(encoding="utf-8").splitlines()[1].split(",")
    return first[3], first[1]


def test_a_bad_dispositions_row_is_named_and_the_rest_still_apply(edge_run):
    tmp, data, first = edge_run
    a, b = first["leads"][0], first["leads"][1]
    (tmp / "marks.csv").write_text(f"线索编号,核查状态,原因\n{a['lead_id']},已结案,\n{b['lead_id']},核查中,\n",
                                   encoding="utf-8")
    out = run("find-conflicts", data, "--out", tmp / "r.json", "--dispositions", tmp / "marks.csv")
    assert "marks.csv 第2行 核查状态" in out and "已结案" in out
    res = json.loads((tmp / "r.json").read_text(encoding="utf-8"))
    assert next(x for x in res["leads"] if x["lead_id"] == b["lead_id"])["status"] == "核查中"
    assert next(x for x in res["leads"] if x["lead_id"] == a["lead_id"])["status"] == "待核查"
    (tmp / "nokey.csv").write_text("编号,状态\n1,排除\n", encoding="utf-8")
    r = runner.invoke(app, ["find-conflicts", str(data), "--out", str(tmp / "r.json"), "--dispositions",
                            str(tmp / "nokey.csv")])
    assert r.exit_code == 2 and "线索编号" in r.output


def test_every_run_is_in_the_audit_log_with_whether_names_were_revealed(tmp_path, zcgraph_home):
    data = build(tmp_path / "edge")
    log = Path(zcgraph_home) / "audit.log"
    before = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    run("find-conflicts", data, "--out", tmp_path / "a.json")
    run("find-conflicts", data, "--out", tmp_path / "b.csv", "--reveal")
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()[len(before):]]
    assert [x["revealed"] for x in lines] == [False, True]
    assert all(x["command"] == "find-conflicts" and x["data_fingerprint"] and x["leads"] > 0 and x["user"]
               and "parameters" in x for x in lines)


def test_feedback_report_has_the_problem_list_typical_cases_and_rectification_state(edge_run):
    tmp, data, first = edge_run
    lead = first["leads"][0]
    (tmp / "m.csv").write_text(f"线索编号,核查状态,整改措施,责任人,整改期限\n{lead['lead_id']},核查中,重新评审,李*,2024-03-01\n",
                               encoding="utf-8")
    run("report", data, "--period", "2024", "--out", tmp / "r.xlsx", "--dispositions", tmp / "m.csv")
    wb = load_workbook(tmp / "r.xlsx")
    assert wb.sheetnames == ["概况", "按类别", "按评委会", "问题清单", "未定期线索", "典型案例"]
    overview = {r[0]: r[1] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["已定整改措施"] == 1 and overview["整改逾期(截至2024-12-31)"] == 1
    problems = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    in_period = [x for x in first["leads"] if lead_period(x) in ((2024, 1), (2024, 2))]
    assert len(problems) == len(in_period) and any(p[0] == lead["lead_id"] and p[9] == "重新评审" for p in problems)
    cases = list(wb["典型案例"].iter_rows(min_row=2, values_only=True))
    assert 1 <= len(cases) <= 5 and len({c[0].split("(")[0] for c in cases}) == len(cases)  # one per rule
    run("report", data, "--period", "2024H1", "--out", tmp / "r.html")
    page = (tmp / "r.html").read_text(encoding="utf-8")
    assert "上半年" in page and "典型案例" in page and "http" not in page.replace("http-equiv", "")
    r = runner.invoke(app, ["report", str(data), "--period", "2024Q3", "--out", str(tmp / "r.xlsx")])
    assert r.exit_code == 2 and "2025H1" in r.output


def test_report_periods_partition_the_leads_by_their_own_dates(demo, tmp_path):
    d, _ = demo
    result = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    years = sorted({int(x["date"][:4]) for x in result["leads"] if x.get("date")})
    assert len(years) >= 2  # the demo spans several evaluation years
    seen: dict[str, str] = {}
    for y in range(years[0], years[-1] + 1):
        whole = {p[0] for p in build_report(result, str(y))["problems"]}
        h1 = {p[0] for p in build_report(result, f"{y}H1")["problems"]}
        h2 = {p[0] for p in build_report(result, f"{y}H2")["problems"]}
        assert h1 | h2 == whole and not h1 & h2  # the halves are the year, exactly
        for lead_id in whole:
            assert lead_id not in seen, f"{lead_id} in {seen.get(lead_id)} and {y}"  # no lead in two periods
            seen[lead_id] = str(y)
        for p in build_report(result, f"{y}H1")["problems"]:  # a first-half lead is dated in the first half
            assert p[1] is not None and str(p[1])[:4] == str(y) and str(p[1])[5:7] <= "06"
    undated = build_report(result, str(years[0]))["undated"]
    assert len(seen) + len(undated) == len(result["leads"])  # every lead is in one period or listed as 未定期
    # the committees of the 按评委会 table by name: every lead placed with one is under a name, not "—"
    rep = build_report(result, str(years[-1]), names={"PW01": "云南省卫生系列正高级职称评审委员会"})
    assert any(r[0] == "云南省卫生系列正高级职称评审委员会(PW01)" for r in rep["by_committee"])


def test_the_report_opens_with_a_narrative_charts_and_what_changed_and_prints_numbered(demo, tmp_path):
    d, _ = demo
    result = json.loads((d / "leads.json").read_text(encoding="utf-8"))
    previous = copy.deepcopy(result)
    gone = previous["leads"].pop(0)  # the last list lacked one lead of this period and had one this list lacks
    extra = copy.deepcopy(gone)
    extra["lead_id"] = "0000000000000000"
    previous["leads"].append(extra)
    (tmp_path / "prev.json").write_text(json.dumps(previous, ensure_ascii=False), encoding="utf-8")
    year = int(gone["date"][:4]) if gone.get("date") else int(gone["year"])
    run("report", d / "data", "--period", year, "--out", tmp_path / "r.html", "--previous", tmp_path / "prev.json")
    run("report", d / "data", "--period", year, "--out", tmp_path / "r.xlsx")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    wb = load_workbook(tmp_path / "r.xlsx")
    n = wb["问题清单"].max_row - 1
    assert f"本期共发现线索{n}条" in page and "新增1条,不再出现1条" in page
    assert page.count('<svg class="chart"') == 2 and "counter(pages)" in page  # two charts; A4 with page numbers
    overview = list(wb["概况"].iter_rows(min_row=2, values_only=True))
    assert overview[0][0] == "概述" and f"本期共发现线索{n}条" in overview[0][1]
    assert wb["按类别"]._charts and wb["按评委会"]._charts and "&P" in wb["问题清单"].oddFooter.center.text


def test_a_report_for_a_period_without_data_says_so_and_lists_nothing(demo, tmp_path):
    d, _ = demo
    out = run("report", d / "data", "--period", "2030", "--out", tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    overview = {r[0]: r[1] for r in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["线索总数"] == 0 and "本期没有线索" in overview["说明"]
    assert list(wb["问题清单"].iter_rows(min_row=2, values_only=True)) == [] and "线索 0 条" in out
    committees = list(wb["按评委会"].iter_rows(min_row=2, values_only=True))
    assert committees == []
    run("report", d / "data", "--period", "2024", "--out", tmp_path / "r2.xlsx")
    rows = list(load_workbook(tmp_path / "r2.xlsx")["按评委会"].iter_rows(min_row=2, values_only=True))
    assert rows and any("评审委员会(PW" in str(r[0]) for r in rows)  # committees by name, from committees.csv
    # the leads placed with a committee are the great majority (the graph tells meeting → committee); before the
    # leads were placed, most of them fell under "—"
    unplaced = sum(r[-1] for r in rows if r[0] == "—")
    assert unplaced * 5 <= sum(r[-1] for r in rows), rows


def test_headers_are_the_ones_leads_md_lists():
    assert header("lead_id") == "线索编号" and header("basis") == "依据" and header("identifier") == "共用联系方式"
