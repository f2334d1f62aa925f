"""Claim checks: a sentence that rests on a measurement carries its check beside it, in the page source.

    它比最好的单个网络还差。<!-- check: ensembles.nll_all > ensembles.nll_best_single -->

The expression is Python over the build's computed numbers (``topic.key``, as in the placeholders),
with ``approx``, ``abs``, ``min``, ``max``, ``all``, ``any``, ``len``, ``sum``, ``round`` and
``sqrt``/``log``/``exp``. It renders nothing. A false (or broken) check fails the build with the page,
the line, the expression and the value of every ``topic.key`` in it. Both languages carry the same
checks in the same order, so the two pages cannot drift apart.

A typed number that is a mathematical fact is checked the same way, next to where it is typed:
``占 4.7%<!-- check: 144 / 3072 == approx(0.047, abs=5e-4) -->``.

A plain module, not a hook: hooks/computed.py calls ``apply`` for every page.
"""
from __future__ import annotations

import ast
import math
import re
from pathlib import Path

CHECK = re.compile(r"<!--\s*check:\s*(?P<expr>.*?)\s*-->", re.S)
NAME = re.compile(r"\b(?P<topic>[a-z_][a-z0-9_]*)\.(?P<key>[A-Za-z0-9_]+)\b")


class ClaimError(Exception):
    """A claim check is false, or cannot be evaluated."""


_abs = abs


class approx:
    """``x == approx(y, rel=1e-6, abs=0)``: |x − y| ≤ max(rel·|y|, abs), as pytest.approx."""

    def __init__(self, expected, rel=1e-6, abs=0.0):
        self.expected, self.rel, self.abs = expected, rel, abs

    def __eq__(self, actual):
        return _abs(actual - self.expected) <= max(self.rel * _abs(self.expected), self.abs)

    def __repr__(self):
        return f"approx({self.expected!r}, rel={self.rel!r}, abs={self.abs!r})"


FUNCTIONS = {"approx": approx, "abs": abs, "min": min, "max": max, "all": all, "any": any,
             "len": len, "sum": sum, "round": round, "sqrt": math.sqrt, "log": math.log,
             "exp": math.exp, "sorted": sorted, "zip": zip, "range": range}


class _Topic:
    def __init__(self, topic: str, numbers: dict):
        self._topic, self._numbers = topic, numbers

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        if key not in self._numbers:
            raise ClaimError(f"no computed value {self._topic}.{key}")
        return self._numbers[key]


def expressions(markdown: str) -> list[str]:
    """The checks of a page, in order, with whitespace normalized (to compare two languages)."""
    return [" ".join(m["expr"].split()) for m in CHECK.finditer(markdown)]


def evaluate(expr: str, numbers: dict[str, dict]) -> bool:
    """Evaluate one check over ``numbers`` (topic -> key -> value); ClaimError if it cannot run."""
    try:
        tree = ast.parse(" ".join(expr.split()), mode="eval")
    except SyntaxError as err:
        raise ClaimError(f"not a Python expression ({err.msg})") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Lambda, ast.NamedExpr)) or (
                isinstance(node, ast.Attribute) and node.attr.startswith("_")):
            raise ClaimError("only comparisons of computed values are allowed")
    scope = {topic: _Topic(topic, values) for topic, values in numbers.items()}
    scope.update(FUNCTIONS)
    try:
        # the scope as globals: names stay visible inside generator expressions
        value = eval(compile(tree, "<check>", "eval"), {"__builtins__": {}, **scope})
    except ClaimError:
        raise
    except Exception as err:  # noqa: BLE001 - any error in a check is reported with its page and line
        raise ClaimError(f"{type(err).__name__}: {err}") from None
    if not isinstance(value, bool):           # the numbers come from JSON: plain Python values
        raise ClaimError(f"a check must be a comparison (true or false), this one gives {value!r}")
    return bool(value)


def _values(expr: str, numbers: dict[str, dict]) -> str:
    """"topic.key = value, …" for every computed value the expression names, once each."""
    shown = {m[0]: numbers[m["topic"]][m["key"]] for m in NAME.finditer(expr)
             if m["key"] in numbers.get(m["topic"], {})}
    return ", ".join(f"{name} = {value!r}" for name, value in shown.items())


def apply(markdown: str, numbers: dict[str, dict], where: str, twin: str | None = None) -> str:
    """Run every check of a page and remove it from the markdown. ``twin``: the same page in the
    other language, whose checks must be the same, in the same order."""
    for m in CHECK.finditer(markdown):
        line = markdown.count("\n", 0, m.start()) + 1
        expr = m["expr"]
        try:
            ok = evaluate(expr, numbers)
        except ClaimError as err:
            raise ClaimError(f"{where}:{line}: claim check cannot run: {' '.join(expr.split())}: {err}") from None
        if not ok:
            values = _values(expr, numbers)
            raise ClaimError(f"{where}:{line}: claim check is false: {' '.join(expr.split())}"
                             + (f" (with {values})" if values else ""))
    if twin is not None:
        mine, theirs = expressions(markdown), expressions(twin)
        if mine != theirs:
            only_here = [e for e in mine if e not in theirs]
            only_there = [e for e in theirs if e not in mine]
            raise ClaimError(f"{where}: the two languages' claim checks differ (they must be the same, "
                             f"in the same order): only here {only_here}, only in the other language "
                             f"{only_there}" + ("" if only_here or only_there else "; the order differs"))
    return CHECK_WITH_SPACE.sub(_remove, markdown)


CHECK_WITH_SPACE = re.compile(CHECK.pattern + r"(?P<space>[ \t]*)", re.S)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _remove(m: re.Match) -> str:
    """A check renders nothing; after Chinese text it also takes the space a writer typed before
    the next sentence (Chinese puts no space after 。), so "。<!-- check: … --> 下一句" stays tight."""
    before = m.string[m.start() - 1] if m.start() else ""
    after = m.string[m.end()] if m.end() < len(m.string) else ""
    if CJK.match(before) or after in ("\n", ""):   # (spaces before a line end could make a <br>)
        return ""
    return m["space"]


def twin_source(docs_root: Path, lang: str, src_uri: str) -> str | None:
    """The same page in the other language, if there is one."""
    other = {"zh": "en", "en": "zh"}.get(lang)
    path = docs_root / other / src_uri if other else None
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else None
