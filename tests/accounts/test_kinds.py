"""Account kinds as data: one table, and one way to make a new account."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tracktray.accounts.kinds import KINDS, SIGN_IN_KINDS, kind_of, new_account
from tracktray.contracts import ValidationFailed
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Settings


def test_every_kind_settings_know_has_a_row_and_only_server_kinds_sign_in() -> None:
    assert set(KINDS) == {"local", "trackmypeople", "timetrack"}
    assert [s.kind for s in SIGN_IN_KINDS] == ["trackmypeople", "timetrack"]
    assert not kind_of(LOCAL_ACCOUNT).signs_in
    assert KINDS["timetrack"].credential == "key_secret"
    assert KINDS["trackmypeople"].credential == "password"


@pytest.mark.parametrize(
    ("kind", "typed", "canonical"),
    [
        ("trackmypeople", "tmp.example.org", "https://tmp.example.org/api/"),
        ("trackmypeople", "https://tmp.example.org/api", "https://tmp.example.org/api/"),
        ("timetrack", "acme.timetrackenterprise.com", "https://acme.timetrackenterprise.com/api/v2/ext/"),
        ("timetrack", "https://acme.timetrackenterprise.com/api/v2/ext", "https://acme.timetrackenterprise.com/api/v2/ext/"),
    ],
)  # fmt: skip
def test_new_account_makes_the_address_canonical(kind: str, typed: str, canonical: str) -> None:
    account = new_account(Settings(), kind, typed, " ana ")  # type: ignore[arg-type]
    assert (account.url, account.username) == (canonical, "ana")
    assert account.label == f"ana@{urlsplit(canonical).hostname}"


def test_the_same_person_on_the_same_server_is_the_same_account() -> None:
    known = AccountConfig(
        id="work", kind="trackmypeople", label="Work", url="https://x.org/api/", username="ana"
    )
    settings = Settings(accounts=(LOCAL_ACCOUNT, known))
    assert new_account(settings, "trackmypeople", "x.org", "ana").id == "work"
    assert new_account(settings, "trackmypeople", "x.org", "ana").label == "Work"
    other = new_account(settings, "trackmypeople", "x.org", "bob")
    assert (other.id, other.label) == ("bob-x-org", "bob@x.org")
    renamed = new_account(settings, "trackmypeople", "x.org", "ana", label="Acme")
    assert (renamed.id, renamed.label) == ("work", "Acme")


def test_an_address_that_cannot_be_is_one_sentence() -> None:
    with pytest.raises(ValidationFailed, match="https"):
        new_account(Settings(), "trackmypeople", "http://x.org/api/", "ana")
