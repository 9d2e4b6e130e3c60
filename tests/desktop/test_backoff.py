from tracktray.desktop.backoff import Backoff


def test_waits_double_up_to_the_cap_with_jitter_inside_each_step() -> None:
    low = Backoff(base_s=5, cap_s=300, rng=lambda: 0.0)
    high = Backoff(base_s=5, cap_s=300, rng=lambda: 0.999999)
    lows = [low.failed() for _ in range(9)]
    highs = [high.failed() for _ in range(9)]
    assert lows[:4] == [2.5, 5, 10, 20]
    assert [round(h) for h in highs[:4]] == [5, 10, 20, 40]
    assert max(highs) <= 300
    assert lows[-1] == 150  # half the cap: jitter stays even at the ceiling


def test_a_success_starts_over() -> None:
    b = Backoff(base_s=5, rng=lambda: 0.0)
    b.failed()
    b.failed()
    b.succeeded()
    assert b.failures == 0
    assert b.failed() == 2.5
