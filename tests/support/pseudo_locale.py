"""A pseudo-locale: every translated string comes back ~40 % longer, accented and
bracketed (``Start`` → ``⟦Śţàŕţ··⟧``), placeholders, markup and mnemonics intact.

Installed in widget tests, it shows at a glance what was not translated (plain ASCII
without brackets is a hard-coded word) and what does not fit (a missing ``⟧`` is a cut
label). The catalog's format patterns (``pgettext("format", …)``) are left alone: they
are strftime patterns, not words.
"""

from __future__ import annotations

import gettext
import math
import re

__all__ = ["CLOSE", "OPEN", "PseudoTranslations", "pseudo"]

OPEN, CLOSE = "⟦", "⟧"
_ACCENTED = str.maketrans(
    "aAcCeEgGiIlLnNoOrRsStTuUyYzZ",
    "àÅçÇéÉğĞíÍļĻñÑöÖŕŔśŚţŢüÜýÝžŽ",
)
#: kept as they are: {placeholders}, %(name)s, <markup>, &&, & (mnemonics), entities
_KEEP = re.compile(r"(\{[^{}]*\}|%\(\w+\)[sd]|<[^>]+>|&&|&[a-z]+;|&)")


def pseudo(text: str) -> str:
    if not text.strip():
        return text
    parts = _KEEP.split(text)
    shown = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    padding = "·" * max(1, math.ceil(len(text) * 0.4) - 2)
    lead = len(shown) - len(shown.lstrip())
    trail = len(shown) - len(shown.rstrip())
    core = shown.strip()
    return (
        f"{shown[:lead]}{OPEN}{core}{padding}{CLOSE}{shown[len(shown) - trail :] if trail else ''}"
    )


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return message if context == "format" else pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
