"""The rule catalog: one folder per rule under ``queries/rules/``.

Each folder holds ``spec.toml`` (id, names, family, basis, severity, parameters
with defaults, lead key, needs), ``rule.cypher`` (the Neo4j implementation) and
``rule.py`` (the embedded implementation, a ``facts(ctx, params)`` function).
The catalog checks itself when it loads, before any data is touched: a ``$param``
in the Cypher that the spec lacks, a label or relationship type the graph model
does not know, a missing file or function — each is an error naming the rule.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

from ..graph.model import NODES, RELS

__all__ = ["RuleSpec", "Rule", "CatalogError", "load_catalog", "FAMILIES", "COMMON_PARAMS", "INPUT_GROUPS"]

RULES_DIR = Path(__file__).parent / "rules"

FAMILIES = {"AVOID": "回避", "PAIR": "重复配对", "BROKER": "中介关联", "GOV": "评委会与专家库",
            "PROC": "评审程序", "SCORE": "评分异常", "SANCTION": "失信与禁入", "SUPERVISE": "行业监管"}
FAMILY_EN = {"回避": "recusal", "重复配对": "pairings", "中介关联": "intermediaries", "评委会与专家库": "committees and pools",
             "评审程序": "procedure", "评分异常": "scoring", "失信与禁入": "sanctions", "行业监管": "supervision"}
# Inputs the common ground reads for every rule that uses it (rules.md, Common ground), named once so a rule's
# ``reads`` says "@acts" rather than repeating them: an act's date and attendance acts need the meetings, who sat
# and who recused; "same unit" needs the employment history and the units (roll-up); a random draw's candidates
# are who sat, minus those who had to recuse (unit, kin, academic ties); an intermediary tie comes from links
# and is dated by the application's meeting.
INPUT_GROUPS: dict[str, tuple[str, ...]] = {
    "@acts": ("meetings", "attendance", "recusals"),
    "@seats": ("meetings", "attendance"),
    "@employment": ("employment", "units"),
    "@draws": ("meetings", "attendance", "recusals", "employment", "units", "relations"),
    "@broker_ties": ("links", "meetings"),
}
# Parameters every rule may use (supplied by the runner, not by the rule's spec).
COMMON_PARAMS = {"year", "holidays", "makeup_workdays", "as_of",
                 "tied", "tied_experts"}  # the last two: from the facts of the rules a rule uses (from_uses)


class CatalogError(Exception):
    """The catalog is inconsistent; the message names the rule."""


class RuleSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name_zh: str
    name_en: str
    family: str
    basis: str
    severity: str = Field(pattern="^(高|中|低)$")
    lead_key: tuple[str, ...]
    needs: tuple[str, ...] = ()  # "table" or "table.column" the rule cannot run without (skipped, with the reason)
    # Optional inputs: read where the data gives them, with the contract's fallback where it does not (the ties
    # a recusal lead lists, a stage that only labels an act). Every input a rule reads is in needs or reads; the
    # robustness tests prove it by dropping everything else.
    reads: tuple[str, ...] = ()
    parameters: dict[str, Any] = Field(default_factory=dict)
    strength: str = ""  # how the score's strength is computed, in words
    evidence: str  # a Chinese sentence template over the lead's fields
    evidence_en: str = ""
    # Lead-key role -> facts column, where a rule's key differs from the usual (roles whose value is
    # empty are left out of the key: PAIR-DESIGNATED keys a review by application, a seat by meeting).
    key_columns: dict[str, str] = Field(default_factory=dict)
    # Rules (ids or family prefixes) whose facts this rule builds on, on the same backend: SCORE-TIED-OUTLIER
    # takes its ties from the AVOID and BROKER rules rather than restating them.
    uses: tuple[str, ...] = ()


class Rule:
    def __init__(self, folder: Path, spec: RuleSpec, cypher: str, module: ModuleType) -> None:
        self.folder = folder
        self.spec = spec
        self.cypher = cypher
        self.module = module

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def facts(self) -> Callable[..., Any]:
        return self.module.facts  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Rule({self.id})"


_LABEL = re.compile(r"[(\[]\s*\w*\s*:\s*`?([A-Za-z_][A-Za-z0-9_]*)`?")
_MORE_LABELS = re.compile(r"\|\s*`?([A-Z][A-Z_]+)`?")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def check_cypher(rule_id: str, cypher: str, params: set[str]) -> None:
    """Labels and types must come from the graph model; ``$params`` from the spec."""
    stripped = re.sub(r"//[^\n]*", "", cypher)
    stripped = re.sub(r"'[^']*'|\"[^\"]*\"", "''", stripped)
    for name in _LABEL.findall(stripped) + _MORE_LABELS.findall(stripped):
        if name not in NODES and name not in RELS:
            raise CatalogError(f"{rule_id}: rule.cypher uses {name!r}, which the graph model does not know")
    unknown = set(_PARAM.findall(stripped)) - params - COMMON_PARAMS
    if unknown:
        raise CatalogError(f"{rule_id}: rule.cypher uses parameter(s) {sorted(unknown)} that spec.toml lacks")


_INCLUDE = re.compile(r"^// include: ([a-z_]+)[ \t]*$", re.M)


def _includes(rule_id: str, folder: Path, cypher: str) -> str:
    """``// include: NAME`` lines take in ``_fragments/NAME.cypher`` (one candidate-set query for several rules)."""
    def text(m: re.Match[str]) -> str:
        f = folder.parent / "_fragments" / f"{m.group(1)}.cypher"
        if not f.is_file():
            raise CatalogError(f"{rule_id}: rule.cypher includes {m.group(1)!r}, but {f} does not exist")
        return f.read_text(encoding="utf-8").rstrip("\n")
    for _ in range(5):  # a fragment may include another (acts takes in window); five levels is plenty
        expanded = _INCLUDE.sub(text, cypher)
        if expanded == cypher:
            return expanded
        cypher = expanded
    raise CatalogError(f"{rule_id}: rule.cypher includes fragments more than five deep (an include cycle?)")


def _load_rule(folder: Path) -> Rule:
    name = folder.name
    for f in ("spec.toml", "rule.cypher", "rule.py"):
        if not (folder / f).is_file():
            raise CatalogError(f"{name}: the rule folder lacks {f}")
    try:
        spec = RuleSpec(**tomllib.loads((folder / "spec.toml").read_text(encoding="utf-8")))
    except Exception as e:  # noqa: BLE001 - any spec problem is reported against the rule
        raise CatalogError(f"{name}: spec.toml is invalid: {e}") from e
    prefix = spec.id.split("-")[0]
    if FAMILIES.get(prefix) != spec.family:
        raise CatalogError(f"{spec.id}: family {spec.family!r} does not match its id (expected {FAMILIES.get(prefix)})")
    from ..loaders.schema import TABLES

    unknown = [g for g in spec.reads if g.startswith("@") and g not in INPUT_GROUPS]
    if unknown:
        raise CatalogError(f"{spec.id}: reads names {unknown}, not one of {sorted(INPUT_GROUPS)}")
    spec = spec.model_copy(update={"reads": tuple(dict.fromkeys(
        x for g in spec.reads for x in (INPUT_GROUPS[g] if g.startswith("@") else (g,))))})
    for need in spec.needs + spec.reads:
        table, _, column = need.partition(".")
        if table not in TABLES or (column and column not in {c.name for c in TABLES[table].columns}):
            raise CatalogError(f"{spec.id}: needs/reads names {need!r}, which the data contract does not define")
    cypher = _includes(spec.id, folder, (folder / "rule.cypher").read_text(encoding="utf-8"))
    check_cypher(spec.id, cypher, set(spec.parameters))
    mod_spec = importlib.util.spec_from_file_location(f"zcgraph.queries.rules.{name}.rule", folder / "rule.py")
    assert mod_spec and mod_spec.loader
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    if not callable(getattr(module, "facts", None)):
        raise CatalogError(f"{spec.id}: rule.py has no facts(ctx, params) function")
    return Rule(folder, spec, cypher, module)


@lru_cache(maxsize=None)
def _catalog(root: str) -> tuple[Rule, ...]:
    rules = [_load_rule(f) for f in sorted(Path(root).iterdir()) if f.is_dir() and not f.name.startswith("_")]
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise CatalogError(f"rule ids defined twice: {sorted(dup)}")
    return tuple(rules)


def load_catalog(root: Path | None = None) -> list[Rule]:
    """Every rule, checked. Raises :class:`CatalogError` naming the first bad rule."""
    return list(_catalog(str(root or RULES_DIR)))


def select(rules: list[Rule], spec: str | None) -> list[Rule]:
    """``--rules AVOID-KIN,PROC`` picks rules by id or by family prefix (or Chinese family name)."""
    if not spec:
        return rules
    wanted = [w.strip() for w in spec.split(",") if w.strip()]
    out = [r for r in rules if any(r.id == w or r.id.startswith(w + "-") or r.spec.family == w for w in wanted)]
    unknown = [w for w in wanted if not any(r.id == w or r.id.startswith(w + "-") or r.spec.family == w for r in rules)]
    if unknown:
        raise CatalogError(f"no rule or family named {unknown}; see `zcgraph rules`")
    return out
