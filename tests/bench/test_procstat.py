"""The benchmark's CPU reading of another process (bench/procstat.py)."""

from __future__ import annotations

import subprocess
import sys

from bench.procstat import cpu_seconds

# Burns `ms` milliseconds of CPU for each line it reads, then says so.
_BURNER = """
import sys, time
for line in sys.stdin:
    start = time.process_time()
    while time.process_time() - start < float(line) / 1000:
        pass
    print("done", flush=True)
"""


def test_a_few_milliseconds_of_another_process_s_cpu_are_measured() -> None:
    # 3 ms: /proc/<pid>/stat's 10-ms ticks would read 0 or 10 ms.
    with subprocess.Popen(
        [sys.executable, "-c", _BURNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as burner:
        assert burner.stdin is not None and burner.stdout is not None
        readings = []
        for ms in ("1", "3", "3", "3"):  # the first one warms the burner up
            before = cpu_seconds(burner.pid)
            burner.stdin.write(ms + "\n")
            burner.stdin.flush()
            assert burner.stdout.readline() == "done\n"
            readings.append(cpu_seconds(burner.pid) - before)
        burner.stdin.close()
    for spent in readings[1:]:
        assert 0.0029 <= spent <= 0.008, readings
