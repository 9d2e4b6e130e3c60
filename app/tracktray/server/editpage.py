"""``/blocks/<id>/edit``: a small HTML page where a block's owner fixes its times,
tracker and description, under the engine's rules (overlap included).

The page is what ``add`` points to on overlap, so it must work in any browser with no
JavaScript. Basic auth (the same realm as the API) identifies the owner. Because a
browser replays Basic credentials on cross-site form posts, every form carries a token
derived from a per-process secret, the profile and the block.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from tracktray.domain import Block, TrackerTree
from tracktray.domain.parsing import parse_datetime
from tracktray.engine import Engine, EngineError, NotAllowed, NotFound, Overlap, ValidationError
from tracktray.server.auth import authenticate
from tracktray.server.body import BodyTooLarge, BodyTooSlow, read_body
from tracktray.server.trackmypeople_functions import edit_url
from tracktray.server.trackmypeople_request import MAX_BODY_BYTES, BadCall, Call, parse_body

__all__ = ["endpoint"]

_SECRET = secrets.token_bytes(32)
_FORMAT = "%Y-%m-%d %H:%M:%S"


def _token(profile_id: int, block_id: int) -> str:
    message = f"{profile_id}:{block_id}".encode()
    return hmac.new(_SECRET, message, hashlib.sha256).hexdigest()


async def endpoint(request: Request) -> Response:
    engine: Engine = request.app.state.engine
    block_id = int(request.path_params["block_id"])
    request.state.function = "edit-block"
    profile_id = await authenticate(engine, request)
    if isinstance(profile_id, Response):
        return profile_id
    try:
        block = await run_in_threadpool(engine.block, profile_id, block_id)
    except NotFound as exc:
        return _page("Block not found", f"<p>{escape(str(exc))}</p>", 404)
    except NotAllowed:
        return _page("Not your block", "<p>Only the owner of a block can edit it.</p>", 403)
    message, status = "", 200
    values = _values(block)
    if request.method == "POST":
        try:
            body = await read_body(request, MAX_BODY_BYTES)
            form = parse_body(Call("edit", "xml"), body, "").params
        except BodyTooLarge:
            return _page("Too large", "<p>The form is too large.</p>", 413)
        except BodyTooSlow:
            return _page("Too slow", "<p>The form came too slowly.</p>", 408)
        except BadCall as exc:
            return _page("Bad request", f"<p>{escape(exc.message)}</p>", exc.status_code)
        if not hmac.compare_digest(form.get("token", ""), _token(profile_id, block_id)):
            return _page("Expired form", "<p>Reload the page and try again.</p>", 403)
        # On refusal the form shows what was typed, so nothing has to be typed again.
        values = {key: form.get(key, value) for key, value in values.items()}
        try:
            block = await run_in_threadpool(_save, engine, profile_id, block_id, form)
            message = '<p class="ok">Saved.</p>'
            values = _values(block)
        except Overlap as exc:
            url = edit_url(f"{request.url.scheme}://{request.url.netloc}", exc.block_id)
            message = (
                f'<p class="error">That time overlaps <a href="{escape(url)}">'
                f"block {exc.block_id}</a>. Nothing was saved.</p>"
            )
            status = 409
        except EngineError as exc:
            message = f'<p class="error">{escape(str(exc))} Nothing was saved.</p>'
            status = 400
    trackers, profile = await run_in_threadpool(
        lambda: (engine.trackers(profile_id), engine.profile(profile_id))
    )
    token = _token(profile_id, block_id)
    html = message + _form(block, values, trackers, profile.timezone, token)
    return _page(f"Edit block {block_id}", html, status)


def _save(engine: Engine, profile_id: int, block_id: int, form: dict[str, str]) -> Block:
    try:
        start = parse_datetime(form.get("start", ""), "start")
        raw_stop = form.get("stop", "").strip()
        stop = parse_datetime(raw_stop, "stop") if raw_stop else None
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    raw_tracker = form.get("tracker_id", "").strip()
    if not raw_tracker.isdecimal() or len(raw_tracker) > 12:
        raise ValidationError("Choose a tracker.")
    tracker_id = int(raw_tracker)
    return engine.edit_block(
        profile_id,
        block_id,
        start=start,
        stop=stop,
        tracker_id=tracker_id,
        description=form.get("description", "").strip(),
    )


def _values(block: Block) -> dict[str, str]:
    return {
        "start": block.time_in.strftime(_FORMAT),
        "stop": block.time_out.strftime(_FORMAT) if block.time_out else "",
        "tracker_id": str(block.tracker_id or ""),
        "description": block.description,
    }


def _form(
    block: Block, values: dict[str, str], trackers: TrackerTree, timezone: str, token: str
) -> str:
    options = []
    known = False
    for tracker in trackers:
        selected = " selected" if str(tracker.id) == values["tracker_id"] else ""
        known = known or bool(selected)
        label = "→" * tracker.depth + (" " if tracker.depth else "") + tracker.name
        options.append(f'<option value="{tracker.id}"{selected}>{escape(label)}</option>')
    if not known and block.tracker_id is not None:
        options.insert(
            0,
            f'<option value="{block.tracker_id}" selected>(current tracker, no longer '
            "trackable)</option>",
        )
    kind = "free time" if block.free else "worked time"
    start, stop, description = (escape(values[k]) for k in ("start", "stop", "description"))
    return f"""
<p>Block {block.id}, {kind}. Times are in {escape(timezone)}
(YYYY-MM-DD HH:MM[:SS]); leave the stop empty for a running block.</p>
<form method="post">
  <input type="hidden" name="token" value="{token}">
  <label>Start <input name="start" value="{start}" required></label>
  <label>Stop <input name="stop" value="{stop}"></label>
  <label>Tracker <select name="tracker_id">{"".join(options)}</select></label>
  <label>Description <input name="description" value="{description}"></label>
  <button type="submit">Save</button>
</form>"""


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} · tracktray</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}}
label{{display:block;margin:.6em 0}}input,select{{font-size:1em;margin-left:.5em}}
.error{{color:#a00}}.ok{{color:#070}}</style></head>
<body><h1>{escape(title)}</h1>{body}</body></html>"""
    return HTMLResponse(html, status, headers={"Cache-Control": "no-store"})
