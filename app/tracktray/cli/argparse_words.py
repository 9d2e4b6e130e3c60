"""The words argparse shows people (``--help``, usage errors), for our catalog.

argparse looks them up itself through the standard library's gettext, in the domain
``tracktray`` once the CLI has called :func:`tracktray.i18n.speak_for_the_standard_library`;
this module only lists them (``N_``) so that extraction puts them in the catalog. Nothing
imports it at run time. The list is the user-facing part of CPython 3.11-3.13's argparse.
"""

from __future__ import annotations

from tracktray.i18n import N_

__all__ = ["ARGPARSE_WORDS"]

ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)
