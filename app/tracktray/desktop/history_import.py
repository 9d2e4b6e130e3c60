"""Send local history to <account>…: time kept on this computer, carried to a server.

Someone who started in local mode and later connected a server chooses local blocks,
sees where each goes (tracker by tracker, matched by path or name, changeable) and what
is already there, and sends them with ``add`` (free time with ``addfree``). Blocks the
server already has are not sent again, so a second run sends nothing twice. What the
server refuses is listed in its own words, an overlap with the edit link of the block
in the way. Reading the local database and sending both run on the account's lane.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
)

from tracktray.accounts import Backend
from tracktray.api import Overlap, TrackTrayError
from tracktray.desktop.form_window import FormWindow
from tracktray.desktop.history_plan import Candidate, Fate, match_trackers, plan
from tracktray.desktop.session import Session
from tracktray.desktop.windows import place_centred
from tracktray.domain import Block, ReportQuery, TrackerTree
from tracktray.domain.localtime import zone
from tracktray.domain.summary import hours_minutes
from tracktray.i18n import _, format_clock, format_datetime, ngettext

__all__ = ["HistoryImport", "Refusal"]

LOCAL_DATABASE = "local.sqlite"


@dataclass(frozen=True, slots=True)
class LocalHistory:
    tree: TrackerTree
    timezone: str
    candidates: list[Candidate]
    remote_tree: TrackerTree


@dataclass(frozen=True, slots=True)
class Refusal:
    block: Block
    sentence: str
    url: str | None


def _read(backend: Backend, data_dir: Path) -> LocalHistory | None:
    if not (data_dir / LOCAL_DATABASE).is_file():
        return None
    from tracktray.accounts.local import open_local_backend

    local = open_local_backend(data_dir)
    try:
        tree = local.engine.all_trackers()
        tz = local.engine.profile(local.profile_id).timezone
        blocks = local.report(ReportQuery(include_open=True))
    finally:
        local.close()
    if not blocks:
        return LocalHistory(tree, tz, [], TrackerTree())
    first = min(b.time_in for b in blocks) - dt.timedelta(days=1)
    last = max(b.time_out or b.time_in for b in blocks) + dt.timedelta(days=1)
    # the server's blocks over the same stretch, in the local zone: what is there already
    there = backend.report(ReportQuery(start=first, stop=last, timezone=tz, include_open=True))
    return LocalHistory(tree, tz, plan(blocks, there), backend.trackers())


class HistoryImport(FormWindow):
    #: the local history was read and the preview drawn
    previewed = Signal()
    #: sending finished: (blocks sent, refusals)
    sent = Signal(int, object)

    def __init__(self, session: Session, data_dir: Path) -> None:
        label = session.account.shown_label if session.account is not None else _("the server")
        super().__init__(
            session, _("Send local history to {label}").format(label=label), _("&Send")
        )
        self._data_dir = data_dir
        self.history: LocalHistory | None = None
        self._title = self.windowTitle()
        self.intro = QLabel(_("Loading the time kept on this computer…"))
        self.intro.setWordWrap(True)
        self.mapping_box = QGroupBox(_("Trackers: on this computer → on the server"))
        self.mapping = QFormLayout(self.mapping_box)
        self.combos: dict[int, QComboBox] = {}
        self.blocks = QListWidget()
        self.blocks.setMinimumHeight(200)
        self.blocks.itemChanged.connect(lambda _item: self._count())
        self.refusals = QTextBrowser()
        self.refusals.setOpenExternalLinks(True)
        self.refusals.hide()
        self.body.addWidget(self.intro)
        self.body.addWidget(self.mapping_box)
        self.body.addWidget(self.blocks, 1)
        self.body.addWidget(self.refusals)
        self.action_button.setEnabled(False)
        self.action_button.clicked.connect(self.send)
        self.resize(640, 560)
        place_centred(self)
        self.load()

    # -- preview -------------------------------------------------------------------------

    def load(self) -> None:
        self.setWindowTitle(_("{title} — loading…").format(title=self._title))
        data_dir = self._data_dir
        self.run(lambda backend: _read(backend, data_dir), self._preview, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.setWindowTitle(self._title)
        self.action_button.setEnabled(bool(self.chosen()))
        self.say(str(exc), problem=True)
        self.previewed.emit()

    def _preview(self, history: LocalHistory | None) -> None:
        self.setWindowTitle(self._title)
        self.history = history
        if history is None or not history.candidates:
            self.intro.setText(_("There is no time kept on this computer to send."))
            self.mapping_box.hide()
            self.previewed.emit()
            return
        used = {c.block.tracker_id for c in history.candidates if c.fate is Fate.NEW}
        matched = match_trackers(history.tree, history.remote_tree)
        while self.mapping.rowCount():
            self.mapping.removeRow(0)
        self.combos.clear()
        for tracker in history.tree:
            if tracker.id not in used:
                continue
            combo = QComboBox()
            combo.addItem(_("(leave on this computer)"), None)
            for remote in history.remote_tree:
                if remote.trackable:
                    combo.addItem(remote.display_path, remote.id)
            combo.setCurrentIndex(max(0, combo.findData(matched.get(tracker.id))))
            combo.currentIndexChanged.connect(lambda _i: self._count())
            self.mapping.addRow(f"{tracker.display_path} →", combo)
            self.combos[tracker.id] = combo
        self.mapping_box.setVisible(bool(self.combos))
        # the first tracker without a match on the server is the person's next question
        waiting = [c for c in self.combos.values() if c.currentData() is None]
        if waiting:
            waiting[0].setFocus()
        self.blocks.blockSignals(True)
        self.blocks.clear()
        for candidate in history.candidates:
            self.blocks.addItem(self._item(candidate, history.tree))
        self.blocks.blockSignals(False)
        self._count()
        self.previewed.emit()

    def _item(self, candidate: Candidate, tree: TrackerTree) -> QListWidgetItem:
        block = candidate.block
        tracker = tree.get(block.tracker_id) if block.tracker_id is not None else None
        until = format_clock(block.time_out) if block.time_out else _("now")
        kind = _(" (free)") if block.free else ""
        text = (
            f"{format_datetime(block.time_in)}–{until}  {hours_minutes(block.total_s)}  "
            f"{tracker.display_path if tracker else ''}{kind}"
            + (f"  “{block.description}”" if block.description else "")
        )
        if candidate.fate is not Fate.NEW:
            text += f"  — {_(candidate.fate.value)}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, block.id)
        if candidate.fate is Fate.NEW:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        else:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        return item

    def chosen(self) -> list[tuple[Block, int]]:
        """The ticked new blocks whose tracker goes somewhere, with their server tracker."""
        history = self.history
        if history is None:
            return []
        ticked = {
            self.blocks.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.blocks.count())
            if self.blocks.item(row).checkState() is Qt.CheckState.Checked
        }
        out = []
        for candidate in history.candidates:
            block = candidate.block
            combo = self.combos.get(block.tracker_id) if block.tracker_id is not None else None
            target = combo.currentData() if combo is not None else None
            if candidate.fate is Fate.NEW and block.id in ticked and target is not None:
                out.append((block, int(target)))
        return out

    def _count(self) -> None:
        history = self.history
        if history is None:
            return
        chosen = self.chosen()
        there = sum(1 for c in history.candidates if c.fate is Fate.ALREADY_THERE)
        total = hours_minutes(sum(b.total_s for b, _ in chosen))
        sentence = ngettext(
            "{count} block, {total}, will be sent.",
            "{count} blocks, {total}, will be sent.",
            len(chosen),
        ).format(count=len(chosen), total=total)
        if there:
            sentence += " " + ngettext(
                "{count} already on the server will not be sent again.",
                "{count} already on the server will not be sent again.",
                there,
            ).format(count=there)
        unmapped = [
            history.tree.get(tracker_id)
            for tracker_id, combo in self.combos.items()
            if combo.currentData() is None
        ]
        names = ", ".join(f"“{t.display_path}”" for t in unmapped if t is not None)
        if names:
            sentence += " " + ngettext(
                "Choose where {names} goes on the server, or leave it here.",
                "Choose where {names} go on the server, or leave them here.",
                len(unmapped),
            ).format(names=names)
        if not chosen and there and not names:
            sentence = ngettext(
                "Nothing left to send: {count} block is on the server already.",
                "Nothing left to send: {count} blocks are on the server already.",
                there,
            ).format(count=there)
        self.intro.setText(sentence)
        self.action_button.setEnabled(bool(chosen))

    # -- sending ---------------------------------------------------------------------------

    def send(self) -> None:
        history = self.history
        chosen = self.chosen()
        if history is None or not chosen:
            return
        tz = zone(history.timezone)
        self.action_button.setEnabled(False)
        self.say(
            ngettext("Sending {count} block…", "Sending {count} blocks…", len(chosen)).format(
                count=len(chosen)
            )
        )

        def work(backend: Backend) -> tuple[int, list[Refusal]]:
            sent, refused = 0, []
            for block, tracker_id in chosen:  # in time order, one after the other
                try:
                    _send_one(backend, block, tracker_id, tz)
                    sent += 1
                except Overlap as exc:
                    refused.append(Refusal(block, _first_sentence(str(exc)), exc.url))
                except TrackTrayError as exc:
                    refused.append(Refusal(block, str(exc), None))
            return sent, refused

        self.run(work, self._sent, self._failed)

    def _sent(self, outcome: tuple[int, list[Refusal]]) -> None:
        sent, refused = outcome
        self.say(
            ngettext("Sent {count} block.", "Sent {count} blocks.", sent).format(count=sent)
            + (
                " "
                + ngettext(
                    "The server refused {count}; see below.",
                    "The server refused {count}; see below.",
                    len(refused),
                ).format(count=len(refused))
                if refused
                else ""
            )
        )
        self.refusals.setVisible(bool(refused))
        self.refusals.setHtml("".join(_refusal_html(r) for r in refused))
        self.session.poll_now()
        self.sent.emit(sent, refused)
        self.load()  # the preview again: what was sent is now "already on the server"


def _send_one(backend: Backend, block: Block, tracker_id: int, tz: dt.tzinfo) -> None:
    if block.free:
        hours = (Decimal(block.total_s) / 3600).quantize(Decimal("0.01"))
        backend.add_free(hours, block.time_in.date(), tracker_id, block.description)
        return
    assert block.time_out is not None
    start = block.time_in.replace(tzinfo=tz)
    stop = block.time_out.replace(tzinfo=tz)
    backend.add(start, stop, tracker_id, block.description)


def _first_sentence(text: str) -> str:
    # the Overlap sentence (contracts/errors.py) as the catalog words it now
    template = _("{sentence} You can edit the other block at {url}")
    link_words = template.split("{sentence}")[-1].split("{url}")[0]
    return text.split(link_words)[0] if link_words.strip() else text


def _refusal_html(refusal: Refusal) -> str:
    block = refusal.block
    until = format_clock(block.time_out) if block.time_out else _("now")
    link = (
        _(' <a href="{url}">Edit the block in the way</a>').format(
            url=html.escape(refusal.url, quote=True)
        )
        if refusal.url
        else ""
    )
    return (
        f"<p><b>{format_datetime(block.time_in)}–{until}</b>: "
        f"{html.escape(refusal.sentence)}{link}</p>"
    )
