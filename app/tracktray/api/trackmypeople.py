"""The TrackMyPeople client: every protocol function as a typed method.

Reads are retried with backoff when the connection fails; writes are sent once, and a
write whose answer was lost is re-checked with ``status`` before anything is resent,
so a flaky network never starts two timers or stops the wrong one. Every method
raises only :class:`tracktray.api.TrackTrayError` subclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from tracktray.api._faults import AnswerLost
from tracktray.api._http import make_http_client, normalize_base_url
from tracktray.api._parse import as_duration_s, as_text
from tracktray.api._retry import RetryPolicy
from tracktray.api._trackmypeople_decode import (
    decode_block,
    decode_blocks,
    decode_profiles,
    decode_status,
    decode_trackers,
)
from tracktray.api._trackmypeople_status import status_from
from tracktray.api._trackmypeople_wire import (
    Envelope,
    TrackMyPeopleWire,
    refusal,
    server_name,
    succeeded,
)
from tracktray.api._wire import Wire
from tracktray.contracts.backend import Capability
from tracktray.contracts.errors import ProtocolError, TimeNotApplied, ValidationFailed
from tracktray.domain import (
    Block,
    Profile,
    ReportQuery,
    Status,
    TrackerRef,
    TrackerTree,
    UpdateCheck,
)
from tracktray.i18n import _, pgettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal

    from tracktray.api._wire import HttpClient

__all__ = ["TrackMyPeopleClient", "make_http_client"]

#: how far the server's start time of "our" block may lie from when we sent the write
#: (clock skew between this machine and the server included)
RECHECK_WINDOW = dt.timedelta(minutes=2)
#: how far a block's end may lie from the ``at`` we sent and still count as honoured
AT_TOLERANCE = dt.timedelta(seconds=2)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TrackMyPeopleClient:
    """A TrackMyPeople account over a caller-supplied HTTP client (``make_http_client``).

    ``base_url`` may be given with or without its API path. ``owns_http`` makes
    :meth:`close` close the HTTP client too (the account factory hands it over).
    """

    capabilities = (
        Capability.TRACK
        | Capability.DESCRIBE
        | Capability.ADD_PAST
        | Capability.ADD_FREE
        | Capability.REPORT
        | Capability.REPORTEES
        | Capability.CHECK_VERSION
    )

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        http: HttpClient,
        owns_http: bool = False,
        retry: RetryPolicy | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
        widget_version: str | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.username = username
        self._connection = Wire(server_name(self.base_url), http, owns_http=owns_http, retry=retry)
        self._wire = TrackMyPeopleWire(self.base_url, (username, password), self._connection)
        self._clock = clock
        self._version = widget_version
        self._default_tracker: TrackerRef | None = None
        #: start of the open block as last seen (status, start, switch), for re-checks
        self._running_since: dt.datetime | None = None

    # -- reads ---------------------------------------------------------------------

    def status(self) -> Status:
        envelope = self._read("status")
        return self._seen(status_from(envelope, self._clock(), self._default_tracker))

    def trackers(self) -> TrackerTree:
        envelope = self._read("trackers")
        self._check(envelope, about_input=False, fallback=_("The server refused the trackers."))
        return decode_trackers(envelope)

    def day_total(self) -> int:
        envelope = self._read("daytotal")
        self._check(envelope, about_input=False, fallback=_("The server refused today's total."))
        return as_duration_s(envelope.get("total"), _("today's total"))

    def reportees(self) -> list[Profile]:
        envelope = self._read("reportees")
        self._check(envelope, about_input=False, fallback=_("The server refused the reportees."))
        return decode_profiles(envelope)

    def report(self, query: ReportQuery) -> list[Block]:
        params: dict[str, str] = {}
        if query.profile_id is not None:
            params["profile_id"] = str(query.profile_id)
        if query.tracker_id is not None:
            params["tracker_id"] = str(query.tracker_id)
        if query.start is not None:
            params["start"] = _timestamp(query.start)
        if query.stop is not None:
            params["stop"] = _timestamp(query.stop)
        if query.timezone:
            params["timezone"] = query.timezone
        if query.free is not None:
            params["free"] = "1" if query.free else "0"
        if query.include_open:
            params["include_open"] = "1"
        envelope = self._read("report", params)
        self._check(envelope, about_input=True, fallback=_("The server refused the report."))
        return decode_blocks(envelope)

    def check_version(self, version: str) -> UpdateCheck:
        from tracktray.installation import install_kind

        # ``install`` (ours: folder, deb, inno, dmg, source) lets a server pick the
        # artifact; servers that do not know it ignore it.
        envelope = self._read("checkVersion", {"version": version, "install": install_kind()})
        if succeeded(envelope):
            return UpdateCheck(up_to_date=True)
        url = as_text(envelope.get("url"), _("the update address"))
        if not url:
            raise refusal(
                envelope,
                about_input=True,
                fallback=_("The server does not know version {version}.").format(version=version),
            )
        if not url.startswith("https://"):
            raise ProtocolError(
                _("The server offered an update from an address that is not https.")
            )
        # extra keys of ours (the protocol allows them): the version and the signed manifest
        offered = as_text(envelope.get("version"), _("the update version")) or None
        manifest = as_text(envelope.get("manifest"), _("the manifest address")) or None
        if manifest is not None and not manifest.startswith("https://"):
            manifest = None  # never fetched over plain http: fall back to the page
        return UpdateCheck(up_to_date=False, url=url, version=offered, manifest_url=manifest)

    # -- writes --------------------------------------------------------------------

    def start(self, tracker_id: int | None = None) -> Status:
        params = self._versioned({} if tracker_id is None else {"tracker_id": str(tracker_id)})
        sent_at = self._clock()
        try:
            envelope = self._wire.call("start", params)
        except AnswerLost:
            if (done := self._started_since(sent_at, tracker_id)) is not None:
                return done
            envelope = self._resend("start", params, pgettext("request", "the start"))
            if (done := self._landed_late(envelope, sent_at, tracker_id)) is not None:
                return done
        self._check(envelope, about_input=False, fallback=_("The timer could not be started."))
        return self._seen(decode_status(envelope, self._clock(), self._default_tracker))

    def switch(
        self, tracker_id: int | None = None, description: str = "", at: dt.datetime | None = None
    ) -> Status:
        """Close the open block and open one on ``tracker_id``, now or at the instant ``at``
        (our extension: a vendor server may ignore it, see :class:`TimeNotApplied`)."""
        params = self._versioned({} if tracker_id is None else {"tracker_id": str(tracker_id)})
        if description:
            params["description"] = description
        if at is not None:
            params["at"] = _timestamp(_aware(at))
        sent_at = self._clock()
        try:
            envelope = self._wire.call("switch", params)
        except AnswerLost:
            began = _aware(at) if at is not None else sent_at
            if (done := self._started_since(began, tracker_id)) is not None:
                return done
            envelope = self._resend("switch", params, pgettext("request", "the switch"))
            if (done := self._landed_late(envelope, began, tracker_id)) is not None:
                return done
        self._check(envelope, about_input=False, fallback=_("No timer was running to switch from."))
        status = self._seen(decode_status(envelope, self._clock(), self._default_tracker))
        if at is not None and status.running is not None:
            self._check_applied(status.running.started_at, _aware(at), None)
        return status

    def stop(self, description: str = "", at: dt.datetime | None = None) -> None:
        """Close the open block now or at the instant ``at`` (as for :meth:`switch`)."""
        params = {"description": description} if description else {}
        if at is not None:
            params["at"] = _timestamp(_aware(at))
            if self._running_since is None:
                self.status()  # the block's start, to check where it was closed
        known = self._running_since
        sent_at = self._clock()
        try:
            envelope = self._wire.call("stop", params)
        except AnswerLost:
            running = self.status().running
            if running is None:
                self._running_since = None
                return  # the stop went through
            # The block we meant to stop is the one we last saw running; without that,
            # one begun after we sent the stop is someone's new block, not ours.
            ours = running.started_at == known if known else running.started_at <= sent_at
            if not ours:
                return
            envelope = self._resend("stop", params, pgettext("request", "the stop"))
        self._check(envelope, about_input=False, fallback=_("No timer was running."))
        self._running_since = None
        if at is not None and known is not None:
            self._check_stopped_at(known, _aware(at))

    def add(
        self,
        start: dt.datetime,
        stop: dt.datetime | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        params = {"start": _timestamp(start)}
        if stop is not None:
            params["stop"] = _timestamp(stop)
        if tracker_id is not None:
            params["tracker_id"] = str(tracker_id)
        if description:
            params["description"] = description
        return self._add("add", self._versioned(params))

    def add_free(
        self,
        hours: Decimal,
        day: dt.date | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        from decimal import Decimal, InvalidOperation  # free time only: not at rest

        try:
            valid = Decimal(0) < hours <= Decimal(24)
        except InvalidOperation:
            valid = False
        if not valid:
            raise ValidationFailed(_("Free time must be more than 0 and at most 24 hours."))
        params = {"hours": format(hours.normalize(), "f")}
        if day is not None:
            params["date"] = day.isoformat()
        if tracker_id is not None:
            params["tracker_id"] = str(tracker_id)
        if description:
            params["description"] = description
        return self._add("addfree", self._versioned(params))

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> TrackMyPeopleClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- helpers -------------------------------------------------------------------

    def _read(self, function: str, params: Mapping[str, str] | None = None) -> Envelope:
        return self._connection.read(lambda: self._wire.call(function, params))

    def _add(self, function: str, params: Mapping[str, str]) -> Block:
        try:
            envelope = self._wire.call(function, params)
        except AnswerLost:
            # Nothing in `status` tells whether a past block was added; resending could
            # add it twice, so say so instead.
            raise AnswerLost(
                _(
                    "{server} did not confirm the new block; look at today's report "
                    "before adding it again."
                ).format(server=self._wire.where[:1].upper() + self._wire.where[1:])
            ) from None
        self._check(envelope, about_input=True, fallback=_("The server refused the new block."))
        return decode_block(envelope.get("added_block"), _("the added block"))

    def _seen(self, status: Status) -> Status:
        self._default_tracker = status.default_tracker
        self._running_since = status.running.started_at if status.running else None
        return status

    def _check(self, envelope: Envelope, *, about_input: bool, fallback: str) -> None:
        if not succeeded(envelope):
            raise refusal(envelope, about_input=about_input, fallback=fallback)

    def _versioned(self, params: dict[str, str]) -> dict[str, str]:
        if self._version:
            params["version"] = self._version
        return params

    def _started_since(self, sent_at: dt.datetime, tracker_id: int | None) -> Status | None:
        """The status if a block on ``tracker_id`` (or the default) began around ``sent_at``."""
        status = self.status()
        running = status.running
        if running is None:
            return None
        wanted = tracker_id
        if wanted is None and status.default_tracker is not None:
            wanted = status.default_tracker.id
        recent = sent_at - RECHECK_WINDOW <= running.started_at <= self._clock() + RECHECK_WINDOW
        return status if recent and running.tracker.id == wanted else None

    def _check_stopped_at(self, started: dt.datetime, at: dt.datetime) -> None:
        """Read back the block just closed: did the server honour ``at``?"""
        blocks = self.report(ReportQuery(start=started, stop=started + dt.timedelta(seconds=1)))
        closed = next((b for b in blocks if not b.free), None)
        if closed is None:
            return  # nothing to compare with; the stop itself was confirmed
        ended = started + dt.timedelta(seconds=closed.total_s)
        self._check_applied(ended, at, closed.id)

    def _check_applied(
        self, actual: dt.datetime, wanted: dt.datetime, block_id: int | None
    ) -> None:
        if abs(actual - wanted) <= AT_TOLERANCE:
            return
        origin = self.base_url.split("/api/", 1)[0].rstrip("/")
        url = f"{origin}/blocks/{block_id}/edit" if block_id is not None else None
        raise TimeNotApplied(wanted, actual, url)

    def _landed_late(
        self, resent: Envelope, sent_at: dt.datetime, tracker_id: int | None
    ) -> Status | None:
        """After a refused resend: the status if the first request had arrived after all.

        The re-check by ``status`` can run before the server has finished the request
        whose answer was lost; the resend is then refused because of that very request.
        """
        if succeeded(resent):
            return None
        return self._started_since(sent_at, tracker_id)

    def _resend(self, function: str, params: Mapping[str, str], what: str) -> Envelope:
        """Send a write once more, now that ``status`` showed it did not happen."""
        try:
            return self._wire.call(function, params)
        except AnswerLost:
            raise AnswerLost(
                _("{server} did not confirm {what}; check the status before trying again.").format(
                    server=self._wire.where[:1].upper() + self._wire.where[1:], what=what
                )
            ) from None


def _aware(moment: dt.datetime) -> dt.datetime:
    """An instant: a naive time is read in this computer's zone, as the person meant it."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _timestamp(moment: dt.datetime) -> str:
    """How a time goes on the wire.

    An aware time becomes a UNIX timestamp, the protocol's unambiguous form. A naive
    one is a wall-clock time in the profile's time zone (as ``Block.time_in`` is), sent
    as ``YYYY-MM-DD HH:MM:SS`` for the server to read in that zone: that is how "the
    report for 22 November" means the profile's day, whatever this computer's zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    return str(int(moment.timestamp()))
