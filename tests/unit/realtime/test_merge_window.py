"""MergeWindow: a board's messages are held only while its fan-out is heavy."""

from __future__ import annotations

from server.realtime.merge_window import MergeWindow

WINDOW_S = 0.004


def busy_window(start: float = 100.0) -> MergeWindow:
    """A window that has just measured a second at 20,000 deliveries/s (200 people, 100 w/s)."""
    window = MergeWindow(WINDOW_S, busy_deliveries_per_s=10_000)
    window.delivered(199, start)
    for k in range(1, 101):
        window.delivered(199, start + k * 0.01)
    return window


def test_a_new_board_sends_at_once() -> None:
    window = MergeWindow(WINDOW_S, busy_deliveries_per_s=10_000)
    assert window.hold_s(0.0) == 0.0
    window.delivered(199, 0.0)
    assert window.hold_s(0.001) == 0.0


def test_a_heavy_fanout_holds_for_the_window() -> None:
    assert busy_window(start=100.0).hold_s(101.005) == WINDOW_S


def test_a_board_below_the_rate_sends_at_once() -> None:
    window = MergeWindow(WINDOW_S, busy_deliveries_per_s=10_000)
    # 20 participants writing 100 times a second: 1,900 deliveries/s.
    for k in range(201):
        window.delivered(19, k * 0.01)
    assert window.hold_s(2.005) == 0.0


def test_a_board_gone_quiet_sends_at_once_again() -> None:
    window = busy_window(start=100.0)
    # Nothing delivered for two seconds: the busy rate is stale.
    assert window.hold_s(103.5) == 0.0
    # Its next period measures the quiet: one delivery in 2.5 s.
    window.delivered(1, 103.5)
    assert window.hold_s(103.6) == 0.0


def test_window_zero_never_holds() -> None:
    window = MergeWindow(0.0, busy_deliveries_per_s=1)
    for k in range(300):
        window.delivered(1000, k * 0.01)
    assert window.hold_s(3.0) == 0.0
