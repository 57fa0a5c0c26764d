"""StorageHealth: whether storage is known to be failing, since when and why, and who must know.

Why: a write the server cannot store must be answered (`unavailable`) rather than left waiting,
and while storage fails the server accepts no write it could only keep in memory
(docs/protocol.md section 4). Whatever meets a storage error reports it here (the writer, the
HTTP API, connections, `/healthz`); only a write that reaches the database clears it (the writer's
commits, and its probes while nothing is queued).
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable

from server.storage.faults import StorageFault

log = logging.getLogger(__name__)


class StorageHealth:
    def __init__(self) -> None:
        self.fault: StorageFault | None = None
        # Milliseconds since the Unix epoch, when the current fault was first met.
        self.failing_since_ms: int | None = None
        self._listeners: list[weakref.WeakMethod[Callable[[StorageFault | None], None]]] = []
        self._failing = asyncio.Event()

    @property
    def failure(self) -> str | None:
        """What is wrong, in words for a client; None while storage works."""
        return None if self.fault is None else self.fault.message

    def watch(self, listener: Callable[[StorageFault | None], None]) -> None:
        """`listener(fault)` at each change: a fault when storage starts failing (or fails in
        another way), None once it works again. `listener` is a bound method, held weakly: the
        store that holds this outlives no one on its account."""
        self._listeners.append(weakref.WeakMethod(listener))

    def failed(self, fault: StorageFault) -> None:
        if self.fault == fault:
            return
        if self.fault is None:
            self.failing_since_ms = int(time.time() * 1000)
            log.error(
                "storage is failing: %s; writes are refused until it works again", fault.message
            )
        else:
            log.error("storage is still failing, now: %s", fault.message)
        self.fault = fault
        self._failing.set()
        self._tell(fault)

    def recovered(self) -> None:
        if self.fault is None:
            return
        log.warning("storage works again (it was failing: %s)", self.fault.message)
        self.fault = None
        self.failing_since_ms = None
        self._failing.clear()
        self._tell(None)

    async def wait_failing(self) -> StorageFault:
        """Returns as soon as storage is known to be failing (at once if it is)."""
        while self.fault is None:
            await self._failing.wait()
        return self.fault

    def _tell(self, fault: StorageFault | None) -> None:
        for reference in list(self._listeners):
            listener = reference()
            if listener is None:
                self._listeners.remove(reference)
                continue
            try:
                listener(fault)
            except Exception:
                log.exception("a storage health listener failed")
