"""Modules that wait in ``sys.modules`` and run on first use (``tracktray/_lazy.py``),
each in a new interpreter: the CLI's and the keyring helper's, without PySide6."""

from __future__ import annotations

from pathlib import Path

from tests.support.fresh import run_fresh


def test_an_import_statement_does_not_run_the_module_and_the_first_name_asked_does(
    tmp_path: Path,
) -> None:
    (tmp_path / "counted.py").write_text(
        "import builtins\n"
        "builtins.counted_runs = getattr(builtins, 'counted_runs', 0) + 1\n"
        "ANSWER = 42\n"
    )
    run_fresh(
        """
        import builtins, sys
        from tracktray._lazy import has_run, load_on_first_use

        load_on_first_use("counted")
        module = sys.modules["counted"]
        import counted  # as keyring's dependencies import it: no name asked yet

        assert counted is module and not has_run("counted")
        assert not hasattr(builtins, "counted_runs")
        assert counted.ANSWER == 42  # the first name asked runs the code...
        assert has_run("counted") and builtins.counted_runs == 1
        assert sys.modules["counted"] is module  # ...into the object everyone holds
        assert type(module) is type(sys)
        from counted import ANSWER  # later imports find it as it is

        assert ANSWER == 42 and builtins.counted_runs == 1
        print("ok")
        """,
        tmp_path,
    )


def test_a_package_and_a_submodule_run_on_first_use(tmp_path: Path) -> None:
    package = tmp_path / "pkg_later"
    package.mkdir()
    (package / "__init__.py").write_text("from .inner import VALUE\n")
    (package / "inner.py").write_text("VALUE = 'inner'\n")
    parent = tmp_path / "parent_now"
    parent.mkdir()
    (parent / "__init__.py").write_text("")
    (parent / "child.py").write_text("CHILD = 'child'\n")
    run_fresh(
        """
        from tracktray._lazy import has_run, load_on_first_use

        load_on_first_use("pkg_later")
        import pkg_later

        assert not has_run("pkg_later")
        assert pkg_later.VALUE == "inner"  # its __init__ runs, importing its submodule
        assert has_run("pkg_later.inner")

        load_on_first_use("parent_now.child")  # the parent is imported, the child waits
        assert has_run("parent_now")
        import parent_now.child

        assert not has_run("parent_now.child")
        assert parent_now.child.CHILD == "child"  # set on its parent, as imports set it
        assert has_run("parent_now.child")
        print("ok")
        """,
        tmp_path,
    )


def test_a_module_that_fails_raises_on_first_use_and_is_imported_again_next_time(
    tmp_path: Path,
) -> None:
    (tmp_path / "fragile.py").write_text("raise RuntimeError('broken on purpose')\n")
    run_fresh(
        """
        import importlib, pathlib, sys
        from tracktray._lazy import load_on_first_use

        load_on_first_use("fragile")
        held = sys.modules["fragile"]
        try:
            held.anything
        except RuntimeError as exc:
            assert str(exc) == "broken on purpose"
        else:
            raise AssertionError("the first name asked did not run the code")
        assert "fragile" not in sys.modules  # as a failed import leaves it

        pathlib.Path("fragile.py").write_text("FIXED = True\\n")
        importlib.invalidate_caches()
        import fragile

        assert fragile.FIXED
        print("ok")
        """,
        tmp_path,
    )


def test_a_name_asked_while_the_module_runs_is_missing_as_in_a_partial_import(
    tmp_path: Path,
) -> None:
    (tmp_path / "cyclic.py").write_text(
        "import sys\n"
        "try:\n"
        "    sys.modules[__name__].LATER\n"
        "except AttributeError as exc:\n"
        "    SEEN = str(exc)\n"
        "LATER = 1\n"
    )
    run_fresh(
        """
        from tracktray._lazy import load_on_first_use

        load_on_first_use("cyclic")
        import cyclic

        assert cyclic.LATER == 1
        assert "partially initialized module 'cyclic'" in cyclic.SEEN, cyclic.SEEN
        print("ok")
        """,
        tmp_path,
    )


def test_threads_asking_at_once_run_the_code_once(tmp_path: Path) -> None:
    (tmp_path / "slow_module.py").write_text(
        "import builtins, time\n"
        "builtins.slow_runs = getattr(builtins, 'slow_runs', 0) + 1\n"
        "time.sleep(0.2)\n"
        "READY = 'ready'\n"
    )
    run_fresh(
        """
        import builtins, sys, threading
        from tracktray._lazy import load_on_first_use

        load_on_first_use("slow_module")
        module = sys.modules["slow_module"]
        seen = []
        start = threading.Barrier(6)

        def ask():
            start.wait()
            seen.append(module.READY)

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert seen == ["ready"] * 6, seen
        assert builtins.slow_runs == 1
        print("ok")
        """,
        tmp_path,
    )


def test_a_loaded_module_a_missing_one_and_one_not_in_python_are_left_alone(tmp_path: Path) -> None:
    run_fresh(
        """
        import json, sys
        from tracktray._lazy import has_run, load_on_first_use

        load_on_first_use("json")
        assert type(sys.modules["json"]) is type(sys) and has_run("json")
        for made_as_loaded in ("cmath", "_bz2", "_json", "_frozen_importlib"):
            load_on_first_use(made_as_loaded)  # an extension, built in, or frozen
            assert made_as_loaded not in sys.modules or has_run(made_as_loaded)
        import cmath

        assert cmath.sqrt(-1) == 1j
        load_on_first_use("no_such_module_anywhere")
        assert "no_such_module_anywhere" not in sys.modules
        assert not has_run("no_such_module_anywhere")
        print("ok")
        """,
        tmp_path,
    )
