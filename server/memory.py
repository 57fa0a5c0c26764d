"""Handing memory the process has freed back to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

# glibc keeps the heap pages a process frees, for its own reuse: after a big board unloads, the
# server would stay at its peak size (hundreds of MB) until it stops. `malloc_trim` returns them.
# Elsewhere (musl, macOS) there is no such call and nothing to do.
_malloc_trim: Callable[[int], int] | None = None
_libc_name = ctypes.util.find_library("c")
if _libc_name is not None:
    _malloc_trim = getattr(ctypes.CDLL(_libc_name), "malloc_trim", None)


def return_freed_memory() -> None:
    """Give the system back the free pages of the heap. Blocking: call it off the event loop."""
    if _malloc_trim is not None:
        _malloc_trim(0)
