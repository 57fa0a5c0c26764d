"""LoopShare: commits on the event loop take at most their share of its time; a slow disk
keeps them off it for a while, one late commit does not."""

from __future__ import annotations

from server.storage.loop_share import LoopShare


def test_after_a_commit_the_next_waits_so_that_commits_keep_to_their_share() -> None:
    share = LoopShare(0.2)
    assert share.allows(10.0)
    share.spent(10.0, 10.001)  # 1 ms: the next may start 4 ms later (1 of every 5 ms)
    assert not share.allows(10.0049)
    assert share.allows(10.005)


def test_one_late_commit_only_widens_the_gap() -> None:
    share = LoopShare(0.2)
    for k in range(8):
        share.spent(10.0 + k, 10.0 + k + 0.001)
    share.spent(20.0, 20.012)  # 12 ms: a late fsync
    assert not share.allows(20.059)
    assert share.allows(20.0601)


def test_a_slow_disk_keeps_commits_off_the_loop_for_seconds() -> None:
    share = LoopShare(0.2, slow_s=0.004, rest_s=10.0)
    for k in range(8):  # typically 10 ms: a slow disk
        share.spent(10.0 + k * 0.1, 10.01 + k * 0.1)
    assert not share.allows(10.8)  # 4 x 10 ms later would have been allowed otherwise
    assert not share.allows(20.0)
    assert share.allows(20.72)


def test_share_zero_never_allows_and_share_one_always_does() -> None:
    never = LoopShare(0.0)
    assert not never.allows(0.0)
    assert not never.allows(1e9)
    always = LoopShare(1.0)
    always.spent(5.0, 5.001)
    assert always.allows(5.001)
