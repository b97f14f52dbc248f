"""Bulk work without Python's cyclic garbage collector.

Reading a snapshot, diffing two and building a report allocate millions of small objects (records,
their dicts and strings) that hold no reference cycles. The cyclic collector runs every 700
allocations and, as the heap grows, walks every one of them again and again without freeing
anything: a third of a 100,000-fact diff's time (14.8 s → 9.8 s without it, measured with
/usr/bin/time). Inside `without_cyclic_gc()` it is paused; reference counting still frees what is
no longer used, and the collector resumes when the outermost block ends (blocks may nest, and run
in several threads at once: the review's tasks).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
