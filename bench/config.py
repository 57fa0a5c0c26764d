"""What a benchmark run does: the full run (`make bench`) and the quick one (`make test`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

SERVER_KINDS = ("ardoise", "hocuspocus")


@dataclass(frozen=True, slots=True)
class Config:
    participants: int = 200
    # The workshop's workload: every participant writes once every 2 s (200 -> 100 writes/s).
    write_interval_s: float = 2.0
    warmup_s: float = 5.0
    measure_s: float = 30.0
    # After the writers stop, how long measured writes may still take to arrive (else: lost).
    drain_s: float = 20.0
    # Total writes per second of each step of the throughput ramp; it stops at the first step
    # whose fan-out p99 passes ramp_p99_limit_ms (or that loses writes or cannot be sent).
    ramp_rates: tuple[float, ...] = (10, 25, 50, 100, 150, 200, 300, 400)
    ramp_warmup_s: float = 2.0
    ramp_s: float = 6.0
    ramp_p99_limit_ms: float = 100.0
    # Empty boards opened to measure a loaded board's memory (and as many extra connections).
    memory_boards: int = 50
    big_board_notes: int = 5000
    # Notes per write while building the big board (about 60 KB per update).
    big_board_batch: int = 250
    warm_joins: int = 5
    redis_measure_s: float = 10.0
    servers: tuple[str, ...] = SERVER_KINDS
    # Browsers offer permessage-deflate; Ardoise's uvicorn accepts it, Hocuspocus's ws server does
    # not. Off by default: inflating every delivery would saturate the load generator long
    # before the servers (BENCHMARKS.md, Method).
    deflate: bool = False
    # A simulated participant applies the updates that arrived within this many ms in one Yjs
    # transaction (arrivals are timed as they come). Applying each at once made the load generator
    # saturate at the workshop load before either server did (BENCHMARKS.md); 0 does that.
    apply_every_ms: float = 16.0
    # How Ardoise's simulated participants speak Socket.IO: "lean" (their own few lines on a plain
    # WebSocket, as Hocuspocus's participants speak its protocol) or "socket.io-client" (the
    # library of the browser client, which costs the load generator more CPU per delivery:
    # BENCHMARKS.md, Method).
    ardoise_client: str = "lean"
    # Load-generator processes (each holds every K-th participant); see BENCHMARKS.md for why 2.
    workers: int = 2

    @property
    def rate(self) -> float:
        """Total writes per second of the main workload."""
        return self.participants / self.write_interval_s


ARDOISE_CLIENTS = ("lean", "socket.io-client")

QUICK = Config(
    participants=10,
    warmup_s=1.0,
    measure_s=3.0,
    drain_s=10.0,
    ramp_rates=(10, 20),
    ramp_warmup_s=0.5,
    ramp_s=1.5,
    memory_boards=5,
    big_board_notes=1000,
    warm_joins=2,
    redis_measure_s=2.0,
)


def build(quick: bool, **overrides: object) -> Config:
    base = QUICK if quick else Config()
    given = {key: value for key, value in overrides.items() if value is not None}
    return replace(base, **given)  # type: ignore[arg-type]
