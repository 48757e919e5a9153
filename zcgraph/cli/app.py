"""The ``zcgraph`` command line: thin commands over the library."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..graph.model import LABELS_ZH

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="zcgraph: 职称评审记录知识图谱与违规线索排查工具")
# Piped output (a log, a CI job, a test) is not cut to rich's 80-column default: tables and summaries are laid
# out 200 columns wide there and keep their words whole.
console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
out = Console(width=None if sys.stdout.isatty() else 200, soft_wrap=not sys.stdout.isatty())  # a log line is one line

DEFAULT_WORKSPACE = Path(".zcgraph")
DataDir = typer.Argument(..., exists=True, file_okay=False, dir_okay=True, help="输入数据目录(数据规范所述的表格文件)")
Workspace = typer.Option(DEFAULT_WORKSPACE, "--workspace", "-w", help="工作区目录(保存已加载的图谱)")
Reveal = typer.Option(False, "--reveal", help="在拒绝记录文件中显示完整姓名和身份证号(默认脱敏)")


MappingOpt = typer.Option(None, "--mapping", dir_okay=False,
                          help="映射文件(TOML):文件对应的表、表头对应的列、取值对照;默认用数据目录中的 zcgraph.toml")


def _mapping(data_dir: Path, mapping: Optional[Path]):
    """The mapping file a command reads the folder under (``--mapping``, else the folder's zcgraph.toml); a
    mapping that cannot be used stops the command (exit 2) with each problem and its line."""
    from ..loaders.mapping import MappingError, find_mapping

    try:
        return find_mapping(data_dir, mapping)
    except MappingError as e:
        for line, msg in e.problems:
            console.print(f"[red]映射文件错误[/] {e.path}" + (f" 第{line}行" if line else "") + f": {msg}",
                          highlight=False)
        raise typer.Exit(code=2)


def _load(data_dir: Path, mapping: Optional[Path] = None):
    from ..graph.build import build_store
    from ..loaders.load import load_folder

    used = _mapping(data_dir, mapping)
    with console.status("读取并规范化数据…"):
        t0 = time.perf_counter()
        result = load_folder(data_dir, used)
        t1 = time.perf_counter()
    with console.status("身份识别与构建图谱…"):
        store = build_store(result)
        t2 = time.perf_counter()
    store.meta["timings"] = {"read_normalise_s": round(t1 - t0, 3), "resolve_build_s": round(t2 - t1, 3)}
    print_read_as(store)
    return store


def read_as_lines(store) -> list[str]:
    """One line a file: the table it was read as and why (its name, or its header row alone), its sheets
    when a workbook; or why it was not read."""
    from ..loaders.schema import TABLES

    groups: dict[tuple, list[str]] = {}
    for v in store.meta.get("read_as", []):
        groups.setdefault((v["file"], v["table"], v["how"], v["reason"] if not v["table"] else None,
                           tuple(v.get("mapping_lines") or ())), []).append(v["sheet"] or "")
    m = store.meta.get("mapping")
    lines = []
    for (file, table, how, reason, blocks), sheets in groups.items():
        sh = [x for x in sheets if x]
        where = file + (f"[{sh[0]}]" if len(sh) == 1 else f"[{sh[0]}…{sh[-1]},{len(sh)}个工作表]" if sh else "")
        used = (f";映射 {Path(m['file']).name} 第{'、'.join(map(str, blocks))}行" if m and blocks else
                ";未用映射" if m else "")
        lines.append(f"{where} → {table}({TABLES[table].label_zh}),依据{how}{used}"
                     if table else f"{where} 未读入:{reason}")
    return lines + [f"{f} 略过:不是表格文件(.csv/.tsv/.txt/.xlsx/.xls)" for f in store.meta.get("other_files", [])]


def print_read_as(store) -> None:
    for line in read_as_lines(store):
        console.print("读作 " + line, style="red" if " 未读入:" in line else None, markup=False, highlight=False)


def _mask(value: object, column: str) -> object:
    from ..reports.masking import mask_id, mask_name

    if not isinstance(value, str):
        return value
    if "id_number" in column:
        return mask_id(value)
    if column.endswith("name") or column in ("expert_id/name",):
        return mask_name(value)
    return value


def _write_rejects(store, path: Path, reveal: bool) -> None:
    df = store.rejects.copy()
    if not reveal and len(df):
        df["value"] = [_mask(v, c) for v, c in zip(df["value"], df["column"])]
    df = df.rename(columns={"file": "文件", "sheet": "工作表", "row": "行号", "column": "列", "value": "值",
                            "reason": "原因", "action": "处理"})
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8-sig")


def _report(store, rejects_path: Path) -> None:
    t = Table(title="各文件读入情况")
    for col in ("表", "文件", "工作表", "编码", "读入行", "拒绝", "警告", "跳过(表尾/空行)"):
        t.add_column(col)
    for f in store.files:
        t.add_row(f["table"], f["file"], f["sheet"], f["encoding"] or "xlsx", str(f["rows"]), str(f["rejected"]),
                  str(f["warnings"]), f"{f['skipped_footer']}/{f['skipped_blank']}")
    out.print(t)
    for n in store.notes:
        out.print(f"[yellow]说明[/]: {n}")
    for f in store.files:
        for n in f["notes"]:
            out.print(f"[yellow]说明[/] {f['file']}: {n}")
    for e in store.errors:
        out.print(f"[red]错误[/]: {e}")
    st = store.stats()
    out.print(f"共拒绝 {st['rejected_rows']} 行,警告 {st['warnings']} 条,明细见 {rejects_path}")


@app.command()
def validate(data_dir: Path = DataDir, mapping: Optional[Path] = MappingOpt,
             rejects: Path = typer.Option(Path("rejects.csv"), "--rejects", help="拒绝与警告记录的输出文件"),
             reveal: bool = Reveal) -> None:
    """检查数据目录:报告每个文件的读入、拒绝和警告行数,写出拒绝记录文件,不改动任何数据。"""
    store = _load(data_dir, mapping)
    _write_rejects(store, rejects, reveal)
    _report(store, rejects)
    if store.errors:
        raise typer.Exit(code=1)


def open_driver(uri: str, user: Optional[str], password: Optional[str], no_auth: bool):
    """The only place a Neo4j driver is opened: credentials from options or the environment, never a default.
    The server's notes that a property key or label does not exist (a rule reading a column this data lacks) are
    not asked for; real warnings (deprecations, performance, security) still are."""
    from neo4j import GraphDatabase, NotificationDisabledClassification

    quiet = {"notifications_disabled_classifications": [NotificationDisabledClassification.UNRECOGNIZED]}
    if no_auth:
        return GraphDatabase.driver(uri, auth=None, **quiet)
    if not user or not password:
        console.print("[red]连接Neo4j需要用户名和密码:请设置环境变量 NEO4J_USER 和 NEO4J_PASSWORD"
                      "(或 --neo4j-user/--neo4j-password);仅对本机无认证的测试服务器可用 --neo4j-no-auth[/]")
        raise typer.Exit(code=2)
    return GraphDatabase.driver(uri, auth=(user, password), **quiet)


Neo4jUri = typer.Option(None, "--neo4j", help="同时写入Neo4j,例如 bolt://localhost:7687")
Neo4jUser = typer.Option(None, "--neo4j-user", envvar="NEO4J_USER", help="Neo4j用户名(或环境变量NEO4J_USER)")
Neo4jPassword = typer.Option(None, "--neo4j-password", envvar="NEO4J_PASSWORD",
                             help="Neo4j密码(建议用环境变量NEO4J_PASSWORD)")
Neo4jNoAuth = typer.Option(False, "--neo4j-no-auth", help="不认证(仅用于本机测试服务器)")
Neo4jDatabase = typer.Option(None, "--neo4j-database", envvar="NEO4J_DATABASE", help="数据库名(默认服务器的默认库)")


@app.command()
def load(data_dir: Path = DataDir, workspace: Path = Workspace, mapping: Optional[Path] = MappingOpt,
         rejects: Optional[Path] = typer.Option(None, "--rejects", help="拒绝记录文件(默认写在工作区中)"),
         reveal: bool = Reveal, neo4j: Optional[str] = Neo4jUri, neo4j_user: Optional[str] = Neo4jUser,
         neo4j_password: Optional[str] = Neo4jPassword, neo4j_no_auth: bool = Neo4jNoAuth,
         neo4j_database: Optional[str] = Neo4jDatabase) -> None:
    """读取数据目录,完成身份识别,构建图谱并保存到工作区;给出 --neo4j 时同时写入Neo4j(可重复执行)。"""
    t0 = time.perf_counter()
    driver = open_driver(neo4j, neo4j_user, neo4j_password, neo4j_no_auth) if neo4j else None
    store = _load(data_dir, mapping)
    store.save(workspace)
    rj = rejects or workspace / "rejects.csv"
    _write_rejects(store, rj, reveal)
    _report(store, rj)
    st = store.stats()
    out.print(f"已保存到工作区 {workspace}:{st['persons']} 人,{st['units']} 个单位,"
              f"用时 {time.perf_counter() - t0:.1f} 秒")
    if driver is not None:
        from rich.progress import Progress

        from ..graph.neo4j_writer import sync_store

        try:
            with Progress(console=console, transient=True) as prog:
                task = prog.add_task("写入Neo4j", total=None)

                def step(kind: str, done: int, total: int) -> None:
                    prog.update(task, description=f"写入Neo4j: {LABELS_ZH.get(kind, kind)}", completed=done,
                                total=total)

                rep = sync_store(store, driver, neo4j_database, progress=step)
        finally:
            driver.close()
        out.print(f"{neo4j}:{rep.describe()}", highlight=False)
        for line in rep.file_lines():  # added / changed / removed, per file that changed
            out.print(line, highlight=False)
    if store.errors:
        raise typer.Exit(code=1)


@app.command()
def stats(workspace: Path = Workspace,
          as_json: bool = typer.Option(False, "--json", help="以JSON输出"),
          lang: str = typer.Option("zh", "--lang", help="zh 或 en")) -> None:
    """统计工作区图谱:各类节点与关系的数量,以及按原因统计的身份合并次数。"""
    from ..graph.store import Store

    try:
        store = Store.open(workspace)
    except (FileNotFoundError, ValueError) as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(code=2)
    st = store.stats()
    if as_json:
        out.print_json(json.dumps(st, ensure_ascii=False, default=str))
        return
    zh = lang != "en"
    for title, key in (("节点" if zh else "Nodes", "nodes"), ("关系" if zh else "Relationships", "relationships")):
        t = Table(title=title)
        t.add_column("类型" if zh else "type")
        t.add_column("数量" if zh else "count", justify="right")
        for k, v in st[key].items():
            t.add_row(f"{LABELS_ZH.get(k, k)} ({k})" if zh else k, str(v))
        out.print(t)
    t = Table(title="身份合并" if zh else "Merges")
    t.add_column("原因" if zh else "reason")
    t.add_column("次数" if zh else "count", justify="right")
    for k, v in st["merges"].items():
        t.add_row(k, str(v))
    t.add_row("疑似同一人(未合并)" if zh else "possibly same (not merged)", str(st["possibly_same"]))
    out.print(t)
    out.print(("不同人员 {persons},不同单位 {units}(归并内设机构后 {units_after_rollup})" if zh else
               "distinct persons {persons}, units {units} ({units_after_rollup} after roll-up)").format(**st))


@app.command()
def synth(out_dir: Path = typer.Argument(..., help="输出目录"),
          scale: str = typer.Option("demo", "--scale", help="demo(秒级)或 province(约20万申报)"),
          seed: int = typer.Option(1, "--seed", help="随机种子:同一种子生成完全相同的文件"),
          profile: str = typer.Option("full", "--profile",
                                      help="导出形态:full(全部表,含常见脏数据)、minimal(仅必需表与必需列)、"
                                           "messy(另含仅表头的表与文件、姓名中的控制字符、非常规文件名)")) -> None:
    """生成一个模拟的评审数据目录(数据规范格式,含刻意的脏数据与已知问题),并写出 truth.json。"""
    from ..synth.generator import PROFILES, generate

    if scale not in ("demo", "province"):
        console.print("[red]--scale 只能是 demo 或 province[/]")
        raise typer.Exit(code=2)
    if profile not in PROFILES:
        console.print(f"[red]--profile 只能是 {'、'.join(PROFILES)}[/]")
        raise typer.Exit(code=2)
    t0 = time.perf_counter()
    with console.status(f"生成 {scale} 规模数据…"):
        truth = generate(out_dir, scale=scale, seed=seed, profile=profile)
    out.print(f"已生成 {out_dir}:{truth['counts']},用时 {time.perf_counter() - t0:.1f} 秒")


SkipUnreadable = typer.Option(False, "--skip-unreadable",
                              help="有文件无法读取时仍继续(默认停止并退出码1);未读入的文件记入线索清单的运行信息")


def unreadable_files(store) -> list[dict[str, str]]:
    """The files the load could not use (unreadable, no header row, a required column or table missing)."""
    errs = store.meta.get("file_errors")
    if errs is None:  # a workspace saved before file errors were kept apart
        errs = [dict(zip(("file", "reason"), e.split(": ", 1))) for e in store.errors]
    return [{"file": e.get("file", ""), "reason": e.get("reason", "")} for e in errs]


def _store_from(path: Path, skip_unreadable: bool = False, mapping: Optional[Path] = None, quiet: bool = False):
    """A data folder is loaded; a workspace (from `zcgraph load`) is opened as it is. A file that could not be
    read stops the command (exit 1, each file and its reason named) before any lead list is written: a list
    built without a file looks complete and is not. ``--skip-unreadable`` goes on, and the run records it."""
    from ..graph.store import Store

    if (path / "manifest.json").exists():
        if mapping is not None:
            console.print(f"[red]{path} 是工作区,已按加载时的映射读入;要换映射,请对数据目录重新执行 zcgraph load --mapping[/]")
            raise typer.Exit(code=2)
        store = Store.open(path)
        if not quiet:
            print_read_as(store)  # what the workspace's files were read as, when it was loaded
    else:
        store = _load(path, mapping)
    unread = unreadable_files(store)
    for e in unread:
        console.print(f"[red]无法读取[/] {e['file']}: {e['reason']}")
    if unread and not skip_unreadable:
        console.print(f"[red]{len(unread)} 个文件未能读入,未生成线索清单(缺少这些文件的清单看似完整,实则不全)。"
                      "请修正文件后重试,或加 --skip-unreadable 在缺少这些文件的情况下继续。[/]")
        raise typer.Exit(code=1)
    return store


def _neo4j_holds(store, driver, database: Optional[str], no_write: bool) -> dict:
    """Neo4j brought to exactly this data (nothing written when it already holds it; cleared and written when it
    holds anything else), or, with --no-write, checked: a database holding other data is refused, never read."""
    from ..graph.neo4j_writer import data_held, sync_store

    fp = store.meta.get("data_fingerprint")
    if no_write:
        held = data_held(driver, database)
        if not held or held.get("data_fingerprint") != fp:
            what = "为空" if not held else (f"是另一份数据(数据指纹 {held.get('data_fingerprint') or '未记录'},"
                                           f"载入于 {held.get('loaded_at', '?')})")
            console.print(f"[red]Neo4j 中的数据{what},不是本数据目录的数据(数据指纹 {fp});按 --no-write 不写入,"
                          "拒绝运行,以免得出与数据目录不符的线索。去掉 --no-write,zcgraph 会先把库替换为本数据。[/]")
            raise typer.Exit(code=1)
        out.print(f"Neo4j 中已是本数据(数据指纹 {fp}),未写入", highlight=False)
        return {**held, "action": "unchanged"}
    with console.status("使Neo4j与数据目录一致…"):
        rep = sync_store(store, driver, database)
    out.print(rep.describe(), highlight=False)
    for line in rep.file_lines():
        out.print(line, highlight=False)
    held = {k: v for k, v in (data_held(driver, database) or {}).items() if k != "digests"}
    return {**held, "action": rep.action}


@app.command("find-conflicts")
def find_conflicts(
        data_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="数据目录,或 zcgraph load 生成的工作区"),
        out_file: Path = typer.Option(Path("leads.json"), "--out", "-o",
                                      help="线索清单输出文件,按扩展名:.json / .csv / .xlsx / .html"),
        backend: str = typer.Option("networkx", "--backend", help="networkx(默认,无需服务器)或 neo4j"),
        rules: Optional[str] = typer.Option(None, "--rules", help="只运行这些规则或类别,如 AVOID-KIN,PROC"),
        year: Optional[int] = typer.Option(None, "--year", help="只输出该评审年度的线索"),
        params: Optional[Path] = typer.Option(None, "--params", exists=True, help="参数文件(JSON):{名称: 值} 或 {规则编号: {名称: 值}}"),
        reveal: bool = typer.Option(False, "--reveal", help="显示完整姓名和身份证号(默认脱敏)"),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="核查基准日 YYYY-MM-DD(默认数据中最晚的日期)"),
        neo4j: Optional[str] = Neo4jUri, neo4j_user: Optional[str] = Neo4jUser,
        neo4j_password: Optional[str] = Neo4jPassword, neo4j_no_auth: bool = Neo4jNoAuth,
        neo4j_database: Optional[str] = Neo4jDatabase,
        dispositions: Optional[Path] = typer.Option(None, "--dispositions", exists=True, dir_okay=False,
                                                    help="核查结果文件(.csv/.xlsx/.json,按线索编号):沿用核查状态,已排除且证据未变的线索不再提示"),
        lang: str = typer.Option("zh", "--lang", help="表头与标签语言:zh(默认)或 en"),
        no_write: bool = typer.Option(False, "--no-write", help="--backend neo4j 时不写入,直接查询库中现有数据;库中不是本数据时拒绝运行"),
        skip_unreadable: bool = SkipUnreadable, mapping: Optional[Path] = MappingOpt) -> None:
    """运行规则目录中的检查,输出按风险排序的线索清单(每条线索含证据说明、证据路径和依据条款)。"""
    from ..queries.backends import EmbeddedBackend, Neo4jBackend
    from ..queries.catalog import CatalogError, load_catalog, select
    from ..queries.runner import ParamError, run_rules

    if backend not in ("networkx", "neo4j"):
        console.print("[red]--backend 只能是 networkx 或 neo4j[/]")
        raise typer.Exit(code=2)
    from ..reports.export import FORMATS

    if out_file.suffix.lower() not in FORMATS:
        console.print(f"[red]不支持的输出格式 {out_file.suffix or '(无扩展名)'};可用:{'、'.join(FORMATS)}[/]")
        raise typer.Exit(code=2)
    try:
        catalog = select(load_catalog(), rules)
        overrides = json.loads(params.read_text(encoding="utf-8")) if params else {}
    except (CatalogError, json.JSONDecodeError) as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(code=2)
    store = _store_from(data_dir, skip_unreadable, mapping)
    driver = None
    try:
        if backend == "neo4j":
            if not neo4j:
                console.print("[red]--backend neo4j 需要 --neo4j URI[/]")
                raise typer.Exit(code=2)
            driver = open_driver(neo4j, neo4j_user, neo4j_password, neo4j_no_auth)
            neo4j_data = _neo4j_holds(store, driver, neo4j_database, no_write)
            be = Neo4jBackend(driver, store.meta.get("present", {}), neo4j_database, store.meta.get("latest_date"),
                              applications=len(store.nodes["Application"]))
        else:
            be = EmbeddedBackend(store)
        t0 = time.perf_counter()
        with console.status(f"运行 {len(catalog)} 条规则…"):
            try:
                result = run_rules(be, catalog, overrides, year=year, reveal=reveal,
                                   data_fingerprint=store.meta.get("data_fingerprint", ""), as_of=as_of)
            except ParamError as e:
                console.print(f"[red]{e}[/]")
                raise typer.Exit(code=2)
    finally:
        if driver is not None:
            driver.close()
    result = _with_dispositions(_with_completeness(result, store), dispositions)
    if backend == "neo4j":  # which data the leads came from: the database's own record of what it holds
        result["neo4j_data"] = neo4j_data
    from ..reports.audit import log_run
    from ..reports.export import write_leads

    write_leads(result, out_file, lang)
    log_run("find-conflicts", result, out_file)
    t = Table(title=f"线索 {len(result['leads'])} 条({be.name},{time.perf_counter() - t0:.1f} 秒)")
    for col in ("规则", "名称", "审查事实", "检验对数", "高", "中", "低"):
        t.add_column(col, justify="right" if col not in ("规则", "名称") else "left")
    counts: dict[str, dict[str, int]] = {}
    for lead in result["leads"]:
        counts.setdefault(lead["rule_id"], {"高": 0, "中": 0, "低": 0})[lead["severity"]] += 1
    names = {r.id: r.spec.name_zh for r in catalog}
    for row in result["rule_summary"]:  # every rule that ran, a zero too: the run summary of rules.md
        c = counts.get(row["rule_id"], {"高": 0, "中": 0, "低": 0})
        t.add_row(row["rule_id"], names[row["rule_id"]], str(row["facts"]),
                  "—" if row["tested"] is None else str(row["tested"]), str(c["高"]), str(c["中"]), str(c["低"]))
    out.print(t)
    for row in result["rule_summary"]:
        if row["miscalibrated"]:
            out.print(f"[yellow]疑似校准不当[/] {row['rule_id']}:线索 {row['leads']} 条,超过每百件申报1条"
                      f"(申报 {result['applications']} 件)")
    for s in result["rules_skipped"]:
        out.print(f"[yellow]跳过[/] {s['rule_id']}:{s['reason']}")
    for f in result["files_not_read"]:
        out.print(f"[red]未读入[/] {f['file']}:{f['reason']}")
    for f in result["rules_failed"]:
        out.print(f"[red]运行失败[/] {f['rule_id']}:{f['error']}: {f['message']}")
    if result.get("revealed"):
        out.print("[yellow]注意:本次输出含未脱敏的姓名和身份证号(--reveal),已记入审计日志[/]")
    out.print(f"已写出 {out_file}")
    if result["rules_failed"]:
        out.print(f"[red]清单不完整:{len(result['rules_failed'])} 条规则运行失败,其余规则的线索已写出(退出码3)[/]")
        raise typer.Exit(code=3)
    if result["files_not_read"]:  # going on without a file was the user's choice; the list is still partial
        out.print(f"[red]清单不完整:{len(result['files_not_read'])} 个文件未读入(--skip-unreadable),"
                  f"其余数据的线索已写出(退出码3)[/]")
        raise typer.Exit(code=3)


def _with_completeness(result: dict, store) -> dict:
    """Which files the list was built without (``--skip-unreadable``), and whether it is whole."""
    result["files_not_read"] = unreadable_files(store)
    m = store.meta.get("mapping")
    result["mapping"] = f"{Path(m['file']).name}(指纹 {m['fingerprint']})" if m else None
    result["complete"] = not (result["files_not_read"] or result["rules_failed"])
    return result


def _with_dispositions(result: dict, path: Optional[Path]) -> dict:
    if path is None:
        return result
    from ..reports.dispositions import DispositionError, apply_dispositions, read_dispositions

    try:
        marks = read_dispositions(path)
    except DispositionError as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(code=2)
    for p in marks.problems:
        out.print(f"[yellow]核查结果文件[/] {p}")
    result = apply_dispositions(result, marks)
    d = result["dispositions"]
    out.print(f"沿用核查结果 {d['applied']} 条;已排除且证据未变、本次不再提示 {d['dismissed_not_raised']} 条")
    if d["carried_to_regrouped"] or d["not_carried"]:
        out.print(f"按单位与会议合并后的线索:沿用旧核查结果 {d['carried_to_regrouped']} 条,无法对应 {d['not_carried']} 条")
    return result


@app.command("diff")
def diff(old: Path = typer.Argument(..., exists=True, dir_okay=False, help="上一次的 leads.json"),
         new: Path = typer.Argument(..., exists=True, dir_okay=False, help="这一次的 leads.json"),
         out_file: Optional[Path] = typer.Option(None, "--out", "-o", help="把差异写成 JSON")) -> None:
    """两次运行之间的变化:新增、消失、证据变化的线索。"""
    from ..reports.dispositions import diff_runs

    try:
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (old, new))
        d = diff_runs(a, b)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        console.print(f"[red]不是 zcgraph 的 leads.json:{e}[/]")
        raise typer.Exit(code=2)
    names = {"new": "新增", "gone": "消失", "changed": "证据变化"}
    for kind, items in d.items():
        out.print(f"[bold]{names[kind]}[/] {len(items)} 条")
        for x in items:
            out.print(f"  {x['lead_id']}  {x['rule_id']}  {x['severity']}  {x['evidence'][:60]}")
    if out_file:
        out_file.write_text(json.dumps(d, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        out.print(f"已写出 {out_file}")


@app.command("report")
def report(data_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="数据目录,或 zcgraph load 生成的工作区"),
           period: str = typer.Option(..., "--period", help="报告期:2025(年度情况)、2025H1(阶段性进展)或 2025H2"),
           out_file: Path = typer.Option(Path("report.xlsx"), "--out", "-o", help="报告文件:.xlsx 或 .html"),
           dispositions: Optional[Path] = typer.Option(None, "--dispositions", exists=True, dir_okay=False,
                                                       help="核查结果文件(整改措施、责任人、整改期限从这里来)"),
           previous: Optional[Path] = typer.Option(None, "--previous", exists=True, dir_okay=False,
                                                   help="上一次的 leads.json:概述写出本期新增、不再出现和延续的线索"),
           reveal: bool = typer.Option(False, "--reveal", help="显示完整姓名和身份证号(默认脱敏)"),
           skip_unreadable: bool = SkipUnreadable, mapping: Optional[Path] = MappingOpt) -> None:
    """通知要求的反馈材料:按类别和评委会统计的线索、问题清单(台账)、典型案例、整改情况。"""
    from ..queries.backends import EmbeddedBackend
    from ..queries.catalog import load_catalog
    from ..queries.runner import run_rules
    from ..reports.audit import log_run
    from ..reports.report import ReportError, build_report, parse_period, write_report

    try:
        parse_period(period)
        if out_file.suffix.lower() not in (".xlsx", ".html"):
            raise ReportError(f"报告输出应为 .xlsx 或 .html(收到 {out_file.suffix or '无扩展名'})")
    except ReportError as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(code=2)
    store = _store_from(data_dir, skip_unreadable, mapping)
    with console.status("运行规则…"):
        result = run_rules(EmbeddedBackend(store), load_catalog(), reveal=reveal,
                           data_fingerprint=store.meta.get("data_fingerprint", ""))
    result = _with_dispositions(_with_completeness(result, store), dispositions)
    c = store.nodes["Committee"]
    units = store.nodes["Unit"].set_index("unit_key")["name"]
    org = store.rels["ORGANIZED_BY"]
    organizers = dict(zip(org["src"], org["dst"].map(units))) if len(org) else {}
    names = dict(zip(c["committee_id"], c["name"])) if "name" in c else {}
    rep = build_report(result, period, {k: v for k, v in organizers.items() if k in set(c["committee_id"])},
                       {k: v for k, v in names.items() if isinstance(v, str) and v},
                       json.loads(previous.read_text(encoding="utf-8")) if previous else None)
    write_report(rep, out_file)
    log_run("report", result, out_file)
    out.print(f"{rep['title']}:线索 {len(rep['problems'])} 条,典型案例 {len(rep['cases'])} 个;已写出 {out_file}")
    for f in result["rules_failed"]:
        out.print(f"[red]运行失败[/] {f['rule_id']}:{f['error']}: {f['message']}")
    for f in result.get("files_not_read", []):
        out.print(f"[red]未读入[/] {f['file']}:{f['reason']}")
    if result["rules_failed"] or result.get("files_not_read"):
        raise typer.Exit(code=3)


@app.command("sample")
def sample(data_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="数据目录,或 zcgraph load 生成的工作区"),
           of: str = typer.Option("leads", "--of", help="抽查对象:leads(线索)或 applications(申报)"),
           size: int = typer.Option(5, "--size", "-n", help="每个评委会、每个年度抽取的数量"),
           seed: int = typer.Option(..., "--seed", help="随机种子(记录在清单里;同一数据、同一种子,抽到的相同)"),
           out_file: Path = typer.Option(Path("抽查清单.xlsx"), "--out", "-o", help="抽查清单 .xlsx"),
           reveal: bool = typer.Option(False, "--reveal", help="显示完整姓名和身份证号(默认脱敏)"),
           skip_unreadable: bool = SkipUnreadable, mapping: Optional[Path] = MappingOpt) -> None:
    """通知要求的随机抽查:按评委会和年度分层,用种子可复现地抽取线索或申报,写出抽查清单(线索清单可作为核查结果文件交回)。"""
    from ..queries.backends import EmbeddedBackend
    from ..queries.catalog import load_catalog
    from ..queries.leads import _masked_person
    from ..queries.runner import run_rules
    from ..reports.audit import log_run
    from ..reports.fields import STATUSES, cell, header
    from ..reports.sample import SampleError, draw, write_checklist

    if of not in ("leads", "applications"):
        console.print(f"[red]--of 应为 leads 或 applications(收到 {of})[/]")
        raise typer.Exit(code=2)
    if out_file.suffix.lower() != ".xlsx" or size < 1:
        console.print("[red]抽查清单应为 .xlsx,--size 应为正整数[/]")
        raise typer.Exit(code=2)
    store = _store_from(data_dir, skip_unreadable, mapping)
    by = ("committee_id", "year")
    fp = store.meta.get("data_fingerprint", "")
    if of == "leads":
        with console.status("运行规则…"):
            result = run_rules(EmbeddedBackend(store), load_catalog(), reveal=reveal, data_fingerprint=fp)
        result = _with_completeness(result, store)
        picked, strata = draw(result["leads"], "lead_id", size, seed, by)
        fields = ["lead_id", "rule_id", "rule_name", "severity", "committee_id", "meeting_id", "year", "date",
                  "application_id", "applicant", "expert_id", "expert", "unit", "evidence", "basis",
                  "status", "reason", "remedy", "owner", "deadline"]
        heads = [header(f) for f in fields]
        rows = [[cell(x, f, "zh") for f in fields] for x in picked]
        population = len(result["leads"])
    else:
        import pandas as pd

        apps = store.nodes["Application"]
        applied = store.rels["APPLIED"].set_index("dst")["src"]
        persons = store.nodes["Person"].set_index("person_key")
        # the population as plain records (no per-row lookups: a province has hundreds of thousands); names are
        # looked up and masked for the sampled ones only
        cols = ["application_id", "committee_id", "year", "employer", "result"]
        frame = apps[cols].astype(object).assign(person=apps["application_key"].map(applied))
        items = frame.where(frame.notna(), None).to_dict("records")
        for x in items:
            x["year"] = None if x["year"] is None else int(x["year"])
        picked, strata = draw(items, "application_id", size, seed, by)

        def applicant(key):
            if key not in persons.index:
                return None
            p = persons.loc[key]
            return _masked_person(*(None if pd.isna(p.get(c)) else p.get(c) for c in ("name", "id_number")), reveal)
        heads = ["申报编号", "评委会编号", "评审年度", "申报人", "工作单位", "评审结果", header("status"), "抽查发现",
                 "核查人", "核查日期"]
        rows = [[x["application_id"], x["committee_id"], x["year"], applicant(x["person"]), x["employer"], x["result"],
                 STATUSES[0], None, None, None] for x in picked]
        population = len(items)
        result = {"data_fingerprint": fp, "leads": [], "revealed": reveal, "parameters": {}}
    if of == "leads":
        rows = [[STATUSES[0] if h == header("status") and not v else v for h, v in zip(heads, row)] for row in rows]
    info = [["抽查对象", "线索" if of == "leads" else "申报"], ["随机种子", seed], ["每层抽取数", size],
            ["分层", "评委会 × 评审年度"], ["总体数", population], ["抽取数", len(rows)], ["数据指纹", fp],
            ["脱敏", "否(--reveal)" if reveal else "是"],
            ["交回方式", "填写核查状态等列后:zcgraph find-conflicts 数据目录 --dispositions 本文件" if of == "leads"
             else "申报抽查清单记录抽查结果,不作为线索核查结果文件"]]
    try:
        write_checklist(out_file, of, rows, heads, strata, by, info)
    except SampleError as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(code=2)
    log_run("sample", {**result, "parameters": {"of": of, "size": size, "seed": seed}}, out_file)
    out.print(f"从 {population} 个{'线索' if of == 'leads' else '申报'}中按 {len(strata)} 个分层抽取 {len(rows)} 个"
              f"(种子 {seed});已写出 {out_file}")


@app.command("bench")
def bench(scale: str = typer.Option("demo", "--scale", help="demo 或 province"),
          backend: str = typer.Option("networkx", "--backend", help="networkx、neo4j 或 both"),
          data: Optional[Path] = typer.Option(None, "--data", exists=True, file_okay=False,
                                              help="用已有数据目录代替 synth 生成(此时不做翻倍测试)"),
          seed: int = typer.Option(1, "--seed"),
          double: bool = typer.Option(False, "--double", help="再生成申报量翻倍的场景,测量耗时增长"),
          provinces: int = typer.Option(0, "--provinces",
                                        help="再按\"一省一库\"方式依次运行 N 个省级规模场景(各自独立进程),测量总耗时与单省峰值内存的增长"),
          out_file: Path = typer.Option(Path("bench.json"), "--out", "-o", help="结果 JSON(运行中逐阶段更新)"),
          timeout: Optional[float] = typer.Option(None, "--neo4j-timeout", help="每条 Cypher 规则的时限(秒);超时的类别记为未完成"),
          neo4j: Optional[str] = Neo4jUri, neo4j_user: Optional[str] = Neo4jUser,
          neo4j_password: Optional[str] = Neo4jPassword, neo4j_no_auth: bool = Neo4jNoAuth) -> None:
    """性能基准:与 pandas 只读文件的"地板"时间比较,测量加载、各类规则(两种后端)、各导出格式、峰值内存和翻倍增长。"""
    from ..bench import dump, run_bench, targets

    if scale not in ("demo", "province") or backend not in ("networkx", "neo4j", "both"):
        console.print("[red]--scale 只能是 demo/province,--backend 只能是 networkx/neo4j/both[/]")
        raise typer.Exit(code=2)
    if provinces and (provinces < 2 or data is not None):
        console.print("[red]--provinces 需为 2 或更大,且不能与 --data 同用(各省场景由 synth 生成)[/]")
        raise typer.Exit(code=2)
    backends = ("networkx", "neo4j") if backend == "both" else (backend,)
    driver, server = None, None
    if "neo4j" in backends:
        if not neo4j:
            console.print("[red]--backend neo4j/both 需要 --neo4j URI,或 --neo4j local(启动仓库内置的测试 Neo4j)[/]")
            raise typer.Exit(code=2)
        if neo4j == "local":
            import os

            from neo4j import GraphDatabase

            from ..graph.local_neo4j import LocalNeo4j, Neo4jUnavailable

            os.environ.setdefault("ZCGRAPH_NEO4J_PAGECACHE", "4g")
            try:
                with console.status("启动内置 Neo4j…"):
                    server = LocalNeo4j(heap=os.environ.get("ZCGRAPH_NEO4J_HEAP", "4g")).start()
            except Neo4jUnavailable as e:
                console.print(f"[red]{e}[/]")
                raise typer.Exit(code=2)
            driver = GraphDatabase.driver(server.uri, auth=server.auth)
        else:
            driver = open_driver(neo4j, neo4j_user, neo4j_password, neo4j_no_auth)
    try:
        res = run_bench(scale, backends, seed, data, driver, double and data is None,
                        say=lambda s: console.print(f"[dim]… {s}[/]"), timeout=timeout, partial=out_file,
                        bulk_import=server is not None, provinces=provinces)
    finally:
        if driver is not None:
            driver.close()
        if server is not None:
            server.stop()
    dump(res, out_file)
    x1 = res["x1"]
    t = Table(title=f"zcgraph bench · {scale} · {x1['load']['rows']:,} 行输入")
    for c in ("阶段", "秒", "行/秒", "峰值内存 MB", "说明"):
        t.add_column(c)
    t.add_row("floor (pandas 只读)", f"{x1['floor']['seconds']:.2f}", f"{x1['floor']['rows_per_s']:,}",
              str(x1["floor"]["peak_rss_mb"]), x1["floor"]["engine"])
    t.add_row("load", f"{x1['load']['seconds']:.2f}", f"{x1['load']['rows_per_s']:,}", str(x1["load"]["peak_rss_mb"]),
              f"读取规范化 {x1['load']['read_normalise_s']:.1f} + 身份/建图 {x1['load']['resolve_build_s']:.1f}")
    for be in ("networkx", "neo4j"):
        r = x1.get(f"rules_{be}")
        if be == "neo4j" and "neo4j_write" in x1:
            w = x1["neo4j_write"]
            t.add_row("neo4j write", f"{w['seconds']:.2f}", f"{w['rows_per_s']:,}", str(w["peak_rss_mb"]), f"{w['rows']:,} 行")
            if "neo4j_import" in x1:
                b = x1["neo4j_import"]
                t.add_row("neo4j-admin import", f"{b['seconds']:.2f}", f"{b['rows_per_s']:,}", str(b["peak_rss_mb"]),
                          f"CSV {b['csv_s']:.1f} + 导入 {b['import_s']:.1f} + 索引 {b['schema_s']:.1f};"
                          f"与Bolt写入计数一致={b['same_counts_as_bolt']}")
        if r:
            for fam, sec in r["families"].items():
                if fam != "_failed":
                    t.add_row(f"  {fam} ({be})", "超时" if sec is None else f"{sec:.2f}", "", "", "")
            extra = f"{r['leads']} 条线索" + (f";为嵌入式的 {r['ratio_to_networkx']}×,线索相同={r['same_leads']}"
                                            if "ratio_to_networkx" in r else "")
            t.add_row(f"rules {be} 合计", f"{r['seconds']:.2f}", "", str(r["peak_rss_mb"]), extra)
    if "connect" in x1:
        c = x1["connect"]
        t.add_row("connect 关联图构建", f"{c['build_s']:.2f}", "", f"+{c['rss_added_mb']}",
                  f"{c['nodes']:,} 节点,{c['pairs']:,} 对,{c['records']:,} 条记录")
        t.add_row(f"connect 查询×{c['queries']}", f"{c['median_s']:.3f}", "", "",
                  f"中位数;p90 {c['p90_s']:.3f} 秒,最慢 {c['max_s']:.3f} 秒;{c['connected']} 对在4步内有关联")
    for fmt, e in x1.get("exports", {}).items():
        t.add_row(f"export .{fmt}", f"{e['seconds']:.2f}", "", "", f"{e['bytes']:,} 字节")
    if "find_conflicts" in x1:
        fc = x1["find_conflicts"]
        t.add_row("find-conflicts 端到端", f"{fc['seconds']:.2f}", "", str(x1["peak_rss_mb"]), f"地板的 {fc['ratio_to_floor']}×")
    if "doubling" in res:
        d = res["doubling"]
        t.add_row("申报量×2", f"{res['x2']['find_conflicts']['seconds']:.2f}", "", str(res["x2"]["peak_rss_mb"]),
                  f"行数 {d['rows_ratio']}×,耗时 {d['find_conflicts_time_ratio']}×")
    for g in res.get("provinces", {}).get("growth", []):
        t.add_row(f"{g['provinces']} 个省(一省一进程,依次)", f"{g['seconds']:.2f}", "", str(g["peak_rss_mb"]),
                  f"输入 {g['rows']:,} 行;耗时为一个省的 {g['time_ratio']}×;内存为单省峰值")
    out.print(t)
    for name, measured, ok in targets(res):
        mark = "—" if ok is None else ("[green]达标[/]" if ok else "[red]未达标[/]")
        out.print(f"{name}: {measured} {mark}")
    out.print(f"已写出 {out_file}")


@app.command("inspect")
def inspect(data_dir: Path = DataDir, mapping: Optional[Path] = MappingOpt,
            write_mapping: Optional[Path] = typer.Option(None, "--write-mapping", dir_okay=False,
                                                         help="写出映射文件(TOML):确定的对应直接写入,建议以问号标出待确认"),
            as_json: bool = typer.Option(False, "--json", help="以JSON输出(供其他工具使用)")) -> None:
    """读入前先看一遍:每个文件(工作表)识别为哪张表、每个表头对应哪一列(或建议)、缺少的必需列、样例值(脱敏)及其规范化结果,以及缺列会停用哪些规则。"""
    from ..loaders.inspect import inspect_folder, where
    from ..loaders.inspect import write_mapping as mapping_text
    from ..loaders.schema import TABLES
    from ..queries.catalog import load_catalog

    used = _mapping(data_dir, mapping)
    ins = inspect_folder(data_dir, used, {r.id: r.spec.needs for r in load_catalog()})
    if write_mapping is not None:
        if write_mapping.exists() and used is not None and write_mapping.resolve() == used.path.resolve():
            console.print(f"[red]{write_mapping} 正是本次使用的映射文件;请写到另一个文件,核对后再替换[/]")
            raise typer.Exit(code=2)
        write_mapping.parent.mkdir(parents=True, exist_ok=True)
        write_mapping.write_text(mapping_text(ins), encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(ins.to_json(), ensure_ascii=False, indent=1) + "\n")
        return
    out.print(f"数据目录 {data_dir};映射文件:{ins.mapping or '未用'}", highlight=False)
    for group in ins.groups():
        sh = group[0]
        at = where(group)
        if sh.table:
            head = f"{at} → {sh.table}({TABLES[sh.table].label_zh}),依据{sh.how},表头对应{sh.score}列"
        elif sh.suggested_table:
            head = (f"{at} 未识别;表头最像 {sh.suggested_table}({TABLES[sh.suggested_table].label_zh}),"
                    f"请在映射文件中确认 table")
        else:
            head = f"{at} 未识别:{sh.reason}"
        if sh.header_row:
            head += f";表头在第{sh.header_row}行,查看了{sum(g.sampled_rows for g in group)}行数据"
        if not sh.headers:
            out.print(head, style="red" if not sh.table else None, highlight=False, markup=False)
            continue
        t = Table(title=head, title_justify="left", show_lines=False)
        for col in ("表头", "对应列", "依据", "样例(脱敏)", "规范化结果"):
            t.add_column(col, overflow="fold")
        for h in sh.headers:
            col = (f"{h.column}?" if h.how == "建议" else h.column) or "—"
            how = f"建议 {h.score:.2f}" if h.how == "建议" else h.how
            style = "yellow" if h.how == "建议" else "dim" if h.how == "未对应" else None
            t.add_row(h.header, col, how, "、".join(h.samples), h.verdict, style=style)
        out.print(t)
        if sh.missing_required:
            offered = {h.column: h.header for h in sh.headers if h.how == "建议"}
            out.print("  [red]缺少必需列[/]:" + "、".join(
                m + "".join(f"(建议:{offered[c]} → {c},请在映射文件中确认)" for c in m.split("/") if c in offered)
                for m in sh.missing_required),
                highlight=False)
    for f in ins.other_files:
        out.print(f"{f} 略过:不是表格文件", highlight=False)
    if ins.switched_off:
        t = Table(title="缺少的表或列及因此停用的规则", title_justify="left")
        for col in ("缺少", "停用的规则", "可补上它的建议"):
            t.add_column(col, overflow="fold")
        for x in ins.switched_off:
            t.add_row(x["missing"], ", ".join(x["rules"]), ";".join(x["suggested"]) or "—")
        out.print(t)
    if write_mapping is not None:
        n = sum(1 for sh in ins.sheets for h in sh.headers if h.how == "建议")
        out.print(f"已写出映射文件 {write_mapping}:{n} 处建议以问号标出,核对后去掉问号;"
                  f"然后放入数据目录并命名为 zcgraph.toml,或用 --mapping {write_mapping}", highlight=False)


def _connect_store(path: Path, mapping: Optional[Path]):
    if not path.exists():
        console.print(f"[red]找不到 {path}:请给出数据目录,或先运行 zcgraph load 生成工作区[/]")
        raise typer.Exit(code=2)
    return _store_from(path, False, mapping, quiet=True)


def _run_connect(store, a, b, *, backend: str, as_of: Optional[str], max_hops: int, via: Optional[list[str]],
                 limit: int, reveal: bool, neo4j: Optional[str], neo4j_user: Optional[str],
                 neo4j_password: Optional[str], neo4j_no_auth: bool, neo4j_database: Optional[str]):
    """The chains between two resolved parties on the chosen backend (Neo4j: the store is written first, as
    find-conflicts does, so the chains are the folder's)."""
    from ..queries.connect import chains_embedded, chains_neo4j, probable_persons

    if backend == "neo4j":
        if not neo4j:
            console.print("[red]--backend neo4j 需要 --neo4j URI[/]")
            raise typer.Exit(code=2)
        driver = open_driver(neo4j, neo4j_user, neo4j_password, neo4j_no_auth)
        try:
            _neo4j_holds(store, driver, neo4j_database, False)
            return chains_neo4j(driver, (a.label, a.key), (b.label, b.key), as_of, max_hops, via, limit,
                                database=neo4j_database, probable=probable_persons(store))
        finally:
            driver.close()
    return chains_embedded(store, (a.label, a.key), (b.label, b.key), as_of, max_hops, via, limit)


@app.command("connect")
def connect(a_text: str = typer.Argument(..., metavar="A", help="甲:身份证号、专家编号、申报编号、单位名称或信用代码、中介编号、电话或邮箱、姓名"),
            b_text: str = typer.Argument(..., metavar="B", help="乙:同上"),
            data_dir: Path = typer.Argument(DEFAULT_WORKSPACE, help="数据目录,或 zcgraph load 生成的工作区(默认 .zcgraph)"),
            as_of: Optional[str] = typer.Option(None, "--as-of", help="只看该日(YYYY-MM-DD)成立的关联;默认不限,每一步注明起止"),
            max_hops: int = typer.Option(4, "--max-hops", help="最多几步(1-8)"),
            via: Optional[str] = typer.Option(None, "--via", help="只用这些关联:kin,academic,other,unit,intermediary,contact,review,meeting,same"),
            limit: int = typer.Option(20, "--limit", help="最多列出几条(按排名)"),
            out_file: Optional[Path] = typer.Option(None, "--out", "-o", help="另存为 .json 或 .html(与线索清单相同的关系图)"),
            backend: str = typer.Option("networkx", "--backend", help="networkx(默认)或 neo4j"),
            reveal: bool = typer.Option(False, "--reveal", help="显示完整姓名和身份证号(默认脱敏,记入审计日志)"),
            mapping: Optional[Path] = MappingOpt,
            neo4j: Optional[str] = Neo4jUri, neo4j_user: Optional[str] = Neo4jUser,
            neo4j_password: Optional[str] = Neo4jPassword, neo4j_no_auth: bool = Neo4jNoAuth,
            neo4j_database: Optional[str] = Neo4jDatabase) -> None:
    """两者之间怎样关联:列出甲乙之间每一条最短关联链(亲属、师生合著、同单位、中介、共用联系方式、评审行为、同场会议、疑似同一人),每一步注明日期和来源记录。"""
    import datetime as dt

    from ..queries.connect import ConnectError, resolve
    from ..reports.audit import log_run
    from ..reports.connect_out import connect_result, summary_lines, write_connect

    if backend not in ("networkx", "neo4j"):
        console.print("[red]--backend 只能是 networkx 或 neo4j[/]")
        raise typer.Exit(code=2)
    if out_file is not None and out_file.suffix.lower() not in (".json", ".html"):
        console.print("[red]--out 应为 .json 或 .html[/]")
        raise typer.Exit(code=2)
    try:
        if as_of:
            dt.date.fromisoformat(as_of)
    except ValueError:
        console.print(f"[red]--as-of 应为 YYYY-MM-DD(收到 {as_of})[/]")
        raise typer.Exit(code=2)
    groups = [g.strip() for g in via.split(",") if g.strip()] if via else None
    store = _connect_store(data_dir, mapping)
    try:
        a, b = resolve(store, a_text, reveal), resolve(store, b_text, reveal)
        if backend == "networkx":
            from ..queries.connect import TieGraph

            t_build = time.perf_counter()
            tg = TieGraph.of(store)  # once per store; every later query reuses it
            out.print(f"关联图:{tg.n:,} 个节点,{tg.edge_count:,} 对关联({len(tg.r_type):,} 条记录),"
                      f"构建 {time.perf_counter() - t_build:.2f} 秒", highlight=False)
        t0 = time.perf_counter()
        found = _run_connect(store, a, b, backend=backend, as_of=as_of, max_hops=max_hops, via=groups, limit=limit,
                             reveal=reveal, neo4j=neo4j, neo4j_user=neo4j_user, neo4j_password=neo4j_password,
                             neo4j_no_auth=neo4j_no_auth, neo4j_database=neo4j_database)
        seconds = time.perf_counter() - t0
    except ConnectError as e:
        console.print(f"[red]{e}[/]", highlight=False)
        for c in e.candidates:
            console.print(f"  候选:{c.caption}({LABELS_ZH.get(c.label, c.label)},依据{c.how})", highlight=False,
                          markup=False)
        raise typer.Exit(code=2)
    result = connect_result(store, a, b, found, backend=backend, as_of=as_of, max_hops=max_hops, via=groups,
                            reveal=reveal, limit=limit)
    result["seconds"] = round(seconds, 3)
    for line in summary_lines(result):
        out.print(line, highlight=False, markup=False)
    out.print(f"查询用时 {seconds:.2f} 秒({backend})", highlight=False)
    if out_file is not None:
        write_connect(result, out_file)
        out.print(f"已写出 {out_file}", highlight=False)
    if reveal:
        log_run("connect", result, out_file)
        out.print("[yellow]注意:本次输出含未脱敏的姓名和身份证号(--reveal),已记入审计日志[/]")


@app.command("rules")
def list_rules(lang: str = typer.Option("zh", "--lang", help="zh 或 en")) -> None:
    """列出规则目录:编号、名称、类别、风险等级、所需数据、参数和依据条款。"""
    from ..queries.catalog import FAMILY_EN, load_catalog

    zh = lang != "en"
    t = Table(title="规则目录" if zh else "Rule catalog", show_lines=True)
    for col in (("编号", "名称", "类别", "等级", "所需数据(缺少则跳过)", "参数", "依据") if zh else (
            "id", "name", "family", "severity", "needs (skipped without)", "parameters", "basis")):
        t.add_column(col, overflow="fold")  # wrapped, never cut: piped output is 80 columns wide
    for r in load_catalog():
        sp = r.spec
        t.add_row(sp.id, sp.name_zh if zh else sp.name_en, sp.family if zh else FAMILY_EN[sp.family],
                  sp.severity if zh else {"高": "high", "中": "medium", "低": "low"}[sp.severity],
                  ", ".join(sp.needs) or "—", ", ".join(f"{k}={v}" for k, v in sp.parameters.items()), sp.basis)
    out.print(t)


@app.command()
def explain(lead: str = typer.Argument(..., help="线索编号或案件编号"),
            leads_file: Path = typer.Option(Path("leads.json"), "--leads", help="find-conflicts 输出的线索文件"),
            connect: bool = typer.Option(False, "--connect", help="另列线索双方之间的全部最短关联链(规则证据之外的关联)"),
            data_dir: Path = typer.Option(DEFAULT_WORKSPACE, "--data", help="--connect 用的数据目录或工作区(默认 .zcgraph)"),
            max_hops: int = typer.Option(4, "--max-hops", help="--connect 最多几步"),
            reveal: bool = typer.Option(False, "--reveal", help="显示完整姓名和身份证号(默认脱敏)")) -> None:
    """打印一条线索的证据说明与证据路径(每一步的来源文件和行号);给出案件编号时,打印案件摘要及其各条线索;加 --connect 时另列线索双方之间的其他关联链。"""
    if not leads_file.exists():
        console.print(f"[red]找不到线索文件 {leads_file};请先运行 zcgraph find-conflicts[/]")
        raise typer.Exit(code=2)
    data = json.loads(leads_file.read_text(encoding="utf-8"))
    case = next((c for c in data.get("cases", []) if c["case_id"] == lead), None)
    if case is not None:
        out.print(f"[bold]案件 {case['case_id']}[/] {case['kind_zh']} {case['party']}  "
                  f"风险:{case['severity']}(案件分 {case['score']})")
        out.print(case["summary"])
        by_id = {x["lead_id"]: x for x in data["leads"]}
        for fam, ids in case["families"].items():
            out.print(f"[bold]{fam}[/]")
            for i in ids:
                x = by_id[i]
                out.print(f"  {i} {x['rule_id']} {x['rule_name']} {x['severity']}({x['score']}):{x['evidence']}")
        return
    hit = next((x for x in data["leads"] if x["lead_id"] == lead), None)
    if hit is None:
        console.print(f"[red]{leads_file} 中没有线索或案件 {lead}[/]")
        raise typer.Exit(code=1)
    out.print(f"[bold]{hit['lead_id']}[/] {hit['rule_id']} {hit['rule_name']}  风险:{hit['severity']}({hit['score']})")
    out.print(hit["evidence"])
    out.print(f"依据:{hit['basis']}")
    for i, st in enumerate(hit["path"], 1):
        node = st["node"]
        line = f"  {i}. ({node['label']} {node['key']})"
        if node.get("source_file"):
            line += f"  来源 {node['source_file']} 第{node['source_row']}行"
        if st.get("rel"):
            props = st["rel"]["props"]
            src = f"  来源 {props.get('source_file')} 第{props.get('source_row')}行" if props.get("source_file") else ""
            detail = ", ".join(f"{k}={v}" for k, v in props.items() if k not in ("source_file", "source_row"))
            line += f" -[{st['rel']['type']}{' ' + detail if detail else ''}]->{src}"
        out.print(line)
    if connect:
        _explain_connect(hit, data_dir, max_hops, reveal)


def _lead_parties(store, lead: dict) -> list:
    """The lead's parties as graph nodes, in the order of its key: experts and staff by their ids, an
    application's applicant, an applicant's person token, an intermediary, a unit."""
    from ..queries.connect import ConnectError, Party, caption, resolve
    from ..queries.leads import person_token

    out: list = []

    def add(p) -> None:
        if p is not None and all((p.label, p.key) != (q.label, q.key) for q in out):
            out.append(p)

    tokens = None
    for role, value in lead["key"].items():
        try:
            if role in ("expert", "expert_a", "expert_b", "staff", "intermediary"):
                add(resolve(store, str(value)))
            elif role == "application":
                applied = store.rels["APPLIED"]
                who = applied.loc[applied["dst"] == value, "src"]
                if len(who):
                    add(Party("Person", str(who.iloc[0]), caption(store, "Person", str(who.iloc[0])), "申报人"))
            elif role == "applicant":
                if tokens is None:  # a key holds a person as the HMAC of the id number (else of the person key)
                    ps = store.nodes["Person"]
                    tokens = {person_token(k): k for k in ps["person_key"]}
                    tokens.update({person_token(i): k for i, k in zip(ps["id_number"], ps["person_key"])
                                   if isinstance(i, str) and i})
                if value in tokens:
                    add(Party("Person", tokens[value], caption(store, "Person", tokens[value]), "申报人"))
            elif role == "unit" and (store.nodes["Unit"]["unit_key"] == value).any():
                add(Party("Unit", str(value), caption(store, "Unit", str(value)), "单位"))
        except ConnectError:
            continue
    return out


def _explain_connect(lead: dict, data: Path, max_hops: int, reveal: bool) -> None:
    """The chains between a lead's first two parties, those the rule's own evidence is made of marked so:
    a kinship lead that also has a shared agency is stronger."""
    from ..queries.connect import chains_embedded
    from ..reports.connect_out import connect_result, summary_lines

    store = _connect_store(data, None)
    parties = _lead_parties(store, lead)
    if len(parties) < 2:
        out.print("本线索的键中没有两个可查关联的当事方(人员、单位或中介),不查关联链。")
        return
    a, b = parties[:2]
    found = chains_embedded(store, (a.label, a.key), (b.label, b.key), max_hops=max_hops, limit=20)
    own = {(st["rel"]["props"].get("source_file"), st["rel"]["props"].get("source_row"))
           for st in lead["path"] if st.get("rel") and st["rel"]["props"].get("source_file")}
    result = connect_result(store, a, b, found, backend="networkx", as_of=None, max_hops=max_hops, via=None,
                            reveal=reveal, limit=20)
    other = 0
    for c in result["chains"]:
        c["own"] = bool(own) and all((s["source_file"], s["source_row"]) in own or s["type"] == "APPLIED"
                                     for s in c["steps"])
        other += not c["own"]
    out.print(f"\n[bold]线索双方之间的关联链[/](规则证据之外另有 {other} 条)")
    lines = summary_lines(result)
    chain_no = 0
    for line in lines:
        if line.startswith("链 "):
            mark = "(即本线索的证据)" if result["chains"][chain_no]["own"] else "(规则证据之外的关联)"
            chain_no += 1
            line += mark
        out.print(line, highlight=False, markup=False)


neo4j_app = typer.Typer(help="Neo4j 相关:浏览器样式与指南")
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command("browser-assets")
def browser_assets(out_dir: Path = typer.Argument(..., help="输出目录")) -> None:
    """写出Neo4j Browser用的样式(.grass)、调查指南(:play)和可直接粘贴的Cypher查询。"""
    from ..graph.browser import write_assets

    files = write_assets(out_dir)
    for f in files:
        out.print(str(f))
    out.print("在Browser中:把 zcgraph.grass 拖入窗口(或 :style 后粘贴内容);"
              f"指南用 :play 打开 {out_dir / 'guide.html'} 的URL(需经 HTTP 提供,见 README)。")


ServeHome = typer.Option(None, "--home", help="服务器目录(数据库、配置、日志;默认:工作区下的 neo4j,或 .zcgraph/neo4j)")


def _serve_home(target: Optional[Path], home: Optional[Path]) -> Path:
    if home is not None:
        return home
    if target is not None and (target / "manifest.json").exists():
        return target / "neo4j"
    return DEFAULT_WORKSPACE / "neo4j"


@neo4j_app.command("serve")
def neo4j_serve(target: Optional[Path] = typer.Argument(None, help="先载入的数据目录或工作区(可省略:只启动服务器)"),
                home: Optional[Path] = ServeHome,
                bolt_port: int = typer.Option(7687, "--bolt-port", help="Bolt 端口(只监听 127.0.0.1)"),
                http_port: int = typer.Option(7474, "--http-port", help="HTTP 端口(Browser 在 /browser/)"),
                heap: str = typer.Option("1g", "--heap", help="Java 堆大小"),
                pagecache: str = typer.Option("512m", "--pagecache", help="页缓存大小(省级数据宜 4g 以上)"),
                mapping: Optional[Path] = MappingOpt) -> None:
    """启动本机 Neo4j(含 Browser,无需 Docker):数据库保存在服务器目录,只监听 127.0.0.1,启用认证;给出数据目录时先载入。在后台运行,直到 zcgraph neo4j stop。"""
    from ..graph.serve import ServeError, serve

    at = _serve_home(target, home)
    store = _store_from(target, False, mapping) if target is not None else None
    t0 = time.perf_counter()
    try:
        from ..graph.browser import examples_from

        info, password, generated = serve(at, bolt_port=bolt_port, http_port=http_port, heap=heap, pagecache=pagecache,
                                          examples=examples_from(store) if store is not None else None)
    except (ServeError, OSError) as e:
        console.print(f"[red]{e}[/]", highlight=False)
        raise typer.Exit(code=1)
    out.print(f"Neo4j 已启动({time.perf_counter() - t0:.1f} 秒,进程 {info.pid}):Browser {info.browser} ,"
              f"Bolt {info.bolt},用户 neo4j", highlight=False)
    if generated:
        out.print(f"密码(自动生成,只显示这一次;已存于 {info.password_file},仅本人可读):{password}", highlight=False)
    elif password is None:
        out.print("密码:此数据库原有的密码(请设置 NEO4J_PASSWORD 后再载入数据)", highlight=False)
    if store is not None and password:
        from neo4j import GraphDatabase, NotificationDisabledClassification

        from ..graph.neo4j_writer import sync_store

        with GraphDatabase.driver(info.bolt, auth=("neo4j", password), notifications_disabled_classifications=[
                NotificationDisabledClassification.UNRECOGNIZED]) as driver:
            with console.status("载入数据…"):
                rep = sync_store(store, driver)
        out.print(rep.describe(), highlight=False)
    out.print(f"在浏览器中打开 {info.browser} ,用上面的用户名和密码连接,样式和调查指南会自动打开。"
              f"停止:zcgraph neo4j stop{'' if at == _serve_home(None, None) else ' --home ' + str(at)}", highlight=False)


@neo4j_app.command("stop")
def neo4j_stop(home: Optional[Path] = ServeHome) -> None:
    """停止 zcgraph neo4j serve 启动的服务器(数据库保留,下次 serve 接着用)。"""
    from ..graph.serve import stop

    at = _serve_home(None, home)
    info = stop(at)
    if info is None:
        out.print(f"{at} 没有正在运行的 Neo4j", highlight=False)
        return
    out.print(f"已停止 Neo4j(进程 {info.pid},{info.browser})", highlight=False)


@neo4j_app.command("status")
def neo4j_status(home: Optional[Path] = ServeHome) -> None:
    """zcgraph neo4j serve 启动的服务器是否在运行,以及它的地址。"""
    from ..graph.serve import status

    at = _serve_home(None, home)
    info = status(at)
    if info is None:
        out.print(f"{at} 没有正在运行的 Neo4j", highlight=False)
        raise typer.Exit(code=1)
    out.print(f"运行中:进程 {info.pid},Browser {info.browser} ,Bolt {info.bolt},已运行 "
              f"{(time.time() - info.started) / 60:.0f} 分钟", highlight=False)


@neo4j_app.command("import-csv")
def import_csv(data_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="数据目录,或 zcgraph load 生成的工作区"),
               out_dir: Path = typer.Argument(..., help="输出目录(CSV、schema.cypher、import.sh)"),
               database: str = typer.Option("neo4j", "--database", help="导入的目标数据库名"),
               skip_unreadable: bool = SkipUnreadable, mapping: Optional[Path] = MappingOpt) -> None:
    """写出 neo4j-admin database import full 所需的CSV(首次批量导入大库用;图与 load --neo4j 写入的相同)。"""
    from ..graph.import_csv import ImportCsvError, write_import_csv

    store = _store_from(data_dir, skip_unreadable, mapping)
    t0 = time.perf_counter()
    try:
        files = write_import_csv(store, out_dir, database)
    except ImportCsvError as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(code=2)
    out.print(f"已写出 {len(files.nodes)} 个节点文件、{sum(len(v) for v in files.relationships.values())} 个关系文件,"
              f"共 {files.rows:,} 行,{time.perf_counter() - t0:.1f} 秒 → {out_dir}")
    out.print("停止数据库后运行 import.sh(即 neo4j-admin database import full …),启动后执行 schema.cypher"
              "(或下一次 zcgraph load --neo4j 时自动建立约束和索引)。docs/scale.md 有说明。")


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
