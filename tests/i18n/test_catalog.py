"""Every word a person reads is in the catalog and has its German translation.

Fails when a string of the widget or the CLI is not wrapped (``tests/i18n/scan.py``), when
a wrapped one is missing from ``de/tracktray.po`` or untranslated there, when the German
placeholders differ from the English ones, and when ``msgfmt --check-format`` objects.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.i18n.scan import module_level_lookups, unwrapped_strings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "app" / "tracktray"
PO = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "tracktray.po"
#: where the sentences people read are written (the server and the engine speak the
#: protocol: their words are the server's answers and stay as they are)
FOR_PEOPLE = [
    PACKAGE / "desktop",
    PACKAGE / "cli",
    PACKAGE / "contracts" / "errors.py",
    PACKAGE / "accounts",
    PACKAGE / "api",
    PACKAGE / "store",
    # domain/parsing.py and domain/localtime.py are the server's input rules too: their
    # sentences are the server's words (docs/translating.md)
    PACKAGE / "domain" / "summary.py",
    PACKAGE / "domain" / "timetrack.py",
    PACKAGE / "domain" / "trackertree.py",
]
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
_BRACES = re.compile(r"(?<!\{)\{([^{}]*)\}")


def _extracted() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → where, for every wrapped string of the package."""
    found: dict[tuple[str | None, str], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(PACKAGE), keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault((context, msgid), f"{filename}:{lineno}")
    return found


def _ids(message: Message) -> list[str]:
    """The msgid, and the plural msgid when there is one."""
    return [message.id] if isinstance(message.id, str) else list(message.id)


def _strings(message: Message) -> list[str]:
    if message.string is None:
        return [""]
    return [message.string] if isinstance(message.string, str) else list(message.string)


def _german() -> dict[tuple[str | None, str], Message]:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    return {(m.context, _ids(m)[0]): m for m in catalog if m.id}


def test_every_string_people_read_is_wrapped() -> None:
    findings = [str(f) for f in unwrapped_strings(ROOT, FOR_PEOPLE)]
    assert not findings, "not wrapped in _() (or say `# not translated: why`):\n" + "\n".join(
        findings
    )


def test_no_lookup_at_import_time() -> None:
    findings = [str(f) for f in module_level_lookups(ROOT, [PACKAGE])]
    assert not findings, "mark module-level constants with N_() and translate on use:\n" + (
        "\n".join(findings)
    )


def test_every_wrapped_string_has_a_german_translation() -> None:
    german = _german()
    missing = []
    for key, where in sorted(_extracted().items(), key=lambda kv: kv[1]):
        message = german.get(key)
        if message is None or not all(_strings(message)) or message.fuzzy:
            missing.append(f"{where}: {key[1]!r}")
    assert not missing, "run scripts/translations update and translate:\n" + "\n".join(missing)


def test_the_catalog_holds_no_stale_entries() -> None:
    stale = sorted(str(k) for k in set(_german()) - set(_extracted()))
    assert not stale, "run scripts/translations update:\n" + "\n".join(stale)


def test_german_placeholders_are_the_english_ones() -> None:
    wrong = []
    for (_context, msgid), message in _german().items():
        ids = _ids(message)
        for text in _strings(message):
            if text and set(_BRACES.findall(text)) != set(_BRACES.findall(ids[-1])):
                wrong.append(f"{msgid!r} → {text!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian: gettext) missing")
def test_msgfmt_accepts_the_catalog() -> None:
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_compiled_catalog_is_current() -> None:
    """scripts/bootstrap compiles the .po; a stale .mo would show old words."""
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run scripts/bootstrap (it compiles the catalogs)"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for (context, msgid), message in _german().items():
        ids, strings = _ids(message), _strings(message)
        if len(ids) > 1:
            got = [compiled.ngettext(msgid, ids[1], n) for n in (1, 2)]
        else:
            got = [compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)]
        if got != strings[: len(got)]:
            stale.append(msgid)
    assert not stale, "run scripts/translations compile:\n" + "\n".join(stale)


def test_german_keeps_the_edges_of_each_string() -> None:
    """Leading and trailing spaces and newlines (strings joined to others), a final "…"
    (a menu entry that opens a window) and the & of a mnemonic are kept."""
    wrong = []
    for (_context, msgid), message in _german().items():
        for text in _strings(message):
            edges = (
                (msgid[:1].isspace(), text[:1].isspace()),
                (msgid.endswith((" ", "\n")), text.endswith((" ", "\n"))),
                (msgid.endswith("…"), text.endswith("…")),
                ("&" in msgid.replace("&&", ""), "&" in text.replace("&&", "")),
            )
            if text and any(english != german for english, german in edges):
                wrong.append(f"{msgid!r} → {text!r}")
    assert not wrong, "\n".join(wrong)
