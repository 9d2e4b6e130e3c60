"""Finds the words a person reads that do not go through the catalog.

An AST walk over the widget and the CLI (and the other modules whose sentences people
read): a string literal is *for people* when it reads like prose (two words or more) or
is the text argument of a Qt or argparse call that shows text. It is fine when it sits
inside ``_()``/``N_()``/``ngettext()``/``pgettext()``, is a docstring, goes to a log, is
an internal exception's message, or its line says why not with ``# not translated: …``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Finding", "module_level_lookups", "unwrapped_strings"]

WRAPPERS = {"_", "N_", "ngettext", "pgettext", "npgettext"}
#: calls whose first string argument is shown as it is
TEXT_CALLS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setStatusTip",
    "addAction",
    "addMenu",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QMenu",
    "addItem",
    "addItems",
    "addRow",
    "setTitle",
    "addTab",
    "setHeaderLabels",
    "setHorizontalHeaderLabels",
    "setSuffix",
    "setPrefix",
    "showMessage",
    "setSpecialValueText",
    "setInformativeText",
    "addButton",
}
#: calls whose positional strings are names (options, commands) and keywords are shown
ARGPARSE_CALLS = {"add_argument", "add_parser", "ArgumentParser", "add_argument_group"}
TEXT_KEYWORDS = {"help", "description", "epilog", "title", "text", "label"}
LOG_NAMES = {"log", "logger", "logging", "_log", "warnings"}
#: exceptions for programmers (a ValueError or RuntimeError may carry a sentence for
#: people: the widget's forms raise them, so those are checked)
INTERNAL_ERRORS = {
    "TypeError",
    "AssertionError",
    "KeyError",
    "NotImplementedError",
    "AttributeError",
    "LookupError",
    "OSError",
}
#: calls whose strings are names or style, never shown as words
NOT_SHOWN_CALLS = {"getLogger", "setObjectName", "setProperty", "setStyleSheet", "environ", "get"}
SQL_CALLS = {"execute", "executemany", "executescript"}
EXEMPT_MARK = "# not translated:"
_SQL = re.compile(r"^\s*(CREATE|SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN|AND|WHERE|ORDER) ")
_WORD = re.compile(r"[A-Za-z]{2,}")
_LABEL = re.compile(r"(^|\s)[A-Z][a-z]+: ")
_SENTENCE_END = re.compile(r"[A-Z][a-z]+.*[.:…?!]\s*$")


def _reads_like_prose(text: str) -> bool:
    """Two words and a space, or a capitalised word ending like a sentence or a label."""
    if " " in text.strip() and len(_WORD.findall(text)) >= 2:
        return True
    return bool(_SENTENCE_END.match(text.strip()) or _LABEL.search(text))


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _call_owner(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    return ""


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.findings: list[Finding] = []
        self._skip: set[int] = set()
        self._shown: set[int] = set()
        self._statement: ast.stmt | None = None

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt) and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            outer, self._statement = self._statement, node
            super().visit(node)
            self._statement = outer
        else:
            super().visit(node)

    def _mark(self, node: ast.AST, into: set[int]) -> None:
        for child in ast.walk(node):
            into.add(id(child))

    def _docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self._skip.add(id(body[0].value))

    def visit_Module(self, node: ast.Module) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._docstring(node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name, owner = _call_name(node), _call_owner(node)
        quiet = name in WRAPPERS or owner in LOG_NAMES or name in INTERNAL_ERRORS
        if quiet or name in NOT_SHOWN_CALLS:
            self._mark(node, self._skip)
        elif name in ARGPARSE_CALLS:
            for arg in node.args:
                self._mark(arg, self._skip)
            for kw in node.keywords:
                if kw.arg in {"help", "description", "epilog", "title"}:
                    self._mark(kw.value, self._shown)
        elif name in TEXT_CALLS:
            for arg in node.args[:1]:
                self._mark(arg, self._shown)
            for kw in node.keywords:
                if kw.arg in TEXT_KEYWORDS:
                    self._mark(kw.value, self._shown)
        elif name in SQL_CALLS:
            self._mark(node, self._skip)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        self._mark(node, self._skip)  # `kind == "timetrack"` compares data, shows nothing
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._mark(node.slice, self._skip)
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) not in self._skip:
            text = "".join(
                str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values
            )
            if _reads_like_prose(text) or (id(node) in self._shown and re.search("[A-Za-z]", text)):
                self._report(node, text)
        self._mark(node, self._skip)  # its parts are reported with it
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str) or id(node) in self._skip:
            return
        text = node.value
        if _SQL.match(text):
            return
        shown = id(node) in self._shown and re.search("[A-Za-z]", text)
        if _reads_like_prose(text) or shown:
            self._report(node, text)

    def _report(self, node: ast.expr, text: str) -> None:
        """Unless the string's lines, or its statement and the comment line above that,
        say ``# not translated: why``."""
        first, last = node.lineno, node.end_lineno or node.lineno
        if self._statement is not None and self._statement.lineno <= first:
            first = self._statement.lineno - 1
            last = max(last, self._statement.end_lineno or last)
        if any(EXEMPT_MARK in self.lines[i - 1] for i in range(max(first, 1), last + 1)):
            return
        self.findings.append(Finding(self.path, first, text))


def unwrapped_strings(root: Path, paths: list[Path]) -> Iterator[Finding]:
    for top in paths:
        files = [top] if top.is_file() else sorted(top.rglob("*.py"))
        for path in files:
            source = path.read_text(encoding="utf-8")
            scanner = _Scanner(path.relative_to(root), source.splitlines())
            scanner.visit(ast.parse(source))
            yield from scanner.findings


def module_level_lookups(root: Path, paths: list[Path]) -> Iterator[Finding]:
    """``_()`` evaluated at import time: it would freeze the language before it is chosen."""
    for top in paths:
        for path in [top] if top.is_file() else sorted(top.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for statement in _run_at_import(tree.body):
                for node in ast.walk(statement):
                    if isinstance(node, ast.Call) and _call_name(node) in WRAPPERS - {"N_"}:
                        yield Finding(path.relative_to(root), node.lineno, ast.unparse(node))


def _run_at_import(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module or class body that run when it is imported."""
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from statement.decorator_list  # type: ignore[misc]
            yield from (d for d in statement.args.defaults)  # type: ignore[misc]
        elif isinstance(statement, ast.ClassDef):
            yield from _run_at_import(statement.body)
        else:
            yield statement
