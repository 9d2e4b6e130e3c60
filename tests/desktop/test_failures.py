from __future__ import annotations

from tracktray.api import AuthenticationFailed, ProtocolError, ServerUnavailable
from tracktray.desktop.failures import Phase, describe_failure


def test_a_wrong_password_signs_out_with_one_notification_that_offers_sign_in() -> None:
    first = describe_failure(
        AuthenticationFailed(), label="Work", opened=True, was_signed_out=False
    )
    assert first.phase is Phase.SIGNED_OUT and not first.retry
    assert first.notice is not None and first.notice.actions == (("sign-in", "Sign in"),)
    again = describe_failure(AuthenticationFailed(), label="Work", opened=True, was_signed_out=True)
    assert again.notice is None


def test_an_unreachable_server_is_offline_and_retried_quietly() -> None:
    failure = describe_failure(
        ServerUnavailable("The server is down.", retry_after=30),
        label="Work",
        opened=True,
        was_signed_out=False,
    )
    assert (failure.phase, failure.retry, failure.retry_after) == (Phase.OFFLINE, True, 30)
    assert failure.problem == "Offline: The server is down."
    assert failure.notice is None  # the icon says it; a poll failing is no news


def test_other_errors_are_told_and_an_account_that_cannot_open_is_not_retried() -> None:
    odd = describe_failure(
        ProtocolError("Garbage."), label="Work", opened=True, was_signed_out=False
    )
    assert odd.phase is Phase.OFFLINE and odd.retry and odd.notice is not None
    broken = describe_failure(
        RuntimeError("disk full"), label="Work", opened=False, was_signed_out=False
    )
    assert broken.phase is Phase.BROKEN and not broken.retry
    assert broken.problem == "Something went wrong with Work (RuntimeError: disk full)."
